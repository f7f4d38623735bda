package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// nowFunc is the catalog's clock.
type nowFunc func() time.Time

// Options configures a Catalog.
type Options struct {
	// Now is the clock (default time.Now). Triggers that look at a window of
	// days (schedules) and date defaults read it.
	Now func() time.Time
}

// Catalog holds every entry, by id. It is immutable and safe for concurrent
// use.
type Catalog struct {
	entries []*Entry
	byID    map[string]*Entry
}

// New builds the catalog: every entry with its scopes taken from the
// HighLevel operation table and its input schema compiled.
func New(opts Options) (*Catalog, error) {
	now := nowFunc(opts.Now)
	if now == nil {
		now = time.Now
	}
	var all []*Entry
	for _, group := range [][]*Entry{
		ghlContactActions(), ghlTagActions(), ghlTaskActions(), ghlNoteActions(), ghlMembershipActions(),
		ghlCalendarActions(), ghlLocationActions(), ghlCompositeActions(), ghlWebhookTriggers(), ghlPollTriggers(),
		repslyExportEntries(), repslyImportActions(), repslyCompositeActions(),
	} {
		all = append(all, group...)
	}
	ops := map[string]ghl.Operation{}
	for _, op := range ghl.Operations() {
		ops[op.ID] = op
	}
	c := &Catalog{byID: make(map[string]*Entry, len(all))}
	for _, e := range all {
		if _, dup := c.byID[e.ID]; dup {
			return nil, fmt.Errorf("catalog: duplicate id %s", e.ID)
		}
		e.now = now
		if e.App == AppGHL {
			scopes, err := scopesOf(e, ops)
			if err != nil {
				return nil, err
			}
			e.Scopes = scopes
		}
		if e.Scopes == nil {
			e.Scopes = []string{}
		}
		if e.Input == nil {
			e.Input = emptyInput()
		}
		if e.Example == nil {
			e.Example = []byte("{}")
		}
		s, err := compile(e.ID, e.Input)
		if err != nil {
			return nil, err
		}
		e.schema = s
		c.byID[e.ID] = e
		c.entries = append(c.entries, e)
	}
	slices.SortFunc(c.entries, func(a, b *Entry) int { return cmp.Compare(a.ID, b.ID) })
	return c, nil
}

// scopesOf unions the entry's own scopes with those of the HighLevel
// operations it calls.
func scopesOf(e *Entry, ops map[string]ghl.Operation) ([]string, error) {
	scopes := slices.Clone(e.Scopes)
	for _, id := range e.Operations {
		op, ok := ops[id]
		if !ok {
			return nil, fmt.Errorf("catalog: %s: unknown HighLevel operation %q", e.ID, id)
		}
		scopes = append(scopes, op.Scopes...)
	}
	slices.Sort(scopes)
	return slices.Compact(scopes), nil
}

// All returns every entry, sorted by id.
func (c *Catalog) All() []*Entry { return slices.Clone(c.entries) }

// Get returns the entry with the given id, or an error wrapping
// ErrUnknownEntry.
func (c *Catalog) Get(id string) (*Entry, error) {
	e, ok := c.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q (list them with `fieldbridge ops list`)", ErrUnknownEntry, id)
	}
	return e, nil
}

// Filter returns the entries of an app and kind, sorted by id; an empty
// app or kind matches all.
func (c *Catalog) Filter(app App, kind Kind) []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		if (app == "" || e.App == app) && (kind == "" || e.Kind == kind) {
			out = append(out, e)
		}
	}
	return out
}

// Summary is an entry without its schemas and executors, for listings.
type Summary struct {
	ID     string   `json:"id"`
	App    App      `json:"app"`
	Kind   Kind     `json:"kind"`
	Mode   Mode     `json:"mode,omitempty"`
	Event  string   `json:"event,omitempty"`
	Scopes []string `json:"scopes"`
	Title  string   `json:"title"`
}

// Summary returns the entry's listing fields.
func (e *Entry) Summary() Summary {
	return Summary{ID: e.ID, App: e.App, Kind: e.Kind, Mode: e.Mode, Event: e.Event, Scopes: e.Scopes, Title: e.Title}
}
