package e2e_test

import (
	"context"
	"fmt"
	"slices"
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
	drift     string            // the final reconcile's summary when it does not agree
	dupes     problems          // records doubled: never explained, except dupCodes
	dupCodes  map[string]int    // client code -> contacts carrying it, when > 1
	mismatch  map[string]string // contact id -> code it carries, when its link names another client
	mismatchP problems
	// half are records created halfway: contacts without a code, links not
	// linked, leads or clients missing on the other side.
	half problems
	// counts is set when clients, contacts and linked pairs differ.
	counts string
	// lost are edits missing on a side, on records edited on one side;
	// lostUnlinked on contacts edited before their link was committed;
	// across on records edited on both sides.
	lost, lostUnlinked, across problems
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
	o := outcome{dupCodes: map[string]int{}, mismatch: map[string]string{}}
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
			o.dupCodes[code] = len(list)
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
			o.mismatch[k.GHLID] = codeOf(c)
			o.mismatchP.add("wrong link: %s<->%s, but the contact carries code %s", k.RepslyCode, k.GHLID, codeOf(c))
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
	lost := func(code, id, format string, args ...any) {
		switch {
		case bothSided[code]:
			o.across.add(format, args...)
		case l.unlinked[id]:
			o.lostUnlinked.add(format, args...)
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
				lost(code, "", "lost update: Repsly client %s %s=%q, the rep set %q", code, field, got, want)
			}
			if len(cts) == 1 {
				if got := ghlField(cts[0], field); got != want {
					lost(code, "", "lost update: contact %s (code %s) %s=%q, the rep set %q in Repsly", cts[0].ID, code, field, got, want)
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
				lost(code, id, "lost update: contact %s %s=%q, the user set %q", id, field, got, want)
			}
			if okC {
				if got := repslyField(c, field); got != want {
					lost(code, id, "lost update: Repsly client %s (contact %s) %s=%q, the user set %q in HighLevel", code, id, field, got, want)
				}
			}
		}
	}
	h.t.Logf("end state: %d clients, %d contacts, %d linked pairs; %d edits (%d records edited on both sides); found: %d duplicates, %d wrong links, %d half-made records, %d+%d+%d lost updates (one side, before the link, both sides)",
		len(clients), len(contacts), linked, l.edits, len(bothSided), len(o.dupes), len(o.mismatchP), len(o.half), len(o.lost), len(o.lostUnlinked), len(o.across))
	return o
}

// explainingBug returns a bug already found that leaves drift behind, or
// "" if none was.
func explainingBug(bugs map[string]bool) string {
	for _, b := range []string{bugFailedWrite, bugInterruptedLead, bugIndexSteal} {
		if bugs[b] {
			return b
		}
	}
	return ""
}

// mode says what a test did to the server, which decides which known
// bugs may explain what verify found.
type mode struct {
	crashes      bool // SIGKILLs
	failedWrites bool // API requests answered with errors
}

// judge fails the test on anything verify found that no known product
// bug explains; when known bugs explain all of it, it skips the test,
// naming them. With the bugs fixed, judge passes only a clean end state.
func (h *harness) judge(o outcome, m mode) {
	h.t.Helper()
	var unexplained, explained []string
	bugs := map[string]bool{}
	section := func(name string, list problems, bug string) {
		if len(list) == 0 {
			return
		}
		text := fmt.Sprintf("%s (%d):\n  %s", name, len(list), strings.Join(first(list, 6), "\n  "))
		if bug == "" {
			unexplained = append(unexplained, text)
			return
		}
		bugs[bug] = true
		explained = append(explained, text)
	}
	either := func(ok bool, bug string) string {
		if ok {
			return bug
		}
		return ""
	}
	// A wrong link and the second contact it leaves for the robbed client:
	// every doubled code must be one a wrongly linked contact carries.
	stolen := map[string]bool{}
	for _, code := range o.mismatch {
		stolen[code] = true
	}
	indexBug := m.crashes && len(o.mismatch) > 0
	for code := range o.dupCodes {
		indexBug = indexBug && stolen[code]
	}
	var dupCodes, otherDupes problems
	for _, d := range o.dupes {
		if strings.Contains(d, "contacts carry client code") {
			dupCodes = append(dupCodes, d)
		} else {
			otherDupes = append(otherDupes, d)
		}
	}
	section("duplicates", otherDupes, "")
	section("contacts doubled by code", dupCodes, either(indexBug, bugIndexSteal))
	section("wrong links", o.mismatchP, either(indexBug, bugIndexSteal))
	halfBug := either(m.crashes, bugInterruptedLead)
	if m.failedWrites {
		halfBug = bugFailedWrite
	}
	section("half-made records", o.half, halfBug)
	lostBug := either(m.failedWrites, bugFailedWrite)
	if lostBug == "" && indexBug {
		lostBug = bugIndexSteal // a wrong link copies one client's fields onto another
	}
	section("lost updates", o.lost, lostBug)
	relinkBug := either(m.crashes, bugRelinkOverwrites)
	if relinkBug == "" {
		relinkBug = lostBug
	}
	section("lost updates on contacts edited before their link was committed", o.lostUnlinked, relinkBug)
	section("lost updates on records edited on both sides", o.across, bugAcrossSides)
	// Drift and miscounts follow from half-made records and wrong links.
	var tail problems
	if o.drift != "" {
		tail = append(tail, "final "+o.drift)
	}
	if o.counts != "" {
		tail = append(tail, o.counts)
	}
	section("drift", tail, explainingBug(bugs))
	head := fmt.Sprintf("seed %d (replay with %s=%d)", h.seed, envSeed, h.seed)
	if len(unexplained) > 0 {
		h.t.Fatalf("%s: after convergence:\n%s\n\nalso found, explained by known bugs:\n%s", head, strings.Join(unexplained, "\n"), strings.Join(explained, "\n"))
	}
	if len(bugs) > 0 {
		var names []string
		for b := range bugs {
			names = append(names, b)
		}
		slices.Sort(names)
		h.t.Skipf("%s\n\n%s: all that was found is explained by the bugs above:\n%s", strings.Join(names, "\n\n"), head, strings.Join(explained, "\n"))
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
