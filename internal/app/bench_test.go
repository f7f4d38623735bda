package app_test

import (
	"context"
	"crypto"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// BenchmarkWebhookToRepsly measures, on a running server, the time from a
// HighLevel user's edit (its webhook sent) to the change being in Repsly,
// and the API calls each synced change costs. It reports p50 and p99.
func BenchmarkWebhookToRepsly(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Clients: 200, Seed: 5, Logger: logger})
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	cfg := testConfig(b, map[string]string{
		"FIELDBRIDGE_GHL_RATE_LIMIT": "off",
		// Webhooks carry the changes measured here; the polls run as in
		// production, and the Repsly poll confirms the imports sent.
		"FIELDBRIDGE_POLL_INTERVAL": "1s",
	})
	a, err := app.New(ctx, cfg, logger, app.Options{WebhookKeys: []crypto.PublicKey{env.GHL.WebhookPublicKey()}, FetchPollInterval: 5 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = a.Stop(context.Background()) }()
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	addSandboxConnections(ctx, b, a.Connections, env)
	tmpl, err := flow.TemplateByID("repsly-ghl-two-way-sync")
	must(err)
	prog, err := tmpl.Instantiate("two-way", map[string]string{"repsly_connection": "repsly", "ghl_connection": "ghl"}, flow.Options{})
	must(err)
	src, err := flow.Marshal(prog.Flow())
	must(err)
	must(a.Store.InTx(ctx, func(tx store.Tx) error {
		_, _, err := a.Store.PutFlow(ctx, tx, store.FlowInput{Name: "two-way", Kind: "sync", YAML: string(src)}, time.Now())
		return err
	}))
	_, err = a.Jobs.Insert(ctx, job.BackfillArgs{Flow: "two-way"}, nil)
	must(err)
	for state := ""; state != "done"; time.Sleep(10 * time.Millisecond) {
		state, _ = a.Store.GetCursor(ctx, a.Store.DB(), "two-way", "backfill.state")
	}
	env.GHL.SetWebhookURLs("http://" + a.Addr() + "/hooks/ghl")
	links := map[string]string{} // contact id -> client code
	must(a.Store.ListLinks(ctx, "two-way", func(l store.Link) error { links[l.GHLID] = l.RepslyCode; return nil }))
	ids := make([]string, 0, len(links))
	for id := range links {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var lat []time.Duration
	routesBefore := env.GHL.Calls().ByRoute
	repslyBefore := env.Repsly.Requests()
	b.ResetTimer()
	for i := range b.N {
		id := ids[i%len(ids)]
		city := fmt.Sprintf("City %d", i)
		start := time.Now()
		_, err := env.GHL.UserUpdateContact(id, func(c *ghlsandbox.Contact) { c.City = city })
		must(err)
		deadline := start.Add(30 * time.Second)
		for {
			if cl, _ := env.Repsly.Client(links[id]); cl.City == city {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("change %d never reached Repsly", i)
			}
			time.Sleep(200 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	// Every import settled (confirmed by a poll, or by a status read).
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		pending, err := a.Store.LinksWithPendingWrites(ctx, a.Store.DB(), "two-way")
		must(err)
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d links still hold pending writes", len(pending))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
	// The polls' reads are a fixed cost per interval, whatever changed:
	// counted apart from the calls the changes cost, as "poll-calls".
	repslyCalls, pollCalls := 0, 0
	for k, v := range env.Repsly.Requests() {
		d := int(v - repslyBefore[k])
		if d > 0 {
			b.Logf("Repsly %s: %d calls", k, d)
		}
		if strings.HasPrefix(k, "export/") && !strings.Contains(k, "importStatus") {
			pollCalls += d
			continue
		}
		repslyCalls += d
	}
	ghlCalls := 0
	for r, n := range env.GHL.Calls().ByRoute {
		d := n - routesBefore[r]
		if d > 0 {
			b.Logf("HighLevel %s: %d calls", r, d)
		}
		// The template's activity part copies the seeded notes and visits
		// to contacts meanwhile: not a cost of the changes measured.
		if strings.Contains(r, "/contacts/search") || strings.HasSuffix(r, "/notes") {
			pollCalls += d
			continue
		}
		ghlCalls += d
	}
	b.ReportMetric(float64(ghlCalls)/float64(b.N), "ghl-calls/change")
	b.ReportMetric(float64(repslyCalls)/float64(b.N), "repsly-calls/change")
	b.ReportMetric(float64(pollCalls), "poll-calls")
}
