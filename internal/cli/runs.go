package cli

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"

	"github.com/fieldbridge/fieldbridge/internal/job"
)

func newRunsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "runs", Short: "Run history, dead letters and replay"}
	cmd.AddCommand(newRunsListCmd(e), newRunsShowCmd(e), newRunsReplayCmd(e))
	return cmd
}

func newRunsListCmd(e *env) *cobra.Command {
	var (
		f            configFlags
		flow         string
		limit        int
		asJSON, dead bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List recent runs, or with --dead the jobs that used up their retries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				if dead {
					jobs, err := job.NewClient(core.DB, job.Config{Logger: core.Logger})
					if err != nil {
						return err
					}
					res, err := jobs.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateDiscarded).First(limit))
					if err != nil {
						return err
					}
					type deadJob struct {
						ID       int64  `json:"id"`
						Kind     string `json:"kind"`
						Args     string `json:"args"`
						Attempts int    `json:"attempts"`
						Error    string `json:"last_error"`
					}
					var out []deadJob
					for _, j := range res.Jobs {
						d := deadJob{ID: j.ID, Kind: j.Kind, Args: string(j.EncodedArgs), Attempts: j.Attempt}
						if n := len(j.Errors); n > 0 {
							d.Error = j.Errors[n-1].Error
						}
						out = append(out, d)
					}
					if asJSON {
						return printJSON(e, out)
					}
					tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "JOB\tKIND\tATTEMPTS\tARGS\tLAST ERROR")
					for _, d := range out {
						fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\n", d.ID, d.Kind, d.Attempts, d.Args, d.Error)
					}
					return tw.Flush()
				}
				runs, err := core.Store.ListRuns(ctx, flow, limit)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e, runs)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tFLOW\tKIND\tSTATUS\tSTARTED\tSTATS")
				for _, r := range runs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Flow, r.Kind, r.Status, r.StartedAt.Format("2006-01-02 15:04:05"), r.Stats)
				}
				return tw.Flush()
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().StringVar(&flow, "flow", "", "only this flow")
	cmd.Flags().IntVar(&limit, "limit", 50, "how many")
	cmd.Flags().BoolVar(&dead, "dead", false, "list dead letters (jobs out of retries) instead")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newRunsShowCmd(e *env) *cobra.Command {
	var (
		f      configFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Show a run and what it did to each record",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("run id %q is not a number", args[0])
			}
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				r, recs, err := core.Store.GetRun(ctx, id)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e, map[string]any{"run": r, "records": recs})
				}
				fmt.Fprintf(e.stdout, "run %d: flow %s, %s, %s, started %s\n  stats: %s\n", r.ID, r.Flow, r.Kind, r.Status, r.StartedAt.Format("2006-01-02 15:04:05"), r.Stats)
				if r.Error != "" {
					fmt.Fprintf(e.stdout, "  error: %s\n", r.Error)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "  SIDE\tRECORD\tACTION\tSUMMARY\tERROR")
				for _, rr := range recs {
					fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", rr.Side, rr.RecordKey, rr.Action, rr.Summary, rr.Error)
				}
				return tw.Flush()
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newRunsReplayCmd(e *env) *cobra.Command {
	var (
		f   configFlags
		all bool
	)
	cmd := &cobra.Command{
		Use:   "replay [JOB...]",
		Short: "Queue dead-letter jobs again (all with --all); they run with the current flow version",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !all {
				return fmt.Errorf("name the jobs to replay (see `fieldbridge runs list --dead`) or pass --all")
			}
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				jobs, err := job.NewClient(core.DB, job.Config{Logger: core.Logger})
				if err != nil {
					return err
				}
				var ids []int64
				if all {
					params := river.NewJobListParams().States(rivertype.JobStateDiscarded).First(10000)
					res, err := jobs.JobList(ctx, params)
					if err != nil {
						return err
					}
					for _, j := range res.Jobs {
						ids = append(ids, j.ID)
					}
				}
				for _, a := range args {
					id, err := strconv.ParseInt(a, 10, 64)
					if err != nil {
						return fmt.Errorf("job id %q is not a number", a)
					}
					ids = append(ids, id)
				}
				for _, id := range ids {
					if _, err := jobs.JobRetry(ctx, id); err != nil {
						return fmt.Errorf("replay job %d: %w", id, err)
					}
				}
				fmt.Fprintf(e.stdout, "%d jobs queued again; a running `fieldbridge serve` works them\n", len(ids))
				return nil
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&all, "all", false, "replay every dead letter")
	return cmd
}
