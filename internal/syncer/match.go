package syncer

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// Index holds every HighLevel contact of the location by match key, so a
// backfill matches thousands of clients with one search page per 500
// contacts instead of a lookup call per client. It loads on first use.
type Index struct {
	e       *Engine
	once    sync.Once
	err     error
	mu      sync.Mutex
	byCode  map[string]*ghl.Contact
	byEmail map[string]*ghl.Contact
	byPhone map[string]*ghl.Contact
	claimed map[string]bool
	codeOf  map[string]string // contact id -> client code it carries
	// held maps the email and phone of each contact this run created to
	// the client it was created for; refuses is set once the location
	// refused a create for a value another contact holds. Together they
	// let a later client that shares a chain store's phone skip the create
	// HighLevel would refuse. A nil Index (outside a backfill) knows none
	// of this. Both sides are 64-bit hashes (heldHash): a 100,000-client
	// backfill holds 200,000 entries, and strings tripled their memory.
	held    map[uint64]uint64
	refuses bool
	// Loaded counts the contacts read.
	Loaded int
}

// NewIndex returns an empty index that loads lazily.
func (e *Engine) NewIndex() *Index {
	return &Index{e: e, byCode: map[string]*ghl.Contact{}, byEmail: map[string]*ghl.Contact{},
		byPhone: map[string]*ghl.Contact{}, claimed: map[string]bool{}, codeOf: map[string]string{}, held: map[uint64]uint64{}}
}

func (ix *Index) ensure(ctx context.Context) error {
	ix.once.Do(func() {
		req := ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit}
		for page, err := range ix.e.ghl.SearchContactPages(ctx, req) {
			if err != nil {
				ix.err = fmt.Errorf("syncer: load HighLevel contacts for matching: %w", err)
				return
			}
			ids := make([]string, len(page.Contacts))
			for i := range page.Contacts {
				ids[i] = page.Contacts[i].ID
			}
			// Contacts already linked are taken: an unlinked client must
			// not match them (it shares an email or phone at most).
			linked, err := ix.e.st.LinkStatesByGHLIDs(ctx, ix.e.st.DB(), ix.e.spec.Flow, ids)
			if err != nil {
				ix.err = err
				return
			}
			ix.mu.Lock()
			for i := range page.Contacts {
				ix.add(&page.Contacts[i])
				if _, ok := linked[ids[i]]; ok {
					ix.claimed[ids[i]] = true
				}
			}
			ix.mu.Unlock()
		}
	})
	return ix.err
}

// add indexes c; the first contact holding a key keeps it.
func (ix *Index) add(c *ghl.Contact) {
	ix.Loaded++
	g, err := ghlInput(*c, ix.e.keyOf)
	if err != nil {
		return
	}
	flat := flatten(g)
	if code, ok := flat["customFields."+ix.e.spec.CodeField].(string); ok && code != "" {
		ix.codeOf[c.ID] = code
		if _, dup := ix.byCode[code]; !dup {
			ix.byCode[code] = c
		}
	}
	if email := strings.ToLower(strings.TrimSpace(c.Email)); email != "" {
		if _, dup := ix.byEmail[email]; !dup {
			ix.byEmail[email] = c
		}
	}
	if phone := strings.TrimSpace(c.Phone); phone != "" {
		if _, dup := ix.byPhone[phone]; !dup {
			ix.byPhone[phone] = c
		}
	}
}

// match finds an unclaimed contact by code, then email, then phone, and
// claims it in the same step, so two clients processed at once never link
// to one contact.
func (ix *Index) match(code string, keys []matchKey) *ghl.Contact {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	cands := []*ghl.Contact{ix.byCode[code]}
	for _, k := range keys {
		switch k.kind {
		case MatchEmail:
			cands = append(cands, ix.byEmail[strings.ToLower(k.value)])
		case MatchPhone:
			cands = append(cands, ix.byPhone[k.value])
		}
	}
	for _, cand := range cands {
		// A contact carrying a client's code belongs to that client: a
		// shared email or phone must not hand it to another one (after a
		// crash, the contacts a page created are in the index unlinked).
		if cand != nil && !ix.claimed[cand.ID] && (ix.codeOf[cand.ID] == "" || ix.codeOf[cand.ID] == code) {
			ix.claimed[cand.ID] = true
			return cand
		}
	}
	return nil
}

// claimedID reports whether a client of this run took contact id.
func (ix *Index) claimedID(id string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.claimed[id]
}

func (ix *Index) claim(id string) {
	ix.mu.Lock()
	ix.claimed[id] = true
	ix.mu.Unlock()
}

// hold records the email and phone a contact created for client code was
// sent with.
func (ix *Index) hold(sent record, code string) {
	if ix == nil {
		return
	}
	by := heldHash("", code)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, k := range heldKeys(sent) {
		if _, ok := ix.held[k.hash]; !ok {
			ix.held[k.hash] = by
		}
	}
}

// refused notes that the location refuses duplicate contacts.
func (ix *Index) refused() {
	if ix == nil {
		return
	}
	ix.mu.Lock()
	ix.refuses = true
	ix.mu.Unlock()
}

// heldField returns the field ("phone" or "email") of img that a contact
// created in this run for another client holds, in a location known to
// refuse duplicates: a create sending it would be refused. It returns ""
// otherwise, and always when the location has not refused anything yet.
func (ix *Index) heldField(img record, code string) string {
	if ix == nil {
		return ""
	}
	by := heldHash("", code)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.refuses {
		return ""
	}
	for _, k := range heldKeys(img) {
		// Two values sharing a hash would drop a value HighLevel takes
		// (one chance in about 10^10 for a 100,000-client run); two codes
		// sharing one only cost the refused call this saves.
		if other, ok := ix.held[k.hash]; ok && other != by {
			return k.field
		}
	}
	return ""
}

// heldKey is a field of held: its name and the hash of its value.
type heldKey struct {
	field string
	hash  uint64
}

// heldKeys are the keys of held for a record's email and phone, in the
// order HighLevel's duplicate check names them.
func heldKeys(r record) []heldKey {
	keys := make([]heldKey, 0, 2)
	if m, ok := r["email"].(string); ok && m != "" {
		keys = append(keys, heldKey{"email", heldHash("email", strings.ToLower(m))})
	}
	if p, ok := r["phone"].(string); ok && p != "" {
		keys = append(keys, heldKey{"phone", heldHash("phone", p)})
	}
	return keys
}

// heldHash is the 64-bit FNV-1a hash of field and value.
func heldHash(field, value string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(field))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(value))
	return h.Sum64()
}

// Contacts calls fn for every indexed contact (loading the index first).
func (ix *Index) Contacts(ctx context.Context, fn func(*ghl.Contact)) error {
	if err := ix.ensure(ctx); err != nil {
		return err
	}
	ix.mu.Lock()
	seen := map[string]bool{}
	var all []*ghl.Contact
	for _, m := range []map[string]*ghl.Contact{ix.byCode, ix.byEmail, ix.byPhone} {
		for _, c := range m {
			if !seen[c.ID] {
				seen[c.ID] = true
				all = append(all, c)
			}
		}
	}
	ix.mu.Unlock()
	for _, c := range all {
		fn(c)
	}
	return nil
}

// findContact looks for the contact a client should link to: through the
// index when there is one, else by the code custom field and then by
// HighLevel's duplicate search on email and phone (two calls at most, only
// for clients not linked yet).
func (e *Engine) findContact(ctx context.Context, code string, img record, ix *Index) (*ghl.Contact, error) {
	keys := e.spec.matchKeys(img)
	if ix != nil {
		if err := ix.ensure(ctx); err != nil {
			return nil, err
		}
		return ix.match(code, keys), nil
	}
	var email, phone string
	for _, k := range keys {
		switch k.kind {
		case MatchEmail:
			email = k.value
		case MatchPhone:
			phone = k.value
		}
	}
	res, err := e.ghl.SearchContacts(ctx, ghl.SearchContactsRequest{PageLimit: 1, Filters: []ghl.Filter{
		{Field: "customFields." + e.spec.CodeField, Operator: "eq", Value: code}}})
	if err != nil {
		return nil, fmt.Errorf("syncer: find contact with code %s: %w", code, err)
	}
	if len(res.Contacts) > 0 {
		return &res.Contacts[0], nil
	}
	if email == "" && phone == "" {
		return nil, nil
	}
	c, err := e.ghl.FindDuplicateContact(ctx, email, phone)
	if err != nil {
		return nil, fmt.Errorf("syncer: find contact for client %s: %w", code, err)
	}
	if c != nil {
		if g, err := ghlInput(*c, e.keyOf); err == nil {
			if other, _ := flatten(g)["customFields."+e.spec.CodeField].(string); other != "" && other != code {
				return nil, nil // another client's contact
			}
		}
	}
	return c, nil
}
