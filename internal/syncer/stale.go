package syncer

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// A read of one side can be older than our own write to that side and
// still be applied after it: a webhook queued before our update of the
// contact and worked after it, or a poll page read while a webhook job
// wrote the same client. Such a read shows a field we wrote as it was
// before our write. Field change times cannot tell that from an edit: the
// read is stamped with its own time, which can be later than the change
// our write carried, so the old value would win and undo that change on
// both sides (a lost update).
//
// Write marks settle it. Every write records, per field, when it landed:
// HighLevel's dateUpdated from the update's answer, or our clock once a
// Repsly import returned. A read older than a field's mark is not a change
// of that field; a read that may or may not be older is settled by reading
// the record again.

// webhookSkew bounds how much later than the contact state it carries a
// HighLevel webhook can be stamped: its payload has no dateUpdated, only
// the delivery's timestamp, so within this long after our write a state
// that differs from what we wrote may predate the write.
const webhookSkew = 5 * time.Second

// markWrites records that fields of side were written by us, landing at
// at.
func (ls *linkState) markWrites(side Side, fields []string, at time.Time) {
	if ls.marks == nil {
		ls.marks = fieldTimes{}
	}
	for _, k := range fields {
		ls.marks.bump(string(side)+":"+k, at)
	}
}

// settleGHL takes an incoming state g of the linked contact, as of at, and
// sets every field we wrote after at, or whose known value is newer than
// at, back to the value we know: the state predates it there. unsure reports a field that differs from what
// we wrote while the state's time cannot say on which side of our write it
// lies (a webhook stamped shortly after it): the caller reads the contact
// again.
func (e *Engine) settleGHL(ctx context.Context, ls *linkState, g map[string]any, at time.Time, webhook bool) (settled map[string]any, unsure bool) {
	// A write of ours cut short before its link update shows here as
	// the value we sent: known, not a change (write_ahead.go).
	e.adoptGHL(ctx, ls, g, at)
	in, known := flatten(g), flatten(ls.g)
	patch := record{}
	prefix := string(GHL) + ":"
	for key, w := range ls.marks {
		k, ok := strings.CutPrefix(key, prefix)
		if !ok || equal(in[k], known[k]) {
			continue
		}
		switch {
		case at.Before(w):
			patch[k] = known[k]
		case webhook && at.Before(w.Add(webhookSkew)):
			unsure = true
		}
	}
	// A field whose known value is newer than this state (a webhook
	// delivered late or retried after a crash) is outdated here too: the
	// contact has moved on. Taking it for an edit would "correct" the
	// contact back to the value it had before, over an edit made since.
	for key, t := range ls.times {
		k, ok := strings.CutPrefix(key, prefix)
		if ok && at.Before(t) && !equal(in[k], known[k]) {
			patch[k] = known[k]
		}
	}
	if len(patch) == 0 {
		return g, unsure
	}
	return applyGHLPatch(g, patch, e.idOf), unsure
}

// rereadGHL reads the contact again, for a webhook settleGHL was unsure
// of; the read is a full state stamped with HighLevel's dateUpdated.
func (e *Engine) rereadGHL(ctx context.Context, ls *linkState, id string) (GHLChange, map[string]any, error) {
	c, err := e.ghl.GetContact(ctx, id)
	if err != nil {
		return GHLChange{}, nil, fmt.Errorf("syncer: read contact %s again: %w", id, err)
	}
	ch := GHLChange{Contact: *c, At: contactTime(c, e.now()).Truncate(time.Millisecond)}
	g, err := ghlInput(*c, e.keyOf)
	if err != nil {
		return GHLChange{}, nil, err
	}
	g, _ = e.settleGHL(ctx, ls, g, ch.At, false)
	return ch, g, nil
}

// writeGHL updates the linked contact with patch (cur being the contact as
// known), records the result in ls.g and marks the fields written.
func (e *Engine) writeGHL(ctx context.Context, ls *linkState, patch, cur record) error {
	sent := e.now()
	if err := e.writeAhead(ctx, ls, GHL, patch, sent); err != nil {
		return err
	}
	c, err := e.updateContact(ctx, ls.link.GHLID, patch, cur)
	if err != nil {
		return err
	}
	ls.wrote(GHL, keysOf(patch))
	landed := sent
	if c != nil {
		if t, err := time.Parse(time.RFC3339Nano, c.DateUpdated); err == nil {
			landed = t
		}
	}
	ls.g = applyGHLPatch(ls.g, patch, e.idOf)
	ls.markWrites(GHL, keysOf(patch), landed)
	e.trace(ctx, "wrote contact", ls, patch, slog.Time("landed", landed))
	return nil
}

// unsureRepsly reports whether a Repsly read that began at readAt shows a
// field we wrote with another value than we wrote while the read may have
// been answered before our write landed. Repsly reports no change times,
// so only a second read can tell.
func unsureRepsly(ls *linkState, input map[string]any, readAt time.Time) bool {
	in, known := flatten(input), flatten(ls.r)
	prefix := string(Repsly) + ":"
	for key, w := range ls.marks {
		k, ok := strings.CutPrefix(key, prefix)
		if ok && readAt.Before(w) && !equal(in[k], known[k]) {
			return true
		}
	}
	return false
}

// rereadRepsly reads the client again for a read unsureRepsly doubted; it
// returns the fresh input, its read time, and whether it equals the state
// already known.
func (e *Engine) rereadRepsly(ctx context.Context, ls *linkState, code string) (map[string]any, time.Time, bool, error) {
	at := e.now().Truncate(time.Millisecond)
	cl, err := e.rep.GetClient(ctx, code)
	if err != nil {
		return nil, at, false, fmt.Errorf("syncer: read client %s again: %w", code, err)
	}
	input, err := repslyInput(cl)
	if err != nil {
		return nil, at, false, err
	}
	return input, at, reflect.DeepEqual(input, ls.r), nil
}

// pendingInboxLimit bounds the waiting webhooks one Repsly batch reads.
const pendingInboxLimit = 1000

// pendingWebhooks returns, per linked contact of a Repsly batch, its
// webhook changes still waiting in the inbox (a job retried after a crash,
// or not run yet), oldest first. A Repsly change pushed to the contact
// before them would be written over a contact state the engine has not
// seen; applied first, they make the link current. Their own jobs then
// find nothing left to do.
func (e *Engine) pendingWebhooks(ctx context.Context, links map[string]store.Link, opts BatchOptions) (map[string][]GHLChange, error) {
	if opts.DryRun || e.spec.Direction != TwoWay {
		return nil, nil
	}
	ids := map[string]bool{}
	for _, l := range links {
		if l.GHLID != "" && l.State == store.LinkLinked {
			ids[l.GHLID] = true
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	evs, err := e.st.PendingInbox(ctx, e.st.DB(), "ghl", e.ghl.LocationID(), pendingInboxLimit)
	if err != nil {
		return nil, err
	}
	out := map[string][]GHLChange{}
	for _, ev := range evs {
		parsed, err := ghl.ParseEvent([]byte(ev.Body))
		if err != nil {
			continue // its own job records why
		}
		ch, ok := ChangeFromEvent(parsed, ev.ReceivedAt)
		if !ok || !ids[ch.Contact.ID] {
			continue
		}
		ch.At = ch.At.Truncate(time.Millisecond)
		out[ch.Contact.ID] = append(out[ch.Contact.ID], ch)
	}
	return out, nil
}
