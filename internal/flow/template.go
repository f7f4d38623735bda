package flow

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// templateFS holds the template flows. Each file is a flow plus a
// `template:` section naming its parameters; ${param} in any text value is
// replaced by the parameter's value before the flow is read.
//
//go:embed template/*.yaml
var templateFS embed.FS

// Template is a ready-made flow for a common job.
type Template struct {
	// ID names the template (flows create --template ID).
	ID string `json:"id"`
	// Title is a short human name.
	Title string `json:"title"`
	// Description says what the flow does and what it needs.
	Description string `json:"description"`
	// Kind is automation or sync.
	Kind string `json:"kind"`
	// Params are the settings `--set name=value` changes.
	Params []Param `json:"params,omitempty"`

	src []byte
}

// Param is one template setting.
type Param struct {
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description" yaml:"description"`
	Default     string   `json:"default" yaml:"default"`
	Enum        []string `json:"enum,omitempty" yaml:"enum,omitempty"`
}

// templateMeta is the `template:` section of a template file.
type templateMeta struct {
	ID          string  `yaml:"id"`
	Title       string  `yaml:"title"`
	Description string  `yaml:"description"`
	Params      []Param `yaml:"params"`
}

// safeParamRE is what a free-text parameter value may hold: it may be
// substituted inside an expression's quoted text, so no quotes, backslashes,
// newlines or further ${...}.
var safeParamRE = regexp.MustCompile(`^[^"'\\\n\r$` + "`" + `]*$`)

var paramRefRE = regexp.MustCompile(`\$\{([^}]*)\}`)

// Templates returns the built-in templates in their listed order.
func Templates() ([]*Template, error) {
	entries, err := fs.Glob(templateFS, "template/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("flow: templates: %w", err)
	}
	slices.Sort(entries)
	out := make([]*Template, 0, len(entries))
	for _, name := range entries {
		src, err := templateFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("flow: template %s: %w", name, err)
		}
		t, err := readTemplate(src)
		if err != nil {
			return nil, fmt.Errorf("flow: template %s: %w", path.Base(name), err)
		}
		out = append(out, t)
	}
	return out, nil
}

// TemplateByID returns the built-in template with the id.
func TemplateByID(id string) (*Template, error) {
	all, err := Templates()
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(all))
	for i, t := range all {
		if t.ID == id {
			return t, nil
		}
		ids[i] = t.ID
	}
	return nil, fmt.Errorf("flow: no template %q%s (see fieldbridge templates list)", id, didYouMean(id, ids))
}

// readTemplate reads a template's metadata.
func readTemplate(src []byte) (*Template, error) {
	root, err := parseNodes(src)
	if err != nil {
		return nil, err
	}
	meta, errs := templateSection(root)
	if len(errs) > 0 {
		return nil, errs
	}
	kind := KindAutomation
	if steps := root.lookup("steps"); steps != nil && steps.kind == nodeSeq {
		for _, s := range steps.items {
			if s.kind == nodeMap && s.lookup("sync") != nil {
				kind = KindSync
			}
		}
	}
	return &Template{ID: meta.ID, Title: meta.Title, Description: strings.TrimSpace(meta.Description),
		Kind: kind, Params: meta.Params, src: src}, nil
}

// templateSection decodes and removes the `template:` section of root.
func templateSection(root *node) (templateMeta, Errors) {
	var meta templateMeta
	if root.kind != nodeMap {
		return meta, Errors{{Pos: root.pos, Message: "a template is a mapping"}}
	}
	i := slices.IndexFunc(root.keys, func(k *node) bool { return k.text == "template" })
	if i < 0 {
		return meta, Errors{{Pos: root.pos, Message: "a template needs a template: section (id, title, description, params)"}}
	}
	d := newDecoder()
	d.decode(root.vals[i], reflectValue(&meta), "template")
	root.keys = slices.Delete(root.keys, i, i+1)
	root.vals = slices.Delete(root.vals, i, i+1)
	if meta.ID == "" || meta.Title == "" {
		d.errs = append(d.errs, &Error{Pos: root.pos, Path: "template", Message: "id and title are required"})
	}
	seen := map[string]bool{}
	for j, p := range meta.Params {
		switch {
		case !identRE.MatchString(p.Name):
			d.errs = append(d.errs, &Error{Path: fmt.Sprintf("template.params[%d].name", j), Message: "a parameter name is letters, digits and _"})
		case seen[p.Name]:
			d.errs = append(d.errs, &Error{Path: fmt.Sprintf("template.params[%d].name", j), Message: "repeated parameter " + p.Name})
		case len(p.Enum) > 0 && !slices.Contains(p.Enum, p.Default):
			d.errs = append(d.errs, &Error{Path: fmt.Sprintf("template.params[%d].default", j), Message: "the default is not one of enum"})
		}
		seen[p.Name] = true
	}
	return meta, d.errs
}

// Values returns the parameter values: the defaults overridden by set.
// Unknown names and values a parameter does not allow are errors.
func (t *Template) Values(set map[string]string) (map[string]string, error) {
	vals := map[string]string{}
	names := make([]string, len(t.Params))
	for i, p := range t.Params {
		vals[p.Name] = p.Default
		names[i] = p.Name
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(set)) {
		v := set[k]
		i := slices.IndexFunc(t.Params, func(p Param) bool { return p.Name == k })
		if i < 0 {
			errs = append(errs, fmt.Errorf("template %s has no setting %q%s; it takes %s", t.ID, k, didYouMean(k, names), quoteList(names)))
			continue
		}
		p := t.Params[i]
		switch {
		case len(p.Enum) > 0 && !slices.Contains(p.Enum, v):
			errs = append(errs, fmt.Errorf("%s must be %s, not %q", k, quoteList(p.Enum), v))
		case strings.TrimSpace(v) == "":
			errs = append(errs, fmt.Errorf("%s cannot be empty", k))
		case !safeParamRE.MatchString(v):
			errs = append(errs, fmt.Errorf("%s may not hold quotes, backslashes, $ or line breaks", k))
		default:
			vals[k] = v
		}
	}
	return vals, errors.Join(errs...)
}

// Instantiate makes a flow from the template: parameters from set (the
// rest take their defaults), the flow named name (the template id when
// empty), validated and compiled with opts.
func (t *Template) Instantiate(name string, set map[string]string, opts Options) (*Program, error) {
	vals, err := t.Values(set)
	if err != nil {
		return nil, err
	}
	subst := func(root *node) Errors {
		if _, errs := templateSection(root); len(errs) > 0 {
			return errs
		}
		errs := substitute(root, vals)
		if name != "" {
			if n := root.lookup("name"); n != nil && n.kind == nodeScalar {
				n.value, n.text = name, name
			}
		}
		return errs
	}
	return loadWith(t.src, opts, subst)
}

// Source returns the template file as written.
func (t *Template) Source() []byte { return slices.Clone(t.src) }

// substitute replaces ${name} in every text value of the tree.
func substitute(n *node, vals map[string]string) Errors {
	var errs Errors
	seen := map[*node]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if seen[n] {
			return // an aliased node is shared; replace once
		}
		seen[n] = true
		s, ok := n.value.(string)
		if n.kind == nodeScalar && ok && strings.Contains(s, "${") {
			out := paramRefRE.ReplaceAllStringFunc(s, func(ref string) string {
				name := ref[2 : len(ref)-1]
				v, ok := vals[name]
				if !ok {
					errs = append(errs, &Error{Pos: n.pos, Message: fmt.Sprintf("unknown template parameter ${%s}", name)})
					return ref
				}
				return v
			})
			n.value, n.text = out, out
		}
		for _, v := range n.vals {
			walk(v)
		}
		for _, v := range n.items {
			walk(v)
		}
	}
	walk(n)
	return errs
}
