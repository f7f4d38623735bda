package syncer_test

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// templateSpec is the two-way template's spec for a flow named name, as
// `fieldbridge flows create` stores it and the server builds it.
func templateSpec(tb testing.TB, name string) syncer.Spec {
	tb.Helper()
	tmpl, err := flow.TemplateByID("repsly-ghl-two-way-sync")
	if err != nil {
		tb.Fatal(err)
	}
	prog, err := tmpl.Instantiate(name, nil, flow.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	sf, err := app.SpecFromProgram(prog)
	if err != nil {
		tb.Fatal(err)
	}
	return sf.Spec
}

// templateEngine replaces the bundle's engine with one built from the
// two-way template, as the server builds it from a stored flow.
func templateEngine(t *testing.T, b *testBundle) {
	t.Helper()
	eng, err := syncer.New(syncer.Config{Spec: templateSpec(t, "two-way"), Store: b.store, GHL: b.ghl, Repsly: b.repsly, Now: b.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	b.engine = eng
}

// TestTemplateInactiveTagBothWays checks the two-way template's
// deactivation rule end to end: the inactive tag added in HighLevel
// deactivates the client, removing it reactivates the client, and a client
// deactivated in Repsly tags its contact.
func TestTemplateInactiveTagBothWays(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 3})
	templateEngine(t, b)
	code, id := linkedPair(t, b)
	if _, err := b.env.GHL.UserAddTag(id, "repsly-inactive"); err != nil {
		t.Fatal(err)
	}
	res := b.feedWebhooks(t)
	if cl, _ := b.env.Repsly.Client(code); cl.Active {
		t.Fatalf("tagging the contact left the client active: %v %+v", res.Counts, res.Errors())
	}
	if _, err := b.env.GHL.UserRemoveTag(id, "repsly-inactive"); err != nil {
		t.Fatal(err)
	}
	b.feedWebhooks(t)
	if cl, _ := b.env.Repsly.Client(code); !cl.Active {
		t.Fatal("removing the tag left the client inactive")
	}
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	other := b.env.Repsly.Clients()[1].Code
	if _, err := b.env.Repsly.RepDeactivateClient(other); err != nil {
		t.Fatal(err)
	}
	b.pollRepsly(t, nil)
	links, _ := b.store.LinksByRepslyCodes(b.ctx, b.store.DB(), "two-way", []string{other})
	ct, _ := b.env.GHL.Contact(links[other].GHLID)
	tagged := false
	for _, tag := range ct.Tags {
		tagged = tagged || tag == "repsly-inactive"
	}
	if !tagged {
		t.Fatalf("deactivated client's contact has tags %v", ct.Tags)
	}
	// Quiet afterwards: no ping-pong.
	b.feedWebhooks(t)
	before := b.calls()
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	if n := b.calls() - before; n > 2 {
		t.Fatalf("%d calls after convergence", n)
	}
}
