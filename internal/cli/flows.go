package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

func newFlowsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "flows",
		Aliases: []string{"flow"},
		Short:   "Validate, test, preview, apply and list flows (YAML)",
	}
	cmd.AddCommand(newFlowsValidateCmd(e), newFlowsTestCmd(e), newFlowsPreviewCmd(e), newFlowsApplyCmd(e),
		newFlowsListCmd(e), newFlowsExportCmd(e), newFlowsCreateCmd(e))
	cmd.AddCommand(newFlowsStateCmds(e)...)
	return cmd
}

// readFlowFile reads a flow file; "-" reads standard input.
func readFlowFile(e *env, name string) ([]byte, error) {
	if name == "-" {
		var b strings.Builder
		buf := make([]byte, 32<<10)
		for {
			n, err := e.stdin.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return []byte(b.String()), nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// reportFlowErrors prints every problem as FILE:LINE:COL: path: message on
// stderr and returns an exit-1 error naming how many there were.
// loadFlowFile reads, validates and compiles the flow in file (or stdin
// for "-") against the catalog, reporting every problem with its position.
func loadFlowFile(e *env, file string) (*flow.Program, error) {
	src, err := readFlowFile(e, file)
	if err != nil {
		return nil, err
	}
	opts, err := flowOptions(nil, nil)
	if err != nil {
		return nil, err
	}
	p, err := flow.Load(src, opts)
	if err != nil {
		return nil, reportFlowErrors(e, file, err)
	}
	return p, nil
}

func reportFlowErrors(e *env, file string, err error) error {
	var errs flow.Errors
	if !errors.As(err, &errs) {
		return err
	}
	fmt.Fprint(e.stderr, errs.Format(file))
	word := "problems"
	if len(errs) == 1 {
		word = "problem"
	}
	return exitError{code: 1, err: fmt.Errorf("%s: %d %s", file, len(errs), word)}
}

// catalogOps adapts the operations catalog to flow validation.
type catalogOps struct{ c *catalog.Catalog }

func (o catalogOps) Lookup(id string) (flow.OperationInfo, bool) {
	e, err := o.c.Get(id)
	if err != nil {
		return flow.OperationInfo{}, false
	}
	return flow.OperationInfo{ID: e.ID, App: string(e.App), Kind: string(e.Kind), Mode: string(e.Mode),
		Scopes: e.Scopes, Fields: inputFields(e.Input)}, true
}

func (o catalogOps) IDs() []string {
	all := o.c.All()
	ids := make([]string, len(all))
	for i, e := range all {
		ids[i] = e.ID
	}
	return ids
}

// inputFields returns the property names of an input schema that allows no
// others, nil when any field is allowed (then nothing is checked).
func inputFields(schema json.RawMessage) []string {
	var s struct {
		Properties           map[string]json.RawMessage `json:"properties"`
		AdditionalProperties *bool                      `json:"additionalProperties"`
	}
	if json.Unmarshal(schema, &s) != nil || s.AdditionalProperties == nil || *s.AdditionalProperties || len(s.Properties) == 0 {
		return nil
	}
	out := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// flowOptions are the validation options every flows command uses: the
// operations catalog, and conns when the command has the database.
func flowOptions(conns flow.Connections, now func() time.Time) (flow.Options, error) {
	cat, err := newCatalog()
	if err != nil {
		return flow.Options{}, err
	}
	return flow.Options{Operations: catalogOps{cat}, Connections: conns, Now: now}, nil
}

// connectionsOf adapts the stored connections to flow validation.
type connectionsOf map[string]flow.ConnectionInfo

func (c connectionsOf) Connection(name string) (flow.ConnectionInfo, bool) {
	ci, ok := c[name]
	return ci, ok
}

func (c connectionsOf) Names() []string {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func loadConnections(ctx context.Context, core *app.Core) (connectionsOf, error) {
	list, err := core.Connections.List(ctx)
	if err != nil {
		return nil, err
	}
	out := connectionsOf{}
	for _, c := range list {
		ci := flow.ConnectionInfo{Name: c.Name, App: c.App}
		// No recorded scopes means they are not known (a private token
		// added without --scopes), not that there are none.
		if len(c.Scopes) > 0 {
			ci.Scopes = c.Scopes
		}
		out[c.Name] = ci
	}
	return out, nil
}

func newFlowsValidateCmd(e *env) *cobra.Command {
	var (
		f        configFlags
		withConn bool
	)
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a flow and print every problem as FILE:LINE:COL: field: message",
		Long: "Checks a flow's YAML, its expressions, its operations against the catalog and what the APIs\n" +
			"allow, and prints every problem at once.\n" +
			"Needs no database unless --check-connections is given, which also checks that each connection\n" +
			"exists, is on the right app and has the scopes the flow needs. Use - to read standard input.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := readFlowFile(e, args[0])
			if err != nil {
				return err
			}
			var conns flow.Connections
			if withConn {
				core, err := openCore(cmd.Context(), e, &f)
				if err != nil {
					return err
				}
				defer core.Close()
				if conns, err = loadConnections(cmd.Context(), core); err != nil {
					return err
				}
			}
			opts, err := flowOptions(conns, nil)
			if err != nil {
				return err
			}
			p, err := flow.Load(src, opts)
			if err != nil {
				return reportFlowErrors(e, args[0], err)
			}
			fl := p.Flow()
			fmt.Fprintf(e.stdout, "%s: ok: %s flow %q, %d steps, %d tests\n", args[0], fl.Kind(), fl.Name, len(fl.Steps), len(fl.Tests))
			return nil
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&withConn, "check-connections", false, "also check connections and scopes against the database")
	return cmd
}

func newFlowsTestCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test FILE",
		Short: "Run the test cases written in a flow; exits 1 when one fails",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadFlowFile(e, args[0])
			if err != nil {
				return err
			}
			results := p.RunTests(cmd.Context())
			failed := 0
			for _, r := range results {
				if !r.Passed {
					failed++
				}
			}
			if asJSON {
				if err := printJSON(e, results); err != nil {
					return err
				}
			} else {
				printTestResults(e, results)
			}
			if len(results) == 0 {
				fmt.Fprintf(e.stderr, "%s: the flow has no tests\n", args[0])
			}
			if failed > 0 {
				return exitError{code: 1, err: fmt.Errorf("%s: %d of %d tests failed", args[0], failed, len(results))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

func printTestResults(e *env, results []flow.TestResult) {
	passed, skipped := 0, 0
	for _, r := range results {
		switch {
		case r.Skipped:
			skipped++
			fmt.Fprintf(e.stdout, "SKIP  %s\n", r.Name)
		case r.Passed:
			passed++
			fmt.Fprintf(e.stdout, "PASS  %s\n", r.Name)
		default:
			fmt.Fprintf(e.stdout, "FAIL  %s\n", r.Name)
			if r.Error != "" {
				fmt.Fprintf(e.stdout, "      error: %s\n", r.Error)
			}
			for _, d := range r.Diffs {
				fmt.Fprintf(e.stdout, "      %s\n", d)
			}
		}
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed, %d skipped\n", passed, len(results)-passed-skipped, skipped)
}

func newFlowsPreviewCmd(e *env) *cobra.Command {
	var sample, current, direction string
	cmd := &cobra.Command{
		Use:   "preview FILE --sample JSON|@FILE",
		Short: "Print what a flow makes of a sample record (nothing is called)",
		Long: "Runs the flow on a sample record without calling any app and prints each step's output as JSON.\n" +
			"The sample is the triggering record, or an object of records by name (the trigger record and\n" +
			"what lookups would find, under their step ids). For a sync flow it is one side's record;\n" +
			"--direction picks the mapping and --current gives the other side's record as it is now.",
		Example: `  fieldbridge flows preview client-to-contact.yaml --sample '{"Code":"C-1","Name":"Shop","Email":"A@B.com"}'
  fieldbridge flows preview sync.yaml --sample @contact.json --direction right_to_left`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadFlowFile(e, args[0])
			if err != nil {
				return err
			}
			rec, err := readJSONArg(e, "sample", sample)
			if err != nil {
				return err
			}
			var cur map[string]any
			if current != "" {
				if cur, err = readJSONArg(e, "current", current); err != nil {
					return err
				}
			}
			out, err := p.Preview(cmd.Context(), rec, cur, direction)
			if err != nil {
				return err
			}
			return printJSON(e, out)
		},
	}
	cmd.Flags().StringVar(&sample, "sample", "", "the sample record: JSON, @FILE, or - for standard input (required)")
	cmd.Flags().StringVar(&current, "current", "", "sync flows: the target record as it is now, JSON or @FILE")
	cmd.Flags().StringVar(&direction, "direction", "", "sync flows: left_to_right or right_to_left (default: the side the sample looks like)")
	_ = cmd.MarkFlagRequired("sample")
	return cmd
}

// readJSONArg reads a JSON object given inline, as @FILE or as - (stdin).
func readJSONArg(e *env, flag, v string) (map[string]any, error) {
	var raw []byte
	switch {
	case v == "-":
		b, err := readFlowFile(e, "-")
		if err != nil {
			return nil, err
		}
		raw = b
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", flag, err)
		}
		raw = b
	default:
		raw = []byte(v)
	}
	var out map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("--%s: not a JSON object: %w", flag, err)
	}
	return normalizeNumbers(out).(map[string]any), nil
}

// normalizeNumbers turns json.Numbers into int64 or float64, the numbers
// YAML records hold, so a preview computes the same as a test.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	}
	return v
}

func newFlowsApplyCmd(e *env) *cobra.Command {
	var (
		f      configFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "apply FILE",
		Short: "Validate a flow and store it as its next version",
		Long: "Validates the flow against the stored connections and stores the file as the flow's next version.\n" +
			"Applying the same text again stores nothing.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := readFlowFile(e, args[0])
			if err != nil {
				return err
			}
			core, err := openCore(cmd.Context(), e, &f)
			if err != nil {
				return err
			}
			defer core.Close()
			res, err := applyFlow(cmd.Context(), core, src)
			if err != nil {
				return reportFlowErrors(e, args[0], err)
			}
			return printApplied(e, res, asJSON)
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stored flow as JSON")
	return cmd
}

// flowView is a stored flow as the CLI prints it.
type flowView struct {
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Description string    `json:"description,omitempty"`
	Version     int64     `json:"version"`
	Enabled     bool      `json:"enabled"`
	Changed     *bool     `json:"changed,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func viewOfFlow(f store.Flow) flowView {
	return flowView{Name: f.Name, Kind: f.Kind, Description: f.Description, Version: f.Version, Enabled: f.Enabled,
		CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

// applyFlow validates src against the stored connections and stores it.
func applyFlow(ctx context.Context, core *app.Core, src []byte) (flowView, error) {
	conns, err := loadConnections(ctx, core)
	if err != nil {
		return flowView{}, err
	}
	opts, err := flowOptions(conns, core.Now)
	if err != nil {
		return flowView{}, err
	}
	p, err := flow.Load(src, opts)
	if err != nil {
		return flowView{}, err
	}
	fl := p.Flow()
	var (
		stored  store.Flow
		changed bool
	)
	err = core.Store.InTx(ctx, func(tx store.Tx) error {
		stored, changed, err = core.Store.PutFlow(ctx, tx, store.FlowInput{Name: fl.Name, Kind: fl.Kind(),
			Description: fl.Description, YAML: string(src)}, core.Now())
		return err
	})
	if err != nil {
		return flowView{}, err
	}
	v := viewOfFlow(stored)
	v.Changed = &changed
	return v, nil
}

func printApplied(e *env, v flowView, asJSON bool) error {
	if asJSON {
		return printJSON(e, v)
	}
	if v.Changed != nil && !*v.Changed {
		fmt.Fprintf(e.stdout, "flow %q unchanged at version %d\n", v.Name, v.Version)
		return nil
	}
	fmt.Fprintf(e.stdout, "applied %s flow %q as version %d\n", v.Kind, v.Name, v.Version)
	return nil
}

func newFlowsListCmd(e *env) *cobra.Command {
	var (
		f      configFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List stored flows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			core, err := openCore(cmd.Context(), e, &f)
			if err != nil {
				return err
			}
			defer core.Close()
			list, err := core.Store.ListFlows(cmd.Context(), core.Store.DB())
			if err != nil {
				return err
			}
			views := make([]flowView, len(list))
			for i, fl := range list {
				views[i] = viewOfFlow(fl)
			}
			if asJSON {
				return printJSON(e, views)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tKIND\tVERSION\tENABLED\tUPDATED\tDESCRIPTION")
			for _, v := range views {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%t\t%s\t%s\n", v.Name, v.Kind, v.Version, v.Enabled,
					v.UpdatedAt.UTC().Format(time.RFC3339), v.Description)
			}
			return tw.Flush()
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newFlowsExportCmd(e *env) *cobra.Command {
	var (
		f       configFlags
		version int64
	)
	cmd := &cobra.Command{
		Use:   "export NAME",
		Short: "Print a stored flow's YAML (the current version, or --version N)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			core, err := openCore(cmd.Context(), e, &f)
			if err != nil {
				return err
			}
			defer core.Close()
			v, err := core.Store.GetFlowVersion(cmd.Context(), core.Store.DB(), args[0], version)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no flow %q (version %d); see fieldbridge flows list", args[0], version)
				}
				return err
			}
			text := v.YAML
			if !strings.HasSuffix(text, "\n") {
				text += "\n"
			}
			_, err = fmt.Fprint(e.stdout, text)
			return err
		},
	}
	f.bind(cmd, false)
	cmd.Flags().Int64Var(&version, "version", 0, "the version to print (default the current one)")
	return cmd
}

func newFlowsCreateCmd(e *env) *cobra.Command {
	var (
		cf               configFlags
		apply, asJSON    bool
		templateID, name string
		sets             []string
	)
	cmd := &cobra.Command{
		Use:   "create --template ID --name NAME [--set key=value ...]",
		Short: "Make a flow from a template: print its YAML, or store it with --apply",
		Example: `  fieldbridge flows create --template repsly-client-to-ghl-contact --name clients --set on_deactivate=delete > clients.yaml
  fieldbridge flows create --template repsly-ghl-two-way-sync --name sync --set ghl_connection=acme --apply`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tpl, err := flow.TemplateByID(templateID)
			if err != nil {
				return err
			}
			set := map[string]string{}
			for _, kv := range sets {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return fmt.Errorf("--set %q: want key=value", kv)
				}
				set[strings.TrimSpace(k)] = v
			}
			opts, err := flowOptions(nil, nil)
			if err != nil {
				return err
			}
			p, err := tpl.Instantiate(name, set, opts)
			if err != nil {
				return reportFlowErrors(e, "template "+templateID, err)
			}
			src, err := flow.Marshal(p.Flow())
			if err != nil {
				return err
			}
			if !apply {
				_, err := e.stdout.Write(src)
				return err
			}
			core, err := openCore(cmd.Context(), e, &cf)
			if err != nil {
				return err
			}
			defer core.Close()
			res, err := applyFlow(cmd.Context(), core, src)
			if err != nil {
				return reportFlowErrors(e, name+".yaml", err)
			}
			return printApplied(e, res, asJSON)
		},
	}
	cf.bind(cmd, false)
	cmd.Flags().StringVar(&templateID, "template", "", "template id (see fieldbridge templates list)")
	cmd.Flags().StringVar(&name, "name", "", "name of the new flow")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "a template setting, key=value (repeatable)")
	cmd.Flags().BoolVar(&apply, "apply", false, "store the flow instead of printing it")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --apply, print the stored flow as JSON")
	_ = cmd.MarkFlagRequired("template")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}
