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
// Every contact is held while the clients are read page by page, each
// page with its links; what is kept of a client or a link is only what
// the report or the repair needs (at 100,000 clients, holding both sides
// and every link took over 1 GB).
func (e *Engine) Reconcile(ctx context.Context, repair bool) (Report, error) {
	rep := Report{Flow: e.spec.Flow, MissingInGHL: []string{}, MissingInRepsly: []string{}, Orphaned: []string{},
		Differing: []FieldDrift{}, Duplicates: []string{}, Shared: []SharedValue{}}
	if err := e.prepare(ctx); err != nil {
		return rep, err
	}
	// Writes are judged as of the first read (stale.go).
	readAt := e.now()
	contacts := map[string]ghl.Contact{}
	byCode := map[string][]string{}
	for page, err := range e.ghl.SearchContactPages(ctx, ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit}) {
		if err != nil {
			return rep, fmt.Errorf("syncer: reconcile: search contacts: %w", err)
		}
		for _, c := range page.Contacts {
			contacts[c.ID] = c
			if g, err := ghlInput(c, e.keyOf); err == nil {
				if code, _ := flatten(g)["customFields."+e.spec.CodeField].(string); code != "" {
					byCode[code] = append(byCode[code], c.ID)
				}
			}
		}
	}
	rep.Contacts = len(contacts)
	for code, ids := range byCode {
		if len(ids) > 1 {
			rep.Duplicates = append(rep.Duplicates, code)
		}
	}
	holders, err := e.valueHolders(ctx, contacts)
	if err != nil {
		return rep, err
	}
	c := reconcileRun{e: e, rep: &rep, contacts: contacts, holders: holders, seen: map[string]bool{},
		linkedIDs: map[string]bool{}, orphaned: map[string]store.Link{}, differing: map[string]pair{}, missing: map[string]repsly.ClientRecord{}}
	for page, err := range repsly.Pages(ctx, e.rep.ExportClients, repsly.TimestampCursor(0)) {
		if err != nil {
			return rep, fmt.Errorf("syncer: reconcile: export clients: %w", err)
		}
		if err := c.clients(ctx, page.Items); err != nil {
			return rep, err
		}
	}
	rep.Clients = len(c.seen)
	// Links whose client is gone.
	if err := e.st.ListLinks(ctx, e.spec.Flow, func(l store.Link) error {
		rep.Links++
		if l.State != store.LinkDeleted && !c.seen[l.RepslyCode] {
			c.orphaned[orphanKey(l)] = l
		}
		return nil
	}); err != nil {
		return rep, err
	}
	orphaned := slices.SortedFunc(maps.Values(c.orphaned), func(a, b store.Link) int { return cmp.Compare(a.ID, b.ID) })
	for _, l := range orphaned {
		rep.Orphaned = append(rep.Orphaned, orphanKey(l))
	}
	var differing []pair
	for _, code := range slices.Sorted(maps.Keys(c.differing)) {
		differing = append(differing, c.differing[code])
	}
	slices.SortFunc(rep.Differing, func(a, b FieldDrift) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(rep.Shared, func(a, b SharedValue) int { return strings.Compare(a.Code, b.Code) })
	var missingR []repsly.ClientRecord
	for _, code := range slices.Sorted(maps.Keys(c.missing)) {
		rep.MissingInGHL = append(rep.MissingInGHL, code)
		missingR = append(missingR, c.missing[code])
	}
	var missingG []GHLChange
	for id, ct := range contacts {
		if !c.linkedIDs[id] && e.spec.pushesToRepsly() {
			rep.MissingInRepsly = append(rep.MissingInRepsly, id)
			missingG = append(missingG, GHLChange{Contact: ct, At: contactTime(&ct, e.now())})
		}
	}
	slices.Sort(rep.MissingInRepsly)
	slices.Sort(rep.Duplicates)
	if !repair {
		return rep, nil
	}
	return e.repair(ctx, rep, readAt, orphaned, differing, missingR, missingG)
}

// reconcileRun is what a reconcile keeps while it reads the clients.
type reconcileRun struct {
	e         *Engine
	rep       *Report
	contacts  map[string]ghl.Contact
	holders   holders
	seen      map[string]bool // every client code read
	linkedIDs map[string]bool // contacts linked to a client read
	orphaned  map[string]store.Link
	differing map[string]pair                // by client code
	missing   map[string]repsly.ClientRecord // clients with no contact
}

// clients compares a page of clients with their contacts through their
// links. A client read twice (it changed during the export) is judged as
// last read.
func (c *reconcileRun) clients(ctx context.Context, page []repsly.ClientRecord) error {
	e := c.e
	codes := make([]string, len(page))
	for i, cl := range page {
		codes[i] = cl.Code
	}
	links, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, codes)
	if err != nil {
		return err
	}
	for _, cl := range page {
		if c.seen[cl.Code] {
			c.forget(cl.Code)
		}
		c.seen[cl.Code] = true
		l, linked := links[cl.Code]
		if linked && l.State == store.LinkDeleted {
			continue
		}
		ct, okG := c.contacts[l.GHLID]
		if linked && !okG {
			c.orphaned[orphanKey(l)] = l
		}
		if !linked || !okG {
			if e.spec.pushesToGHL() && (cl.Active || e.spec.OnRepslyDeactivate != DeactivateDelete) {
				c.missing[cl.Code] = cl
			}
			continue
		}
		c.linkedIDs[l.GHLID] = true
		fields, img, err := e.compare(ctx, cl, ct)
		if err != nil {
			return err
		}
		fields, shared := c.holders.split(fields, ct.ID, img)
		for _, sv := range shared {
			sv.Code = cl.Code
			c.rep.Shared = append(c.rep.Shared, sv)
		}
		if len(fields) > 0 {
			c.rep.Differing = append(c.rep.Differing, FieldDrift{Code: cl.Code, ContactID: ct.ID, Fields: fields})
			c.differing[cl.Code] = pair{cl, ct}
		}
	}
	return nil
}

// forget drops what an earlier read of a client found.
func (c *reconcileRun) forget(code string) {
	delete(c.missing, code)
	delete(c.differing, code)
	c.rep.Differing = slices.DeleteFunc(c.rep.Differing, func(d FieldDrift) bool { return d.Code == code })
	c.rep.Shared = slices.DeleteFunc(c.rep.Shared, func(sv SharedValue) bool { return sv.Code == code })
	for k, l := range c.orphaned {
		if l.RepslyCode == code {
			delete(c.orphaned, k)
		}
	}
}

func orphanKey(l store.Link) string { return fmt.Sprintf("%s<->%s", l.RepslyCode, l.GHLID) }

// compare lists the synced fields on which a client and its contact
// disagree, in HighLevel's terms. Mappings need not be symmetric (a
// contact without a company name becomes a client named after the
// person), so a pair also counts as in sync when mapping the contact
// reproduces the client.
func (e *Engine) compare(ctx context.Context, cl repsly.ClientRecord, ct ghl.Contact) (fields []string, img record, err error) {
	if e.spec.ToGHL == nil {
		return nil, nil, nil
	}
	in, err := repslyInput(cl)
	if err != nil {
		return nil, nil, err
	}
	g, err := ghlInput(ct, e.keyOf)
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
