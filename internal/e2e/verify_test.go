package e2e_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// problems collects what verify finds, to report it all at once.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// outcome is what verify found, by kind, so that judge can tell what a
// known product bug explains from what is new.
type outcome struct {
	drift string   // the final reconcile's summary when it does not agree
	dupes problems // records doubled or gone
	// wrong are links whose contact carries another client's code.
	wrong problems
	// half are records created halfway: contacts without a code, links not
	// linked, leads or clients missing on the other side.
	half problems
	// counts is set when clients, contacts and linked pairs differ.
	counts string
	// lost are edits missing on a side, on records edited on one side;
	// lostUnlinked on records edited before their link was committed;
	// lostLead on clients created from HighLevel contacts (GHL-<id>);
	// across on records edited on both sides.
	lost, lostUnlinked, lostLead, across problems
	// stale are edits overwritten by a value set by an earlier edit.
	stale problems
}

// verify checks the end state with the server stopped: a full reconcile
// agrees, the links pair every client with exactly one contact, nothing
// is duplicated, every created record exists once on each side, and every
// edit in the ledger holds on both sides.
func (h *harness) verify(ctx context.Context, l *ledger) outcome {
	h.t.Helper()
	core := h.openCore(ctx)
	defer core.Close()
	eng, err := app.NewEngines(core).Engine(ctx, flowName)
	if err != nil {
		h.t.Fatal(err)
	}
	var o outcome
	rep, err := eng.Reconcile(ctx, false)
	if err != nil {
		h.t.Fatalf("seed %d: final reconcile: %v", h.seed, err)
	}
	if !rep.InSync() {
		o.drift = summary(rep)
	}

	clients := h.env.Repsly.Clients()
	contacts := h.env.GHL.Contacts()
	clientByCode := map[string]repslysandbox.Client{}
	clientsByEmail := map[string]int{}
	for _, c := range clients {
		clientByCode[c.Code] = c
		if e := strings.ToLower(c.Email); strings.HasSuffix(e, "@e2e.test") {
			clientsByEmail[e]++
		}
	}
	contactByID := map[string]ghlsandbox.Contact{}
	contactsByCode := map[string][]ghlsandbox.Contact{}
	contactsByEmail := map[string]int{}
	for _, c := range contacts {
		contactByID[c.ID] = c
		if e := strings.ToLower(c.Email); strings.HasSuffix(e, "@e2e.test") {
			contactsByEmail[e]++
		}
		code := codeOf(c)
		if code == "" {
			o.half.add("contact %s (%s) carries no client code", c.ID, c.Email)
			continue
		}
		contactsByCode[code] = append(contactsByCode[code], c)
	}
	for code, list := range contactsByCode {
		if len(list) > 1 {
			o.dupes.add("duplicate: %d contacts carry client code %s", len(list), code)
		}
		if _, ok := clientByCode[code]; !ok {
			o.half.add("contact %s carries code %s, which no Repsly client has", list[0].ID, code)
		}
	}
	for e, n := range clientsByEmail {
		if n > 1 {
			o.dupes.add("duplicate: %d Repsly clients have email %s", n, e)
		}
	}
	for e, n := range contactsByEmail {
		if n > 1 {
			o.dupes.add("duplicate: %d contacts have email %s", n, e)
		}
	}

	byCode, byID := map[string]int{}, map[string]int{}
	linked := 0
	err = core.Store.ListLinks(ctx, flowName, func(k store.Link) error {
		byCode[k.RepslyCode]++
		byID[k.GHLID]++
		if k.State == store.LinkLinked {
			linked++
		} else {
			o.half.add("link %s<->%s is in state %s", k.RepslyCode, k.GHLID, k.State)
		}
		if c, ok := contactByID[k.GHLID]; ok && codeOf(c) != "" && codeOf(c) != k.RepslyCode {
			o.wrong.add("wrong link: %s<->%s, but the contact carries code %s", k.RepslyCode, k.GHLID, codeOf(c))
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	for code, n := range byCode {
		if n > 1 {
			o.dupes.add("duplicate: client code %s is on %d links", code, n)
		}
	}
	for id, n := range byID {
		if n > 1 {
			o.dupes.add("duplicate: contact %s is on %d links", id, n)
		}
	}
	if len(clients) != len(contacts) || len(contacts) != linked {
		o.counts = fmt.Sprintf("counts differ: %d Repsly clients, %d HighLevel contacts, %d linked pairs", len(clients), len(contacts), linked)
	}

	// Each lead is one Repsly client (Code GHL-<id>, the deterministic
	// code), each new client one contact.
	for id := range l.leads {
		code := "GHL-" + id
		if _, ok := clientByCode[code]; !ok {
			o.half.add("lead %s was never created in Repsly (no client %s)", id, code)
		}
		if c, ok := contactByID[id]; !ok {
			o.dupes.add("lead %s is gone from HighLevel", id)
		} else if got := codeOf(c); got != code {
			o.half.add("lead %s carries code %q, want %s", id, got, code)
		}
	}
	for code := range l.clients {
		if len(contactsByCode[code]) == 0 {
			o.half.add("new client %s has no contact", code)
		}
	}

	// Lost updates, by what may explain them.
	bothSided := map[string]bool{}
	for id := range l.ghl {
		if code := codeOf(contactByID[id]); l.repsly[code] != nil {
			bothSided[code] = true
		}
	}
	lost := func(code, histKey, got, format string, args ...any) {
		switch {
		case l.earlier[histKey][got]:
			o.stale.add(format, args...)
		case l.unlinked[code]:
			o.lostUnlinked.add(format, args...)
		case strings.HasPrefix(code, "GHL-"):
			o.lostLead.add(format, args...)
		case bothSided[code]:
			o.across.add(format, args...)
		default:
			o.lost.add(format, args...)
		}
	}
	for code, fields := range l.repsly {
		c, okC := clientByCode[code]
		cts := contactsByCode[code]
		for field, want := range fields {
			if !okC {
				o.dupes.add("client %s is gone (a rep set its %s=%q)", code, field, want)
				continue
			}
			if got := repslyField(c, field); got != want {
				lost(code, code+"/"+field, got, "lost update: Repsly client %s %s=%q, the rep set %q", code, field, got, want)
			}
			if len(cts) == 1 {
				if got := ghlField(cts[0], field); got != want {
					lost(code, code+"/"+field, got, "lost update: contact %s (code %s) %s=%q, the rep set %q in Repsly", cts[0].ID, code, field, got, want)
				}
			}
		}
	}
	for id, fields := range l.ghl {
		ct, ok := contactByID[id]
		if !ok {
			o.dupes.add("contact %s is gone (a user edited it)", id)
			continue
		}
		code := codeOf(ct)
		c, okC := clientByCode[code]
		for field, want := range fields {
			if got := ghlField(ct, field); got != want {
				lost(code, id+"/"+field, got, "lost update: contact %s %s=%q, the user set %q", id, field, got, want)
			}
			if okC {
				if got := repslyField(c, field); got != want {
					lost(code, id+"/"+field, got, "lost update: Repsly client %s (contact %s) %s=%q, the user set %q in HighLevel", code, id, field, got, want)
				}
			}
		}
	}
	h.t.Logf("end state: %d clients, %d contacts, %d linked pairs; %d edits (%d records edited on both sides); found: %d duplicates, %d wrong links, %d half-made records, %d+%d+%d+%d+%d lost updates (one side, before the link, on leads, both sides, an earlier value back)",
		len(clients), len(contacts), linked, l.edits, len(bothSided), len(o.dupes), len(o.wrong), len(o.half), len(o.lost), len(o.lostUnlinked), len(o.lostLead), len(o.across), len(o.stale))
	return o
}

// mode says what a test did to the server.
type mode struct {
	crashes      bool // SIGKILLs
	failedWrites bool // API requests answered with errors
}

func (m mode) String() string {
	switch {
	case m.crashes:
		return "after crashes"
	case m.failedWrites:
		return "under injected faults"
	}
	return "with the server up"
}

// Kinds of problems verify reports.
const (
	kindDupes    = "duplicates"
	kindWrong    = "wrong links"
	kindHalf     = "half-made records"
	kindLost     = "lost updates"
	kindUnlinked = "lost updates on records edited before their link was committed"
	kindLead     = "lost updates on clients created from HighLevel contacts"
	kindAcross   = "lost updates on records edited on both sides"
	kindStale    = "lost updates overwritten by an earlier edit's value"
	kindDrift    = "drift"
)

// judge fails the test on anything verify found.
func (h *harness) judge(o outcome, m mode) {
	h.t.Helper()
	var found []string
	section := func(kind string, list problems) {
		if len(list) > 0 {
			found = append(found, fmt.Sprintf("%s (%d):\n  %s", kind, len(list), strings.Join(first(list, 8), "\n  ")))
		}
	}
	section(kindDupes, o.dupes)
	section(kindWrong, o.wrong)
	section(kindHalf, o.half)
	section(kindLost, o.lost)
	section(kindUnlinked, o.lostUnlinked)
	section(kindLead, o.lostLead)
	section(kindAcross, o.across)
	section(kindStale, o.stale)
	var tail problems
	if o.drift != "" {
		tail = append(tail, "final "+o.drift)
	}
	if o.counts != "" {
		tail = append(tail, o.counts)
	}
	section(kindDrift, tail)
	if len(found) > 0 {
		h.t.Fatalf("seed %d (replay with %s=%d), %s: after convergence:\n%s", h.seed, envSeed, h.seed, m, strings.Join(found, "\n"))
	}
}

func repslyField(c repslysandbox.Client, field string) string {
	switch field {
	case "City":
		return c.City
	case "Email":
		return c.Email
	case "Website":
		return c.Website
	}
	panic("repslyField: " + field)
}

func ghlField(c ghlsandbox.Contact, field string) string {
	switch field {
	case "City":
		return c.City
	case "Email":
		return strings.ToLower(c.Email)
	case "Website":
		return c.Website
	}
	panic("ghlField: " + field)
}
