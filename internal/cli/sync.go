package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/gcbudget"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func newSyncCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "sync", Short: "Run record sync flows"}
	var (
		f                        configFlags
		dryRun, backfill, asJSON bool
	)
	run := &cobra.Command{
		Use:   "run FLOW",
		Short: "Sync a flow now: the backfill if it has not run, then one poll of Repsly's changes",
		Long: `Runs a sync flow in this process.

Without flags it finishes the flow's backfill if one is pending (resuming from its checkpoint)
and then applies Repsly's client changes since the last poll (HighLevel's changes arrive by
webhook and through the server's reconcile poll). --backfill starts a full backfill again: every record is
compared, linked records that agree cost no API call. --dry-run prints the plan (creates,
updates and deactivations per side, with the fields) and writes nothing anywhere.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				tuner := gcbudget.Start(core.Config.HeapBudget(), core.Logger)
				defer tuner.Stop()
				eng, err := app.NewEngines(core).Engine(ctx, args[0])
				if err != nil {
					return err
				}
				if dryRun {
					return syncPlan(cmd, e, eng, asJSON)
				}
				if backfill {
					if err := eng.ResetBackfill(ctx); err != nil {
						return err
					}
				}
				res, err := runBackfill(cmd, e.stderr, eng, 0)
				if err != nil {
					return err
				}
				live, err := pollOnce(cmd, eng)
				if err != nil {
					return err
				}
				for _, o := range live.Outcomes {
					res.Outcomes = append(res.Outcomes, o)
					res.Counts[string(o.Side)+"."+string(o.Action)]++
				}
				if asJSON {
					return printJSON(e, map[string]any{"flow": args[0], "counts": res.Counts, "errors": res.Errors()})
				}
				printCounts(e.stdout, args[0], res)
				if errs := res.Errors(); len(errs) > 0 {
					return fmt.Errorf("%d records failed; see `fieldbridge runs list --flow %s`", len(errs), args[0])
				}
				return nil
			})
		},
	}
	f.bind(run, false)
	run.Flags().BoolVar(&dryRun, "dry-run", false, "print what would change and write nothing")
	run.Flags().BoolVar(&backfill, "backfill", false, "compare every record again from the start")
	run.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	cmd.AddCommand(run)
	return cmd
}

// runBackfill runs the flow's backfill to its end with a progress bar
// (count, rate, elapsed and, when the total is known, ETA) on w. total is
// the number of Repsly clients when the caller knows it, else 0.
func runBackfill(cmd *cobra.Command, w io.Writer, eng *syncer.Engine, total int) (syncer.Result, error) {
	max := int64(-1)
	if total > 0 {
		max = int64(total)
	}
	bar := progressbar.NewOptions64(max, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("backfill: Repsly clients"),
		progressbar.OptionSetVisibility(isTerminal(w)),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
	phase := "repsly"
	last := 0
	history := newSyncHistory(eng, "backfill")
	var historyErr error
	done, res, err := eng.Backfill(cmd.Context(), syncer.BackfillOptions{Summary: true, Progress: func(p syncer.Progress) {
		if err := history.add(cmd.Context(), p.Result); err != nil && historyErr == nil {
			historyErr = err
		}
		if p.Phase != phase {
			_ = bar.Finish()
			phase, last = p.Phase, 0
			bar = progressbar.NewOptions64(int64(p.Total), progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("backfill: HighLevel contacts"),
				progressbar.OptionSetVisibility(isTerminal(w)),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetPredictTime(true),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		}
		_ = bar.Add(p.Records - last)
		last = p.Records
	}})
	_ = bar.Finish()
	if herr := history.flush(cmd.Context(), err); herr != nil && historyErr == nil {
		historyErr = herr
	}
	if err != nil {
		return res, err
	}
	if historyErr != nil {
		return res, fmt.Errorf("backfill done, but its run history was not written: %w", historyErr)
	}
	if !done {
		return res, errors.New("backfill stopped before the end; run it again to resume")
	}
	if res.Counts == nil {
		res.Counts = syncer.Counts{}
	}
	return res, nil
}

// pollOnce applies Repsly's client changes since the saved cursor, the way
// the server's poll job does, records them in run history, and returns
// what changed.
func pollOnce(cmd *cobra.Command, eng *syncer.Engine) (syncer.Result, error) {
	history := newSyncHistory(eng, "repsly_poll")
	total, err := pollPages(cmd, eng, history)
	if herr := history.flush(cmd.Context(), err); herr != nil && err == nil {
		err = fmt.Errorf("poll done, but its run history was not written: %w", herr)
	}
	return total, err
}

func pollPages(cmd *cobra.Command, eng *syncer.Engine, history *syncHistory) (syncer.Result, error) {
	var total syncer.Result
	st := eng.Store()
	ctx := cmd.Context()
	flow := eng.Spec().Flow
	text, err := st.GetCursor(ctx, st.DB(), flow, syncer.CursorRepslyClients)
	if err != nil {
		return total, err
	}
	cur := repsly.TimestampCursor(0)
	if text != "" {
		if cur, err = repsly.ParseCursor(text); err != nil {
			return total, err
		}
	}
	for {
		// A page is judged as of the moment its read began (see the
		// syncer's write marks).
		readAt := time.Now()
		page, err := eng.Repsly().ExportClients(ctx, cur)
		if err != nil {
			return total, err
		}
		next, _ := page.Next.MarshalText()
		res, err := eng.ApplyRepsly(ctx, page.Items, readAt, syncer.BatchOptions{Commit: func(tx app.Tx, _ syncer.Result) error {
			return st.SetCursor(ctx, tx, flow, syncer.CursorRepslyClients, string(next), time.Now())
		}})
		total.Outcomes = append(total.Outcomes, res.Outcomes...)
		if err != nil {
			return total, err
		}
		if err := history.add(ctx, res); err != nil {
			return total, err
		}
		if !page.More {
			return total, nil
		}
		if page.Next.Equal(cur) {
			return total, fmt.Errorf("poll Repsly clients: %w", repsly.ErrCursorStalled)
		}
		cur = page.Next
	}
}

// syncPlan runs the whole flow in dry-run mode and prints the plan.
func syncPlan(cmd *cobra.Command, e *env, eng *syncer.Engine, asJSON bool) error {
	ctx := cmd.Context()
	var plan syncer.Result
	idx := eng.NewIndex()
	for page, err := range repsly.Pages(ctx, eng.Repsly().ExportClients, repsly.TimestampCursor(0)) {
		if err != nil {
			return err
		}
		res, err := eng.ApplyRepsly(ctx, page.Items, time.Now(), syncer.BatchOptions{DryRun: true, Index: idx})
		if err != nil && !syncer.Transient(err) {
			return err
		}
		plan.Outcomes = append(plan.Outcomes, res.Outcomes...)
	}
	// Then the contacts: new leads to import, edits to push to Repsly.
	res, err := eng.PlanGHL(ctx, idx)
	if err != nil {
		return err
	}
	plan.Outcomes = append(plan.Outcomes, res.Outcomes...)
	writes := slices.DeleteFunc(plan.Outcomes, func(o syncer.Outcome) bool {
		return o.Action == syncer.ActUnchanged || o.Action == syncer.ActEcho || o.Action == syncer.ActSkip || o.Action == syncer.ActLink
	})
	if asJSON {
		b, _ := json.MarshalIndent(map[string]any{"flow": eng.Spec().Flow, "dry_run": true, "plan": writes}, "", "  ")
		_, err := fmt.Fprintln(e.stdout, string(b))
		return err
	}
	fmt.Fprintf(e.stdout, "dry run of %s: %d changes (nothing was written)\n", eng.Spec().Flow, len(writes))
	for _, o := range writes {
		line := fmt.Sprintf("  %-10s %-6s %s", o.Action, o.Side, o.Key)
		if len(o.Fields) > 0 {
			line += "  fields: " + strings.Join(o.Fields, ", ")
		}
		if o.Err != "" {
			line += "  (" + o.Err + ")"
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func printCounts(w io.Writer, flow string, res syncer.Result) {
	keys := make([]string, 0, len(res.Counts))
	for k := range res.Counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Fprintf(w, "%s:", flow)
	if len(keys) == 0 {
		fmt.Fprint(w, " nothing to do")
	}
	for _, k := range keys {
		fmt.Fprintf(w, " %s=%d", k, res.Counts[k])
	}
	fmt.Fprintln(w)
}
