package e2e_test

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// ledger is every edit the simulated users made: the value each field
// must have on both sides at the end (no lost update), and the records
// they created (each must exist exactly once on each side).
type ledger struct {
	repsly  map[string]map[string]string // client code -> Repsly field -> last value set
	ghl     map[string]map[string]string // contact id -> HighLevel field -> last value set
	leads   map[string]string            // new lead's contact id -> its email
	clients map[string]string            // new client's code -> its email
	// unlinked holds the codes of records edited (on either side) while
	// their link was not committed as linked yet: created on the other
	// side just before a crash, or being created.
	unlinked map[string]bool
	// earlier holds every value set before the last one, by record and
	// field ("<key>/<field>"), to tell a stale value coming back from an
	// edit simply missing.
	earlier map[string]map[string]bool
	edits   int
}

// burst says how many edits of each kind one round makes.
type burst struct {
	repslyCity, repslyEmail int // Repsly reps edit clients
	ghlWebsite, ghlCity     int // HighLevel users edit contacts
	both                    int // one record, Repsly email and HighLevel website at once
	newClients, newLeads    int
}

func (b burst) String() string {
	return fmt.Sprintf("repsly city %d, email %d; ghl website %d, city %d; both sides %d; new clients %d, leads %d",
		b.repslyCity, b.repslyEmail, b.ghlWebsite, b.ghlCity, b.both, b.newClients, b.newLeads)
}

// editor makes edits as the users of both apps would, and books them.
//
// Field-level last-writer-wins means a field edited on both sides ends
// with whichever change the engine saw last, and Repsly's change time is
// only the poll time (it reports none). So that "the value last set" is
// well defined, each field of a record has one owner: Repsly owns Email;
// HighLevel owns Website; City belongs to Repsly for half the codes and
// to HighLevel for the other half. Different fields of one record are
// edited on both sides at once (burst.both), which field-level merging
// must keep. HighLevel edits go only to linked contacts (they carry the
// code): a first-time match lets Repsly's values win by design.
type editor struct {
	t    *testing.T
	env  *sandbox.Env
	rng  *rand.Rand
	seed int64
	n    int
	l    *ledger
	// linked returns the codes whose link is committed as linked.
	linked func() map[string]bool
}

func (h *harness) editor() *editor {
	return &editor{t: h.t, env: h.env, seed: h.seed, rng: rand.New(rand.NewPCG(uint64(h.seed), 1)), linked: h.linked, l: &ledger{
		repsly: map[string]map[string]string{}, ghl: map[string]map[string]string{},
		leads: map[string]string{}, clients: map[string]string{}, unlinked: map[string]bool{},
		earlier: map[string]map[string]bool{},
	}}
}

// repslyOwnsCity splits the codes between the two owners of City.
func repslyOwnsCity(code string) bool {
	h := fnv.New32a()
	_, _ = h.Write([]byte(code))
	return h.Sum32()%2 == 0
}

// codeOf is the Repsly code a contact carries, "" if none.
func codeOf(c ghlsandbox.Contact) string {
	for _, cf := range c.CustomFields {
		if cf.ID == sandbox.CodeFieldID {
			s, _ := cf.Value.(string)
			return s
		}
	}
	return ""
}

func (ed *editor) next() int { ed.n++; return ed.n }

func (ed *editor) book(m map[string]map[string]string, key, field, value string) {
	if m[key] == nil {
		m[key] = map[string]string{}
	}
	if old, ok := m[key][field]; ok {
		k := key + "/" + field
		if ed.l.earlier[k] == nil {
			ed.l.earlier[k] = map[string]bool{}
		}
		ed.l.earlier[k][old] = true
	}
	m[key][field] = value
	ed.l.edits++
}

// pick draws a record whose key was not used yet in this burst, and marks
// it used. Two edits of one field within the same millisecond cannot be
// ordered by change time (HighLevel stamps changes to the millisecond),
// and users do not make them, so a burst edits each record once.
func pick[T any](rng *rand.Rand, list []T, key func(T) string, used map[string]bool) (T, bool) {
	var zero T
	for range 20 {
		if len(list) == 0 {
			break
		}
		v := list[rng.IntN(len(list))]
		if k := key(v); !used[k] {
			used[k] = true
			return v, true
		}
	}
	return zero, false
}

// apply makes one burst of edits.
func (ed *editor) apply(b burst) {
	ed.t.Helper()
	clients := ed.env.Repsly.Clients()
	byCode := make(map[string]bool, len(clients))
	var cityClients []repslysandbox.Client
	for _, c := range clients {
		byCode[c.Code] = true
		if repslyOwnsCity(c.Code) {
			cityClients = append(cityClients, c)
		}
	}
	var linked, cityContacts []ghlsandbox.Contact
	for _, c := range ed.env.GHL.Contacts() {
		code := codeOf(c)
		if code == "" || !byCode[code] {
			continue
		}
		linked = append(linked, c)
		if !repslyOwnsCity(code) {
			cityContacts = append(cityContacts, c)
		}
	}
	committed := ed.linked()
	used := map[string]bool{}
	clientKey := func(c repslysandbox.Client) string { return c.Code }
	contactKey := func(c ghlsandbox.Contact) string { return codeOf(c) }
	for range b.repslyCity {
		if c, ok := pick(ed.rng, cityClients, clientKey, used); ok {
			ed.repslyEdit(committed, c.Code, "City", fmt.Sprintf("Rcity %d-%d", ed.seed, ed.next()))
		}
	}
	for range b.repslyEmail {
		if c, ok := pick(ed.rng, clients, clientKey, used); ok {
			ed.repslyEdit(committed, c.Code, "Email", fmt.Sprintf("r%d-%d@e2e.test", ed.seed, ed.next()))
		}
	}
	for range b.ghlWebsite {
		if c, ok := pick(ed.rng, linked, contactKey, used); ok {
			ed.ghlEdit(committed, c, "Website", fmt.Sprintf("https://w%d-%d.e2e.test", ed.seed, ed.next()))
		}
	}
	for range b.ghlCity {
		if c, ok := pick(ed.rng, cityContacts, contactKey, used); ok {
			ed.ghlEdit(committed, c, "City", fmt.Sprintf("Gcity %d-%d", ed.seed, ed.next()))
		}
	}
	for range b.both {
		if c, ok := pick(ed.rng, linked, contactKey, used); ok {
			ed.repslyEdit(committed, codeOf(c), "Email", fmt.Sprintf("b%d-%d@e2e.test", ed.seed, ed.next()))
			ed.ghlEdit(committed, c, "Website", fmt.Sprintf("https://b%d-%d.e2e.test", ed.seed, ed.next()))
		}
	}
	reps := ed.env.Repsly.Representatives()
	for range b.newClients {
		n := ed.next()
		code := fmt.Sprintf("E2E-%d-%04d", ed.seed, n)
		email := fmt.Sprintf("new%d-%d@e2e.test", ed.seed, n)
		rep := reps[ed.rng.IntN(len(reps))]
		_, err := ed.env.Repsly.RepCreateClient(rep.Code, repslysandbox.Client{Code: code, Name: "E2E Store " + code,
			ContactName: "Pat Lee", Email: email, City: "Springfield", Country: "US", Active: true})
		if err != nil {
			ed.t.Fatalf("seed %d: new client %s: %v", ed.seed, code, err)
		}
		ed.l.clients[code] = email
		ed.l.edits++
	}
	for range b.newLeads {
		n := ed.next()
		email := fmt.Sprintf("lead%d-%d@e2e.test", ed.seed, n)
		c, err := ed.env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Lead", LastName: fmt.Sprint(n), Email: email,
			CompanyName: fmt.Sprintf("Lead Market %d", n), Source: "e2e"})
		if err != nil {
			ed.t.Fatalf("seed %d: new lead: %v", ed.seed, err)
		}
		ed.l.leads[c.ID] = email
		ed.l.edits++
	}
}

func (ed *editor) repslyEdit(committed map[string]bool, code, field, value string) {
	ed.t.Helper()
	_, err := ed.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) {
		switch field {
		case "City":
			c.City = value
		case "Email":
			c.Email = value
		}
	})
	if err != nil {
		ed.t.Fatalf("seed %d: repsly edit %s %s: %v", ed.seed, code, field, err)
	}
	ed.book(ed.l.repsly, code, field, value)
	if !committed[code] {
		ed.l.unlinked[code] = true
	}
}

func (ed *editor) ghlEdit(committed map[string]bool, c ghlsandbox.Contact, field, value string) {
	ed.t.Helper()
	id := c.ID
	_, err := ed.env.GHL.UserUpdateContact(id, func(c *ghlsandbox.Contact) {
		switch field {
		case "City":
			c.City = value
		case "Website":
			c.Website = value
		}
	})
	if err != nil {
		ed.t.Fatalf("seed %d: highlevel edit %s %s: %v", ed.seed, id, field, err)
	}
	ed.book(ed.l.ghl, id, field, value)
	if code := codeOf(c); !committed[code] {
		ed.l.unlinked[code] = true
	}
}
