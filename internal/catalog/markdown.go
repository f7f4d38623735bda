package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Markdown renders the operations reference (docs/operations.md): a table
// per app and kind, then each entry with its description, scopes, input
// fields and example. The output depends only on the catalog, so a test can
// tell when the committed file is stale.
func (c *Catalog) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Operations reference\n\n")
	b.WriteString("<!-- Generated from internal/catalog. Do not edit: run\n" +
		"     go test ./internal/catalog -run TestOperationsDoc -update -->\n\n")
	fmt.Fprintf(&b, "Fieldbridge has %d operations. Every one is tested against the HighLevel and Repsly sandboxes. ", len(c.entries))
	b.WriteString("Try one with `fieldbridge ops call ID --connection NAME --input JSON` " +
		"(add `--dry-run` to see the request without sending it), or `POST /api/v1/operations/{id}/call`.\n\n")
	b.WriteString("| App | Actions | Webhook triggers | Poll triggers |\n|---|---:|---:|---:|\n")
	for _, app := range []App{AppGHL, AppRepsly} {
		var actions, hooks, polls int
		for _, e := range c.Filter(app, "") {
			switch e.Mode {
			case ModeWebhook:
				hooks++
			case ModePoll:
				polls++
			default:
				actions++
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", appName(app), actions, hooks, polls)
	}
	b.WriteString("\nInputs are checked against each operation's JSON Schema before anything is sent; HighLevel scopes are " +
		"checked when the connection's scopes are known. Poll triggers take an opaque cursor: an empty one starts from " +
		"the beginning.\n")

	for _, app := range []App{AppGHL, AppRepsly} {
		fmt.Fprintf(&b, "\n## %s\n", appName(app))
		for _, kind := range []Kind{KindAction, KindTrigger} {
			entries := c.Filter(app, kind)
			if len(entries) == 0 {
				continue
			}
			if kind == KindAction {
				b.WriteString("\n### Actions\n\n| ID | Title | Scopes |\n|---|---|---|\n")
			} else {
				b.WriteString("\n### Triggers\n\n| ID | Title | Mode | Scopes |\n|---|---|---|---|\n")
			}
			for _, e := range entries {
				scopes := code(e.Scopes)
				if kind == KindAction {
					fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", e.ID, anchor(e.ID), cell(e.Title), scopes)
					continue
				}
				mode := string(e.Mode)
				if e.Event != "" {
					mode += " (" + e.Event + ")"
				}
				fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", e.ID, anchor(e.ID), cell(e.Title), mode, scopes)
			}
		}
	}

	b.WriteString("\n## Operations\n")
	for _, e := range c.entries {
		writeEntry(&b, e)
	}
	return b.Bytes()
}

func writeEntry(b *bytes.Buffer, e *Entry) {
	fmt.Fprintf(b, "\n### %s\n\n**%s** · %s %s", e.ID, e.Title, appName(e.App), e.Kind)
	if e.Mode != "" {
		fmt.Fprintf(b, " · %s", e.Mode)
	}
	if e.Event != "" {
		fmt.Fprintf(b, " · event `%s`", e.Event)
	}
	b.WriteString("\n\n" + e.Description + "\n\n")
	if len(e.Scopes) > 0 {
		fmt.Fprintf(b, "- Scopes: %s\n", code(e.Scopes))
	}
	if len(e.Operations) > 0 {
		fmt.Fprintf(b, "- Calls: %s\n", code(e.Operations))
	}
	fields := summarize(e.Input)
	if e.Kind == KindTrigger {
		return
	}
	if len(fields.rows) == 0 {
		b.WriteString("- Input: none\n")
		return
	}
	b.WriteString("\n| Input field | Type | Required | Description |\n|---|---|---|---|\n")
	for _, r := range fields.rows {
		req := ""
		if r.required {
			req = "yes"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", r.name, r.typ, req, cell(r.desc))
	}
	if len(fields.oneOf) > 0 {
		fmt.Fprintf(b, "\nGive at least one of %s.\n", code(fields.oneOf))
	}
	fmt.Fprintf(b, "\nExample input:\n\n```json\n%s\n```\n", indent(e.Example))
}

type fieldRow struct {
	name, typ, desc string
	required        bool
}

type schemaSummary struct {
	rows  []fieldRow
	oneOf []string
}

// summarize lists a schema's top-level properties, required ones first.
func summarize(schema json.RawMessage) schemaSummary {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
		AnyOf      []struct {
			Required []string `json:"required"`
		} `json:"anyOf"`
	}
	if json.Unmarshal(schema, &s) != nil {
		return schemaSummary{}
	}
	var out schemaSummary
	for name, p := range s.Properties {
		var prop map[string]any
		_ = json.Unmarshal(p, &prop)
		desc, _ := prop["description"].(string)
		out.rows = append(out.rows, fieldRow{name: name, typ: typeOf(prop), desc: desc, required: slices.Contains(s.Required, name)})
	}
	slices.SortFunc(out.rows, func(a, b fieldRow) int {
		if a.required != b.required {
			if a.required {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	for _, alt := range s.AnyOf {
		out.oneOf = append(out.oneOf, alt.Required...)
	}
	return out
}

// typeOf describes a property schema in a few words.
func typeOf(p map[string]any) string {
	if ref, ok := p["$ref"].(string); ok {
		return "object (" + ref[strings.LastIndexByte(ref, '/')+1:] + ")"
	}
	if alts, ok := p["anyOf"].([]any); ok {
		var ts []string
		for _, a := range alts {
			if m, ok := a.(map[string]any); ok {
				ts = append(ts, typeOf(m))
			}
		}
		return strings.Join(ts, " or ")
	}
	var t string
	switch v := p["type"].(type) {
	case string:
		t = v
	case []any:
		var ts []string
		for _, x := range v {
			ts = append(ts, fmt.Sprint(x))
		}
		t = strings.Join(ts, " or ")
	default:
		return "any"
	}
	if t == "array" {
		if items, ok := p["items"].(map[string]any); ok {
			t = "array of " + typeOf(items)
		}
	}
	if f, ok := p["format"].(string); ok {
		t += " (" + f + ")"
	}
	if e, ok := p["enum"].([]any); ok {
		var vals []string
		for _, v := range e {
			vals = append(vals, fmt.Sprint(v))
		}
		t += ": " + strings.Join(vals, ", ")
	}
	return t
}

func appName(a App) string {
	if a == AppGHL {
		return "HighLevel"
	}
	return "Repsly"
}

func code(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "`" + strings.Join(items, "`, `") + "`"
}

// anchor is the GitHub heading anchor of an entry id: dots vanish.
func anchor(id string) string { return strings.ReplaceAll(id, ".", "") }

// cell escapes text for a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func indent(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}

// Markdown renders one entry as the reference does: title, description,
// scopes, calls, input fields and example.
func (e *Entry) Markdown() []byte {
	var b bytes.Buffer
	writeEntry(&b, e)
	return bytes.TrimLeft(b.Bytes(), "\n")
}
