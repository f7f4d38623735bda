// Package syncer is Fieldbridge's two-way record sync between Repsly
// clients and HighLevel contacts. Its contract is DESIGN's invariants:
// nothing lost (cursors advance with the work they cover), nothing
// duplicated (links, match keys and intent rows written before a remote
// create), no loops and no no-ops (echoes and unchanged results cost no
// API call), deterministic field-level conflicts, and budgets.
package syncer

import (
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// Side names one end of a sync.
type Side string

// The two sides.
const (
	Repsly Side = "repsly"
	GHL    Side = "ghl"
)

// Direction says which way changes flow.
type Direction string

// Directions.
const (
	TwoWay   Direction = "two_way"
	ToGHL    Direction = "to_ghl"
	ToRepsly Direction = "to_repsly"
)

// Deactivation choices for a Repsly client that became inactive.
const (
	DeactivateTag     = "tag"
	DeactivateDelete  = "delete"
	DeactivateNothing = "nothing"
)

// Spec is one sync flow as the engine needs it.
type Spec struct {
	// Flow names the flow; links and cursors are kept per flow.
	Flow string
	// Direction defaults to TwoWay.
	Direction Direction
	// ToGHL maps {"client": <Repsly client>} to HighLevel contact fields.
	// Targets are contact field names; custom fields are
	// "customFields.<key>"; "tags" merges with the contact's other tags.
	ToGHL *mapping.Mapping
	// ToRepsly maps {"contact": <HighLevel contact>} to Repsly client
	// import fields (Code, Name, ...). In the contact, custom fields are
	// reachable as contact.customFields.<key>.
	ToRepsly *mapping.Mapping
	// Priority gives a side's value precedence for a field whatever the
	// change times, keyed "ghl:<field>" or "repsly:<field>" (the field as
	// written on that side).
	Priority map[string]Side
	// OnRepslyDeactivate is tag (default), delete or nothing.
	OnRepslyDeactivate string
	// InactiveTag is the tag for deactivated clients; default
	// "repsly-inactive".
	InactiveTag string
	// DeactivateOnGHLDelete sets Active=false on the Repsly client when its
	// contact is deleted (default true through DefaultSpec).
	DeactivateOnGHLDelete bool
	// CodeField is the HighLevel custom field key holding the Repsly client
	// Code; default "repsly_client_code".
	CodeField string
	// RepslyRoot and GHLRoot name the records in the mappings' inputs
	// (default "client" and "contact").
	RepslyRoot, GHLRoot string
	// NewCodePrefix prefixes the Code of clients created from HighLevel
	// contacts: Code = prefix + contact id, deterministic, so a retried
	// import updates instead of duplicating. Default "GHL-".
	NewCodePrefix string
	// Match lists the keys a client without a link is matched to an
	// existing contact by, in order: MatchEmail, MatchPhone (MatchCode is
	// always tried first: it is how the engine finds its own creates after
	// a crash). Nil means code, email, phone.
	Match []string
}

// Match keys (the flow's match list).
const (
	MatchCode  = "code"
	MatchEmail = "email"
	MatchPhone = "phone"
)

func (s *Spec) withDefaults() error {
	if s.Flow == "" {
		return fmt.Errorf("syncer: spec has no flow name")
	}
	if s.Direction == "" {
		s.Direction = TwoWay
	}
	if s.ToGHL == nil && s.Direction != ToRepsly {
		return fmt.Errorf("syncer: flow %s: no Repsly -> HighLevel mapping", s.Flow)
	}
	if s.ToRepsly == nil && s.Direction != ToGHL {
		return fmt.Errorf("syncer: flow %s: no HighLevel -> Repsly mapping", s.Flow)
	}
	if s.OnRepslyDeactivate == "" {
		s.OnRepslyDeactivate = DeactivateTag
	}
	if s.InactiveTag == "" {
		s.InactiveTag = "repsly-inactive"
	}
	if s.CodeField == "" {
		s.CodeField = "repsly_client_code"
	}
	if s.RepslyRoot == "" {
		s.RepslyRoot = "client"
	}
	if s.GHLRoot == "" {
		s.GHLRoot = "contact"
	}
	if s.NewCodePrefix == "" {
		s.NewCodePrefix = "GHL-"
	}
	if s.Match == nil {
		s.Match = []string{MatchCode, MatchEmail, MatchPhone}
	}
	for _, k := range s.Match {
		if k != MatchCode && k != MatchEmail && k != MatchPhone {
			return fmt.Errorf("syncer: flow %s: unknown match key %q (code, email or phone)", s.Flow, k)
		}
	}
	return nil
}

// matchKeys returns the email and phone of an image a first match may
// use, in the flow's order, empty ones left out.
func (s *Spec) matchKeys(img record) []matchKey {
	var out []matchKey
	for _, k := range s.Match {
		field := map[string]string{MatchEmail: "email", MatchPhone: "phone"}[k]
		if v, _ := img[field].(string); field != "" && v != "" {
			out = append(out, matchKey{kind: k, value: v})
		}
	}
	return out
}

// matchKey is one email or phone to look an unlinked contact up by.
type matchKey struct{ kind, value string }

func (s *Spec) pushesToGHL() bool    { return s.Direction != ToRepsly }
func (s *Spec) pushesToRepsly() bool { return s.Direction != ToGHL }
