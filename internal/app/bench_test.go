package app_test

import (
	"context"
	"crypto"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
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
	a, env, links, ids := twoWayServer(ctx, b, 200)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
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

// twoWayServer starts a server (SQLite, polls every second as in
// production; BENCH_POSTGRES=1 for PostgreSQL) syncing a sandbox of n clients with the two-way template,
// waits for its backfill and points the sandbox's webhooks at it. It
// returns the server, the sandbox, each contact's client code and the
// contact ids.
func twoWayServer(ctx context.Context, b *testing.B, n int) (*app.App, *sandbox.Env, map[string]string, []string) {
	b.Helper()
	logger := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Clients: n, Seed: 5, Logger: logger})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(env.Close)
	cfg := testConfig(b, map[string]string{
		"FIELDBRIDGE_GHL_RATE_LIMIT": "off",
		// Webhooks carry the changes measured here; the polls run as in
		// production, and the Repsly poll confirms the imports sent.
		"FIELDBRIDGE_POLL_INTERVAL": "1s",
	})
	if os.Getenv("BENCH_POSTGRES") != "" {
		// On PostgreSQL (TEST_DATABASE_URL), as several servers run.
		cfg = testConfig(b, map[string]string{"FIELDBRIDGE_GHL_RATE_LIMIT": "off", "FIELDBRIDGE_POLL_INTERVAL": "1s",
			"FIELDBRIDGE_DB": databasetest.DSN(b, database.Postgres)})
	}
	a, err := app.New(ctx, cfg, logger, app.Options{WebhookKeys: []crypto.PublicKey{env.GHL.WebhookPublicKey()}, FetchPollInterval: 5 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = a.Stop(context.Background()) })
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
	return a, env, links, ids
}

// BenchmarkWebhookBurst measures how fast a running server drains a burst
// of HighLevel changes (an import or a bulk edit in HighLevel sends one
// webhook per contact): every linked contact edited at once, until each
// change is in Repsly. BENCH_CONTACTS sets the burst (default 1,000).
func BenchmarkWebhookBurst(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 1000
	if s := os.Getenv("BENCH_CONTACTS"); s != "" {
		_, _ = fmt.Sscan(s, &n)
	}
	_, env, links, ids := twoWayServer(ctx, b, n)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		want := make(map[string]string, len(ids)) // client code -> city
		for j, id := range ids {
			city := fmt.Sprintf("Burst %d-%d", i, j)
			if _, err := env.GHL.UserUpdateContact(id, func(c *ghlsandbox.Contact) { c.City = city }); err != nil {
				b.Fatal(err)
			}
			want[links[id]] = city
		}
		for deadline := start.Add(5 * time.Minute); len(want) > 0; time.Sleep(5 * time.Millisecond) {
			for code, city := range want {
				if cl, _ := env.Repsly.Client(code); cl.City == city {
					delete(want, code)
				}
			}
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d changes never reached Repsly", len(want), len(ids))
			}
		}
		b.ReportMetric(float64(len(ids))/time.Since(start).Seconds(), "changes/s")
	}
}
