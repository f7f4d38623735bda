package flow

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// decoder fills Go values from a node tree, collecting every problem with
// its path and position instead of stopping at the first.
type decoder struct {
	errs  Errors
	nodes map[string]*node
	// keys holds the key node of every path that is a mapping key.
	keys map[string]*node
	// guessed holds the paths an unknown key probably meant; validation
	// errors there ("connection is required" after "conection") repeat the
	// same mistake and are dropped.
	guessed []string
}

func newDecoder() *decoder { return &decoder{nodes: map[string]*node{}, keys: map[string]*node{}} }

func (d *decoder) errorf(n *node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: n.pos, Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	typeFieldMap = reflect.TypeFor[FieldMap]()
	typeDuration = reflect.TypeFor[Duration]()
	typeAny      = reflect.TypeFor[any]()
	typeAnyMap   = reflect.TypeFor[map[string]any]()
)

// decode fills v (addressable) from n.
func (d *decoder) decode(n *node, v reflect.Value, path string) {
	d.nodes[path] = n
	t := v.Type()
	switch {
	case t == typeFieldMap:
		d.decodeFieldMap(n, v, path)
		return
	case t == typeDuration:
		d.decodeDuration(n, v, path)
		return
	case t == typeAny:
		if p := n.plain(); p != nil {
			v.Set(reflect.ValueOf(p))
		}
		return
	case t == typeAnyMap:
		switch n.kind {
		case nodeNull:
		case nodeMap:
			d.recordChildren(n, path)
			v.Set(reflect.ValueOf(n.plain()))
		default:
			d.errorf(n, path, "want %s, not %s", nodeMap, n.kind)
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		switch n.kind {
		case nodeScalar:
			v.SetString(n.text)
		case nodeNull:
		default:
			d.errorf(n, path, "want text, not %s", n.kind)
		}
	case reflect.Int:
		switch x := n.value.(type) {
		case int64:
			if x < math.MinInt32 || x > math.MaxInt32 {
				d.errorf(n, path, "number %d is out of range", x)
				return
			}
			v.SetInt(x)
		default:
			if n.kind != nodeNull {
				d.errorf(n, path, "want a whole number, not %q", n.text)
			}
		}
	case reflect.Bool:
		switch x := n.value.(type) {
		case bool:
			v.SetBool(x)
		default:
			if n.kind != nodeNull {
				d.errorf(n, path, "want true or false, not %q", n.text)
			}
		}
	case reflect.Slice:
		switch n.kind {
		case nodeNull:
		case nodeSeq:
			s := reflect.MakeSlice(t, len(n.items), len(n.items))
			for i, item := range n.items {
				d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
			v.Set(s)
		default:
			d.errorf(n, path, "want a list, not %s", n.kind)
		}
	case reflect.Map:
		switch n.kind {
		case nodeNull:
		case nodeMap:
			m := reflect.MakeMapWithSize(t, len(n.keys))
			for i, k := range n.keys {
				e := reflect.New(t.Elem()).Elem()
				d.keys[joinKey(path, k.text)] = k
				d.decode(n.vals[i], e, joinKey(path, k.text))
				m.SetMapIndex(reflect.ValueOf(k.text), e)
			}
			v.Set(m)
		default:
			d.errorf(n, path, "want %s, not %s", nodeMap, n.kind)
		}
	case reflect.Pointer:
		// A key that is present but empty still allocates, so "lookup:"
		// with nothing under it is a lookup step with missing fields rather
		// than no step at all.
		p := reflect.New(t.Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	default:
		d.errorf(n, path, "internal: cannot decode into %s", t)
	}
}

// recordChildren remembers the positions of a free-form mapping's fields
// (test records), so errors about them point at the right line.
func (d *decoder) recordChildren(n *node, path string) {
	for i, k := range n.keys {
		p := joinKey(path, k.text)
		d.nodes[p] = n.vals[i]
		d.keys[p] = k
		if n.vals[i].kind == nodeMap {
			d.recordChildren(n.vals[i], p)
		}
	}
}

func (d *decoder) decodeStruct(n *node, v reflect.Value, path string) {
	if n.kind == nodeNull {
		return
	}
	if n.kind != nodeMap {
		d.errorf(n, path, "want %s, not %s", nodeMap, n.kind)
		return
	}
	t := v.Type()
	var names []string
	index := map[string]int{}
	for i := range t.NumField() {
		name := yamlName(t.Field(i))
		if name == "" {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	for i, k := range n.keys {
		fi, ok := index[k.text]
		if !ok && path == "" && k.text == "template" {
			d.errorf(k, "template", "this file is a template, not a flow: make a flow from it with fieldbridge flows create --template ID")
			continue
		}
		if !ok {
			hint := didYouMean(k.text, names)
			if g := suggestion(k.text, names); g != "" {
				d.guessed = append(d.guessed, joinKey(path, g))
			}
			d.errorf(k, joinKey(path, k.text), "unknown key%s; %s takes %s", hint, describe(path), quoteList(names))
			continue
		}
		d.keys[joinKey(path, k.text)] = k
		d.decode(n.vals[i], v.Field(fi), joinKey(path, k.text))
	}
}

// describe names the thing at path for messages.
func describe(path string) string {
	if path == "" {
		return "a flow"
	}
	return path
}

// yamlName returns the YAML key of a struct field, "" for unexported or
// skipped ones.
func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("yaml")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

func (d *decoder) decodeDuration(n *node, v reflect.Value, path string) {
	if n.kind == nodeNull {
		return
	}
	s, ok := n.value.(string)
	if !ok {
		d.errorf(n, path, "want a duration such as 90s, 5m or 1h, not %q", n.text)
		return
	}
	dur, err := time.ParseDuration(s)
	if err != nil {
		d.errorf(n, path, "want a duration such as 90s, 5m or 1h, not %q", s)
		return
	}
	v.SetInt(int64(dur))
}

// fieldKeys are the keys of a field's long form.
var fieldKeys = []string{"source", "expr", "default", "value"}

func (d *decoder) decodeFieldMap(n *node, v reflect.Value, path string) {
	switch n.kind {
	case nodeNull:
		v.Set(reflect.ValueOf(FieldMap{}))
		return
	case nodeMap:
	default:
		d.errorf(n, path, "want a mapping of target field to source path or expression, not %s", n.kind)
		return
	}
	fm := make(FieldMap, 0, len(n.keys))
	for i, k := range n.keys {
		before := len(d.errs)
		val := n.vals[i]
		p := joinKey(path, k.text)
		d.nodes[p] = val
		d.keys[p] = k
		f := Field{Target: k.text}
		switch val.kind {
		case nodeNull:
			d.errorf(val, p, "no value: give a source path, an expression, or {value: ...} for a constant")
		case nodeScalar:
			switch x := val.value.(type) {
			case string:
				if isPlainPath(x) {
					f.Source = x
				} else {
					f.Expr = x
				}
			default:
				f.Value = x
			}
		case nodeSeq:
			d.errorf(val, p, "a list is not a field value; write an expression such as [a, b] in quotes, or {value: [...]}")
		case nodeMap:
			for j, fk := range val.keys {
				fv := val.vals[j]
				fp := joinKey(p, fk.text)
				d.nodes[fp] = fv
				switch fk.text {
				case "source", "expr":
					s, ok := fv.value.(string)
					if fv.kind != nodeScalar || !ok {
						d.errorf(fv, fp, "want text")
						continue
					}
					if fk.text == "source" {
						f.Source = s
					} else {
						f.Expr = s
					}
				case "default":
					f.Default = fv.plain()
				case "value":
					f.Value = fv.plain()
					if f.Value == nil {
						d.errorf(fv, fp, "a constant cannot be null; leave the field out instead")
					}
				default:
					d.errorf(fk, fp, "unknown key%s; a field takes %s", didYouMean(fk.text, fieldKeys), quoteList(fieldKeys))
				}
			}
			if f.Value != nil && (f.Source != "" || f.Expr != "") {
				d.errorf(val, p, "value is a constant: it cannot be combined with source or expr")
			}
		}
		if len(d.errs) == before {
			// A field already reported is left out, so compiling the map
			// does not report it a second time.
			fm = append(fm, f)
		}
	}
	v.Set(reflect.ValueOf(fm))
}

// joinKey appends a map key to a path, quoting keys that would not read
// back as one step.
func joinKey(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]\" ") {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// parentPath drops the last step of a path ("" at the top).
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// decodeInto fills the struct v points to from n, at the top of the paths.
func decodeInto(d *decoder, n *node, v any) {
	d.decode(n, reflect.ValueOf(v).Elem(), "")
}

// reflectValue returns the value p points to.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }
