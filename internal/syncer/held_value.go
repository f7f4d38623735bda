package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// A location that refuses duplicate contacts keeps each email and phone on
// one contact. Chain stores often share a phone, so a client's value may
// be one another client's contact already holds: the create leaves it out
// (matchOrCreate), an update does too (writeGHLHeld), and reconcile
// reports the pair apart from drift (Report.Shared), since no write can
// close that gap.

// heldRefusal is a write HighLevel refused because another contact holds
// one of its values: the field and that contact.
type heldRefusal struct {
	field, holder string
}

func (h heldRefusal) note() string {
	return fmt.Sprintf("updated without %s: contact %s holds the same %s and the location refuses duplicates", h.field, h.holder, h.field)
}

// writeGHLHeld writes patch to the link's contact; when the location
// refuses it because another contact holds its email or phone, it writes
// the rest without that field, clearing the contact's old value of it.
// written is what was written (nothing when the field was all the patch
// held and the contact had no value for it).
func (e *Engine) writeGHLHeld(ctx context.Context, ls *linkState, patch, cur record) (written record, held *heldRefusal, err error) {
	err = e.writeGHL(ctx, ls, patch, cur)
	var dup *ghl.DuplicateContactError
	if !errors.As(err, &dup) || dup.ContactID == "" || dup.ContactID == ls.link.GHLID {
		return patch, nil, err
	}
	field := cmpOr(dup.MatchingField, "phone")
	if _, ok := patch[field]; !ok {
		return patch, nil, err
	}
	// Refused outright: the value never landed, so it is no pending write.
	ls.wrote(GHL, []string{field})
	held = &heldRefusal{field: field, holder: dup.ContactID}
	rest := patch.clone()
	delete(rest, field)
	if cur[field] != nil {
		// The contact's value is no longer the client's: clear it, so the
		// contact ends as a create would have made it.
		rest[field] = nil
	}
	if len(rest) == 0 {
		return rest, held, nil
	}
	if err := e.writeGHL(ctx, ls, rest, cur); err != nil {
		return nil, held, err
	}
	return rest, held, nil
}

// holders maps each email and phone in a location that refuses duplicate
// contacts to the contact holding it; nil when the location allows
// duplicates or its setting could not be read (every difference is then
// drift, as before).
type holders map[string]string

// heldFields are the contact fields HighLevel's duplicate rule covers.
var heldFields = []string{"email", "phone"}

// valueHolders reads the location's duplicate setting: holders to fill
// (add) when it refuses duplicates, nil otherwise.
func (e *Engine) valueHolders(ctx context.Context) holders {
	loc, err := e.ghl.GetLocation(ctx)
	if err != nil {
		// Without locations.readonly the setting is unknown: report as
		// before rather than hide drift.
		e.logger.Warn("reconcile: cannot read the location's duplicate setting; shared emails and phones count as drift", "flow", e.spec.Flow, "error", err)
		return nil
	}
	if loc.Settings.AllowDuplicateContact {
		return nil
	}
	return holders{}
}

// add records the email and phone c holds.
func (h holders) add(c ghl.Contact) {
	if h == nil {
		return
	}
	if c.Email != "" {
		h["email:"+strings.ToLower(c.Email)] = c.ID
	}
	if c.Phone != "" {
		h["phone:"+c.Phone] = c.ID
	}
}

// split takes out of a pair's differing fields those whose client value
// (img, in HighLevel's terms) another contact than id holds.
func (h holders) split(fields []string, id string, img record) (rest []string, shared []SharedValue) {
	if len(h) == 0 || len(fields) == 0 {
		return fields, nil
	}
	for _, f := range fields {
		v, _ := img[f].(string)
		key := f + ":" + v
		if f == "email" {
			key = strings.ToLower(key)
		}
		if holder, ok := h[key]; ok && v != "" && holder != id && slices.Contains(heldFields, f) {
			shared = append(shared, SharedValue{ContactID: id, Field: f, HeldBy: holder})
			continue
		}
		rest = append(rest, f)
	}
	return rest, shared
}
