package mapping

import (
	"encoding/json"
	"iter"
	"maps"
	"slices"
	"time"
)

// targetView returns the record expressions read as `target`: current
// overlaid with the fields computed so far. ApplyTo writes every computed
// field into it unless shared is true, in which case it is out itself.
//
// The view used to be a deep copy of current made by normalize. Most of
// that copy is wasted work in a backfill, so the view avoids it where the
// result cannot differ: it charges budget exactly as normalize(current)
// would, and copies only the maps a field is written into.
func (m *Mapping) targetView(current, out map[string]any, budget *int) (view map[string]any, shared bool, err error) {
	if len(current) == 0 {
		// With nothing to overlay, the view holds exactly what out holds,
		// so it can be out. normalize would have counted the (empty) root.
		*budget--
		return out, true, nil
	}
	if n, ok := plainNodes(current, 0, *budget); ok {
		*budget -= n
		// Fields mostly overwrite keys current has: a clone is the size
		// the view ends up.
		view = maps.Clone(current)
		ownMaps(view, m.written)
		return view, false, nil
	}
	// Something normalize would convert or reject: let it, as before.
	target, err := normalize(current, budget, 0)
	if err != nil {
		return nil, false, err
	}
	view, _ = target.(map[string]any)
	if view == nil {
		view = map[string]any{}
	}
	return view, false, nil
}

// plainNodes counts the values in v, as normalize counts them, when v is
// already what normalize returns for it (so sharing v is the same as
// copying it) and normalize would accept it within budget values and
// maxDepth levels. Otherwise ok is false.
func plainNodes(v any, depth, budget int) (n int, ok bool) {
	if budget < 1 || depth > maxDepth {
		return 0, false
	}
	switch x := v.(type) {
	case nil, string, bool, float64, int, int64, json.Number, time.Time, time.Duration:
		return 1, true
	case map[string]any:
		if x == nil {
			return 0, false // normalize turns it into an untyped nil
		}
		return plainChildren(maps.Values(x), depth, budget)
	case []any:
		if x == nil {
			return 0, false // normalize turns it into an empty list
		}
		return plainChildren(slices.Values(x), depth, budget)
	}
	return 0, false
}

// plainChildren is plainNodes of a map or list holding children: one
// for the container and the count of each child.
func plainChildren(children iter.Seq[any], depth, budget int) (n int, ok bool) {
	n = 1
	for e := range children {
		c, ok := plainNodes(e, depth+1, budget-n)
		if !ok {
			return 0, false
		}
		n += c
	}
	return n, true
}

// pathTree is the maps that the target paths of a mapping write into (all
// steps of a target path but the last), as a tree of names.
type pathTree []pathNode

type pathNode struct {
	name string
	kids pathTree
}

// add records the steps of p but the last.
func (t *pathTree) add(p Path) {
	for len(p) > 1 {
		i := 0
		for i < len(*t) && (*t)[i].name != p[0].Name {
			i++
		}
		if i == len(*t) {
			*t = append(*t, pathNode{name: p[0].Name})
		}
		t, p = &(*t)[i].kids, p[1:]
	}
}

// ownMaps replaces the maps of m that fields are written into by copies,
// so set never writes into the caller's current record. A missing or
// non-map value needs nothing: set replaces it by a new map.
func ownMaps(m map[string]any, t pathTree) {
	for _, n := range t {
		child, ok := m[n.name].(map[string]any)
		if !ok {
			continue
		}
		c := maps.Clone(child)
		m[n.name] = c
		ownMaps(c, n.kids)
	}
}
