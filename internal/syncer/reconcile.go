package syncer

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// FieldDrift is a linked pair whose synced fields differ.
type FieldDrift struct {
	Code      string   `json:"code"`
	ContactID string   `json:"contact_id"`
	Fields    []string `json:"fields"`
}

// Report is the outcome of a full comparison of both sides.
type Report struct {
	Flow     string `json:"flow"`
	Clients  int    `json:"clients"`
	Contacts int    `json:"contacts"`
	Links    int    `json:"links"`
	// MissingInGHL lists client codes with no contact.
	MissingInGHL []string `json:"missing_in_ghl"`
	// MissingInRepsly lists contact ids with no client.
	MissingInRepsly []string `json:"missing_in_repsly"`
	// Orphaned lists links whose contact or client no longer exists.
	Orphaned []string `json:"orphaned_links"`
	// Differing lists linked pairs whose fields disagree.
	Differing []FieldDrift `json:"differing"`
	// Duplicates lists client codes carried by more than one contact.
	Duplicates []string `json:"duplicates"`
	// Shared lists linked pairs whose client has an email or phone another
	// contact holds, in a location that refuses duplicate contacts: the
	// pair's contact cannot hold it, so it is no drift and no repair
	// writes it (held_value.go). Their other fields are in Differing.
	Shared []SharedValue `json:"shared_values"`
	// Repaired counts the writes a repair made.
	Repaired int `json:"repaired"`
	// Failed lists what a repair tried and could not do, one line per
	// record: "<key>: <error>".
	Failed []string `json:"failed,omitempty"`
}

// SharedValue is a client's email or phone that another contact holds.
type SharedValue struct {
	Code      string `json:"code"`
	ContactID string `json:"contact_id"`
	Field     string `json:"field"`
	// HeldBy is the contact that holds the value.
	HeldBy string `json:"held_by"`
}

// InSync reports whether the report found no drift at all (a shared value
// is none).
func (r Report) InSync() bool {
	return len(r.MissingInGHL)+len(r.MissingInRepsly)+len(r.Orphaned)+len(r.Differing)+len(r.Duplicates) == 0
}

// Reconcile reads both sides in full and compares them through the links
// and the mappings. With repair, missing records are synced, orphaned
// links dropped and re-matched, and differing pairs pushed again: the
// Repsly values win, except for fields the flow gives HighLevel priority.
//
// Every client is held while the contacts are read page by page, each
// page with its links; of a contact or a link only what the report or the
// repair needs is kept (at 100,000 clients, holding both sides and every
// link took over 1 GB).
func (e *Engine) Reconcile(ctx context.Context, repair bool) (Report, error) {
	rep := Report{Flow: e.spec.Flow, MissingInGHL: []string{}, MissingInRepsly: []string{}, Orphaned: []string{},
		Differing: []FieldDrift{}, Duplicates: []string{}, Shared: []SharedValue{}}
	if err := e.prepare(ctx); err != nil {
		return rep, err
	}
	// Writes are judged as of the first read (stale.go).
	readAt := e.now()
	clients := map[string]repsly.ClientRecord{}
	for page, err := range repsly.Pages(ctx, e.rep.ExportClients, repsly.TimestampCursor(0)) {
		if err != nil {
			return rep, fmt.Errorf("syncer: reconcile: export clients: %w", err)
		}
		for _, c := range page.Items {
			clients[c.Code] = c // a client exported twice changed meanwhile: the last read wins
		}
	}
	rep.Clients = len(clients)
	c := newReconcileRun(e, clients, e.valueHolders(ctx))
	for page, err := range e.ghl.SearchContactPages(ctx, ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit}) {
		if err != nil {
			return rep, fmt.Errorf("syncer: reconcile: search contacts: %w", err)
		}
		if err := c.contacts(ctx, page.Contacts); err != nil {
			return rep, err
		}
	}
	rep.Contacts = len(c.seen)
	if err := e.st.ListLinks(ctx, e.spec.Flow, func(l store.Link) error {
		rep.Links++
		switch {
		case l.State == store.LinkDeleted:
			c.linkedCodes[l.RepslyCode] = true
		case c.seen[l.GHLID] == nil:
			c.orphaned[orphanKey(l)] = l // the contact is gone
		}
		return nil
	}); err != nil {
		return rep, err
	}
	return c.report(ctx, rep, readAt, repair)
}

// reconcileRun is what a reconcile keeps while it reads the contacts.
type reconcileRun struct {
	e       *Engine
	clients map[string]repsly.ClientRecord
	holders holders
	// seen holds what each contact read found, by contact id.
	seen        map[string]*contactSeen
	linkedCodes map[string]bool // clients linked to a contact read, or deleted
	orphaned    map[string]store.Link
}

// contactSeen is what reconcile found of one contact.
type contactSeen struct {
	code string // its code field
	// linked is its client, when its link and both records exist.
	linked string
	// unlinked holds the contact when no link pairs it with a client.
	unlinked *ghl.Contact
	// drift is the pair when its fields differ, with the client's image.
	drift *drift
}

// drift is a pair whose fields differ. A pair whose only differing fields
// are emails and phones, in a location that refuses duplicates, may turn
// out to differ by shared values only, known once every contact is read:
// until then it keeps the values, not the records (at 100,000 clients of
// chain stores, half the pairs).
type drift struct {
	fields []string
	img    record // the client's email and phone, in HighLevel's terms
	pair   *pair  // nil while it may be shared values only
}

func newReconcileRun(e *Engine, clients map[string]repsly.ClientRecord, h holders) *reconcileRun {
	return &reconcileRun{e: e, clients: clients, holders: h, seen: map[string]*contactSeen{},
		linkedCodes: map[string]bool{}, orphaned: map[string]store.Link{}}
}

// contacts compares a page of contacts with their clients through their
// links. A contact read twice is judged as last read.
func (c *reconcileRun) contacts(ctx context.Context, page []ghl.Contact) error {
	e := c.e
	ids := make([]string, len(page))
	for i, ct := range page {
		ids[i] = ct.ID
	}
	links, err := e.st.LinksByGHLIDs(ctx, e.st.DB(), e.spec.Flow, ids)
	if err != nil {
		return err
	}
	for _, ct := range page {
		s := &contactSeen{}
		c.seen[ct.ID] = s
		g, gerr := ghlInput(ct, e.keyOf)
		if gerr == nil {
			s.code, _ = flatten(g)["customFields."+e.spec.CodeField].(string)
		}
		c.holders.add(ct)
		l, linked := links[ct.ID]
		if linked && l.State == store.LinkDeleted {
			c.linkedCodes[l.RepslyCode] = true
			linked = false
		}
		cl, okC := c.clients[l.RepslyCode]
		if linked && !okC {
			c.orphaned[orphanKey(l)] = l // the client is gone
		}
		if !linked || !okC {
			s.unlinked = &ct
			continue
		}
		s.linked = cl.Code
		c.linkedCodes[cl.Code] = true
		if gerr != nil {
			return gerr
		}
		fields, img, err := e.compare(ctx, cl, g)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			s.drift = &drift{fields: fields, img: restrict(img, heldFields)}
			if c.holders == nil || slices.ContainsFunc(fields, func(f string) bool { return !slices.Contains(heldFields, f) }) {
				s.drift.pair = &pair{cl, ct}
			}
		}
	}
	return nil
}

// report writes what the run found into rep (shared values taken out of
// the differing fields now that every holder is known) and repairs it on
// request.
func (c *reconcileRun) report(ctx context.Context, rep Report, readAt time.Time, repair bool) (Report, error) {
	e := c.e
	byCode := map[string]int{}
	var differing []pair
	var missingG []GHLChange
	for _, id := range slices.Sorted(maps.Keys(c.seen)) {
		s := c.seen[id]
		if s.code != "" {
			byCode[s.code]++
		}
		if s.unlinked != nil && e.spec.pushesToRepsly() {
			rep.MissingInRepsly = append(rep.MissingInRepsly, id)
			missingG = append(missingG, GHLChange{Contact: *s.unlinked, At: contactTime(s.unlinked, e.now())})
		}
		if s.drift == nil {
			continue
		}
		fields, shared := c.holders.split(s.drift.fields, id, s.drift.img)
		for _, sv := range shared {
			sv.Code = s.linked
			rep.Shared = append(rep.Shared, sv)
		}
		if len(fields) == 0 {
			continue
		}
		rep.Differing = append(rep.Differing, FieldDrift{Code: s.linked, ContactID: id, Fields: fields})
		if !repair {
			continue
		}
		p := s.drift.pair
		if p == nil {
			ct, err := e.ghl.GetContact(ctx, id)
			if err != nil {
				return rep, fmt.Errorf("syncer: reconcile: %w", err)
			}
			p = &pair{c.clients[s.linked], *ct}
		}
		differing = append(differing, *p)
	}
	for code, n := range byCode {
		if n > 1 {
			rep.Duplicates = append(rep.Duplicates, code)
		}
	}
	slices.Sort(rep.Duplicates)
	slices.SortFunc(rep.Differing, func(a, b FieldDrift) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(differing, func(a, b pair) int { return strings.Compare(a.client.Code, b.client.Code) })
	slices.SortFunc(rep.Shared, func(a, b SharedValue) int { return strings.Compare(a.Code, b.Code) })
	orphaned := slices.SortedFunc(maps.Values(c.orphaned), func(a, b store.Link) int { return cmp.Compare(a.ID, b.ID) })
	for _, l := range orphaned {
		rep.Orphaned = append(rep.Orphaned, orphanKey(l))
	}
	var missingR []repsly.ClientRecord
	for _, code := range slices.Sorted(maps.Keys(c.clients)) {
		cl := c.clients[code]
		if !c.linkedCodes[code] && e.spec.pushesToGHL() && (cl.Active || e.spec.OnRepslyDeactivate != DeactivateDelete) {
			rep.MissingInGHL = append(rep.MissingInGHL, code)
			missingR = append(missingR, cl)
		}
	}
	if !repair {
		return rep, nil
	}
	return e.repair(ctx, rep, readAt, orphaned, differing, missingR, missingG)
}

func orphanKey(l store.Link) string { return fmt.Sprintf("%s<->%s", l.RepslyCode, l.GHLID) }

// compare lists the synced fields on which a client and its contact
// disagree, in HighLevel's terms. Mappings need not be symmetric (a
// contact without a company name becomes a client named after the
// person), so a pair also counts as in sync when mapping the contact
// reproduces the client.
func (e *Engine) compare(ctx context.Context, cl repsly.ClientRecord, g map[string]any) (fields []string, img record, err error) {
	if e.spec.ToGHL == nil {
		return nil, nil, nil
	}
	in, err := repslyInput(cl)
	if err != nil {
		return nil, nil, err
	}
	img, err = e.imageToGHL(ctx, in, g)
	if err != nil {
		return nil, nil, err
	}
	if e.spec.ToRepsly != nil {
		back, err := e.imageToRepsly(ctx, g, in)
		if err != nil {
			return nil, nil, err
		}
		own := flatten(in)
		agree := true
		for k, v := range back {
			if !equal(v, own[k]) {
				agree = false
				break
			}
		}
		// A client value the contact maps back to nothing (an email the
		// contact lacks) is no agreement: the image leaves empty values
		// out, so look for the mapped fields it lacks.
		for _, k := range e.repslyTargets() {
			if _, ok := back[k]; agree && !ok && own[k] != nil {
				agree = false
			}
		}
		if agree {
			return nil, img, nil
		}
	}
	have := flatten(g)
	// A field the contact holds but the client maps to nothing is drift
	// too when the flow syncs both ways (it should have reached Repsly);
	// the image leaves empty values out, so add those keys.
	keys := make(map[string]bool, len(img))
	for k := range img {
		keys[k] = true
	}
	if e.spec.ToRepsly != nil {
		for k := range restrict(have, e.ghlTargets()) {
			keys[k] = true
		}
	}
	var out []string
	for k := range keys {
		v := img[k]
		if k == "tags" {
			// Tags merge: the client's tags must be on the contact.
			tags := map[string]bool{}
			for _, t := range asList(have["tags"]) {
				tags[strings.ToLower(fmt.Sprint(t))] = true
			}
			for _, t := range asList(v) {
				if !tags[strings.ToLower(fmt.Sprint(t))] {
					out = append(out, k)
					break
				}
			}
			continue
		}
		if !equal(v, have[k]) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, img, nil
}

type pair struct {
	client  repsly.ClientRecord
	contact ghl.Contact
}

func (e *Engine) repair(ctx context.Context, rep Report, readAt time.Time, orphaned []store.Link, differing []pair, missingR []repsly.ClientRecord, missingG []GHLChange) (Report, error) {
	now := e.now()
	for _, l := range orphaned {
		if err := e.st.DeleteLink(ctx, e.st.DB(), l.ID); err != nil {
			return rep, err
		}
	}
	// Differing pairs: forget what Repsly last said, so every field of the
	// client counts as changed now and is pushed again.
	// The contact's state is what was just read.
	batch := append([]repsly.ClientRecord{}, missingR...)
	for _, p := range differing {
		links, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, []string{p.client.Code})
		if err != nil {
			return rep, err
		}
		g, err := ghlInput(p.contact, e.keyOf)
		if err != nil {
			return rep, err
		}
		l := links[p.client.Code]
		// Fields only the contact holds fill the client's blanks first:
		// Repsly's values win below, and an empty one must not erase them.
		filled, err := e.fillBlanks(ctx, &l, p, g)
		if err != nil {
			return rep, err
		}
		rep.Repaired += filled
		l.RepslyLast, l.RepslyWrittenHash, l.GHLLast, l.FieldTimes = "{}", "", jsonOf(g), "{}"
		if err := e.st.UpdateLink(ctx, e.st.DB(), l, now); err != nil {
			return rep, err
		}
		batch = append(batch, p.client)
	}
	for start := 0; start < len(batch); start += 50 {
		res, err := e.ApplyRepsly(ctx, batch[start:min(start+50, len(batch))], readAt, BatchOptions{})
		rep.Repaired += res.Writes()
		rep.failed(res)
		if err != nil {
			return rep, err
		}
	}
	for start := 0; start < len(missingG); start += 50 {
		res, err := e.ApplyGHL(ctx, missingG[start:min(start+50, len(missingG))], BatchOptions{})
		rep.Repaired += res.Writes()
		rep.failed(res)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// failed records a repair batch's record errors.
func (r *Report) failed(res Result) {
	for _, o := range res.Errors() {
		r.Failed = append(r.Failed, o.Key+": "+o.Err)
	}
}

// fillBlanks writes to a differing pair's client the synced fields it has
// no value for and its contact has, and reports the writes made (0 or 1).
// The link keeps the write marks.
func (e *Engine) fillBlanks(ctx context.Context, l *store.Link, p pair, g map[string]any) (int, error) {
	if e.spec.ToRepsly == nil || !e.spec.pushesToRepsly() {
		return 0, nil
	}
	in, err := repslyInput(p.client)
	if err != nil {
		return 0, err
	}
	back, err := e.imageToRepsly(ctx, g, in)
	if err != nil {
		return 0, err
	}
	own := flatten(in)
	patch := record{}
	for k, v := range back {
		if k != "Code" && own[k] == nil && v != nil {
			patch[k] = v
		}
	}
	if len(patch) == 0 {
		return 0, nil
	}
	ls := newLinkState(*l)
	ls.r = in
	if err := e.writeRepsly(ctx, ls, patch, true); err != nil {
		return 0, err
	}
	l.WriteMarks, l.PendingWrites = ls.marks.json(), ls.pending.json()
	return 1, nil
}
