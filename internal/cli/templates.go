package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

func newTemplatesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "templates",
		Aliases: []string{"template"},
		Short:   "List the ready-made flows (fieldbridge flows create --template ID)",
	}
	cmd.AddCommand(newTemplatesListCmd(e))
	return cmd
}

func newTemplatesListCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the templates with their settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := flow.Templates()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(e, all)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tTITLE\tSETTINGS (--set key=value)")
			for _, t := range all {
				settings := make([]string, len(t.Params))
				for i, p := range t.Params {
					s := p.Name + "=" + p.Default
					if len(p.Enum) > 0 {
						s += " (" + strings.Join(p.Enum, "|") + ")"
					}
					settings[i] = s
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Kind, t.Title, strings.Join(settings, ", "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON, with descriptions")
	return cmd
}
