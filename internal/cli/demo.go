package cli

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
	"github.com/fieldbridge/fieldbridge/internal/vault"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

// demoFlow is the name the demo gives the two-way template's flow.
const demoFlow = "two-way"

// demoOptions are the flags of `fieldbridge demo`.
type demoOptions struct {
	listen           string
	clients          int
	contacts         int
	once, asJSON     bool
	editsEvery       time.Duration
	seed             int64
	shutdownDeadline time.Duration
}

func newDemoCmd(e *env) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run Fieldbridge on a throw-away database against seeded sandboxes of both APIs",
		Long: `Starts both API sandboxes in this process with seeded data (Repsly clients with notes and
visits; HighLevel contacts, some matching clients by email or phone), a server on a temporary
SQLite database, both connections and the two-way sync template; runs the backfill with a
progress bar, then keeps simulated edits flowing on both sides and prints what is synced, until
Ctrl-C. --once stops after the backfill and a full reconcile, exiting 0 only when both sides
agree and no duplicate exists.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), e, o)
		},
	}
	cmd.Flags().StringVar(&o.listen, "listen", "127.0.0.1:8080", "HTTP listen address")
	cmd.Flags().IntVar(&o.clients, "clients", 500, "Repsly clients to seed")
	cmd.Flags().IntVar(&o.contacts, "contacts", 200, "HighLevel contacts to seed (about a third match clients)")
	cmd.Flags().BoolVar(&o.once, "once", false, "exit after backfill and reconcile")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print the summary as JSON")
	cmd.Flags().DurationVar(&o.editsEvery, "edits-every", 2*time.Second, "how often simulated users edit records")
	cmd.Flags().Int64Var(&o.seed, "seed", 1, "seed of the sandbox data")
	return cmd
}

// demoSummary is what `demo --once --json` prints.
type demoSummary struct {
	URL          string        `json:"url"`
	APIToken     string        `json:"api_token"`
	Clients      int           `json:"repsly_clients"`
	Contacts     int           `json:"ghl_contacts"`
	Links        int           `json:"links"`
	BackfillSecs float64       `json:"backfill_seconds"`
	Reconcile    syncer.Report `json:"reconcile"`
	InSync       bool          `json:"in_sync"`
}

func runDemo(ctx context.Context, e *env, o demoOptions) error {
	dir, err := os.MkdirTemp("", "fieldbridge-demo-")
	if err != nil {
		return fmt.Errorf("demo: temp folder: %w", err)
	}
	defer os.RemoveAll(dir)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		return err
	}
	cfg.DB = "sqlite:" + filepath.Join(dir, "fieldbridge.db")
	cfg.Listen = o.listen
	cfg.MasterKey = base64.StdEncoding.EncodeToString(key)
	cfg.LogFormat, cfg.LogLevel = "text", "warn"
	cfg.PollInterval = 2 * time.Second
	cfg.ShutdownTimeout = 10 * time.Second
	if err := cfg.Validate(); err != nil {
		return err
	}
	quiet := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Clients: o.clients, Contacts: o.contacts, Overlap: o.contacts / 3, Seed: o.seed, Logger: quiet})
	if err != nil {
		return err
	}
	defer env.Close()
	opts := app.Options{WebhookKeys: []crypto.PublicKey{env.GHL.WebhookPublicKey()}, FetchPollInterval: 50 * time.Millisecond,
		// The sandbox runs without HighLevel's limits; pacing the demo at
		// 10 requests a second would only make it slow.
		GHLBudget: ghl.BudgetOptions{BurstMax: 1_000_000, BurstInterval: time.Second, DailyLimit: 1_000_000_000}}
	err = serveWith(ctx, e, cfg, opts, func(a *app.App) error {
		sum, err := demoSetup(ctx, e, a, env, o)
		if err != nil {
			return err
		}
		if o.once {
			if o.asJSON {
				if err := printJSON(e, sum); err != nil {
					return err
				}
			} else {
				printDemoSummary(e.stdout, sum)
			}
			if !sum.InSync {
				return exitError{code: 1, err: errors.New("demo: the two sides differ after the backfill (see the reconcile report)")}
			}
			return errStopDemo
		}
		printDemoSummary(e.stdout, sum)
		fmt.Fprintf(e.stdout, "\nFieldbridge is running at %s\n  try: curl -H 'Authorization: Bearer %s' %s/api/v1/connections\n  metrics: %s/metrics\nSimulated users now edit both sides every %s; what is synced is printed below. Ctrl-C stops.\n\n",
			sum.URL, sum.APIToken, sum.URL, sum.URL, o.editsEvery)
		go simulateUsers(ctx, env, o, e.stderr)
		go printRuns(ctx, a, e.stdout)
		return nil
	})
	if errors.Is(err, errStopDemo) {
		return nil
	}
	return err
}

// demoSetup creates the connections and the flow, runs the backfill on
// the server's backfill queue while showing its progress, then reconciles.
func demoSetup(ctx context.Context, e *env, a *app.App, env *sandbox.Env, o demoOptions) (demoSummary, error) {
	sum := demoSummary{URL: "http://" + a.Addr()}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	sum.APIToken = "fbk_" + base64.RawURLEncoding.EncodeToString(raw)
	if err := a.Store.InsertAPIToken(ctx, "demo", web.HashAPIToken(sum.APIToken), a.Now()); err != nil {
		return sum, err
	}
	if _, err := a.Connections.AddGHLToken(ctx, connection.GHLTokenInput{Name: "ghl", BaseURL: env.GHLBaseURL(),
		LocationID: sandbox.LocationID, Token: vault.NewSecret(sandbox.GHLToken)}); err != nil {
		return sum, err
	}
	if _, err := a.Connections.AddRepsly(ctx, connection.RepslyInput{Name: "repsly", BaseURL: env.RepslyBaseURL(),
		Username: repslysandbox.DefaultUsername, Password: vault.NewSecret(repslysandbox.DefaultPassword)}); err != nil {
		return sum, err
	}
	tmpl, err := flow.TemplateByID("repsly-ghl-two-way-sync")
	if err != nil {
		return sum, err
	}
	prog, err := tmpl.Instantiate(demoFlow, map[string]string{"repsly_connection": "repsly", "ghl_connection": "ghl"}, flow.Options{Now: a.Now})
	if err != nil {
		return sum, fmt.Errorf("demo: two-way template: %w", err)
	}
	src, err := flow.Marshal(prog.Flow())
	if err != nil {
		return sum, err
	}
	err = a.Store.InTx(ctx, func(tx store.Tx) error {
		_, _, err := a.Store.PutFlow(ctx, tx, store.FlowInput{Name: demoFlow, Kind: prog.Flow().Kind(), Description: prog.Flow().Description, YAML: string(src)}, a.Now())
		return err
	})
	if err != nil {
		return sum, err
	}
	if !o.once || !o.asJSON {
		fmt.Fprintf(e.stdout, "Sandboxes: HighLevel %s (location %s), Repsly %s\n", env.GHLBaseURL(), sandbox.LocationID, env.RepslyBaseURL())
		fmt.Fprintf(e.stdout, "Seeded %d Repsly clients and %d HighLevel contacts; flow %q (two-way template) applied.\n", env.Repsly.ClientCount(), len(env.GHL.Contacts()), demoFlow)
	}
	started := time.Now()
	if _, err := a.Jobs.Insert(ctx, job.BackfillArgs{Flow: demoFlow}, nil); err != nil {
		return sum, err
	}
	if err := waitBackfill(ctx, a, env.Repsly.ClientCount(), e.stderr); err != nil {
		return sum, err
	}
	sum.BackfillSecs = time.Since(started).Seconds()
	env.GHL.SetWebhookURLs(sum.URL + "/hooks/ghl")
	eng, err := a.Engines.Engine(ctx, demoFlow)
	if err != nil {
		return sum, err
	}
	rep, err := eng.Reconcile(ctx, false)
	if err != nil {
		return sum, err
	}
	counts, err := a.Store.CountLinks(ctx, demoFlow)
	if err != nil {
		return sum, err
	}
	sum.Clients, sum.Contacts, sum.Links = rep.Clients, rep.Contacts, counts[store.LinkLinked]
	sum.Reconcile, sum.InSync = rep, rep.InSync()
	return sum, nil
}

// waitBackfill shows the backfill job's progress (links made so far) until
// its state says done. It polls the database for display only.
func waitBackfill(ctx context.Context, a *app.App, total int, w io.Writer) error {
	bar := progressbar.NewOptions64(int64(total), progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("backfill"),
		progressbar.OptionSetVisibility(isTerminal(w)),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		counts, err := a.Store.CountLinks(ctx, demoFlow)
		if err != nil {
			return err
		}
		_ = bar.Set(min(counts[store.LinkLinked], total))
		state, err := a.Store.GetCursor(ctx, a.Store.DB(), demoFlow, "backfill.state")
		if err != nil {
			return err
		}
		if state == "done" {
			_ = bar.Finish()
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("demo: the backfill did not finish in 10 minutes; see `fieldbridge runs list --dead`")
		}
	}
}

func printDemoSummary(w io.Writer, s demoSummary) {
	fmt.Fprintf(w, "Backfill finished in %.1fs: %d Repsly clients, %d HighLevel contacts, %d linked pairs.\n", s.BackfillSecs, s.Clients, s.Contacts, s.Links)
	r := s.Reconcile
	if s.InSync {
		fmt.Fprintln(w, "Reconcile: both sides agree, no duplicates.")
		return
	}
	fmt.Fprintf(w, "Reconcile found drift: %d missing in HighLevel, %d missing in Repsly, %d orphaned links, %d differing pairs, %d duplicate codes.\n",
		len(r.MissingInGHL), len(r.MissingInRepsly), len(r.Orphaned), len(r.Differing), len(r.Duplicates))
}

// serveWith is serve with app options.
func serveWith(ctx context.Context, e *env, cfg config.Config, opts app.Options, started func(*app.App) error) error {
	return serveOpts(ctx, e, cfg, opts, started)
}
