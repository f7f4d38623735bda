package flow

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The YAML is first read into a small tree of nodes that keep their
// positions, and the flow is decoded from that tree by hand. goccy/go-yaml's
// own decoder stops at the first problem; reading the tree ourselves lets
// Parse report every problem at once, each with its line, column and path.

type nodeKind int

const (
	nodeNull nodeKind = iota
	nodeScalar
	nodeMap
	nodeSeq
)

func (k nodeKind) String() string {
	switch k {
	case nodeScalar:
		return "a value"
	case nodeMap:
		return "a mapping (key: value lines)"
	case nodeSeq:
		return "a list"
	}
	return "nothing"
}

// scalarStyle tells how a scalar was written, to map a column inside an
// expression back to the YAML.
type scalarStyle int

const (
	stylePlain scalarStyle = iota
	styleQuoted
	styleBlock
)

type node struct {
	kind nodeKind
	pos  Pos
	// Scalars: value is string, int64, uint64, float64 or bool; text is the
	// scalar as a string (numbers and booleans as written).
	value any
	text  string
	style scalarStyle
	// blockIndent is the indentation of a block scalar's first line, and
	// blockLines its lines as written (without that indentation); folded
	// tells > from |.
	blockIndent int
	blockLines  []string
	folded      bool
	// Maps: keys and values in document order.
	keys []*node
	vals []*node
	// Sequences.
	items []*node
	// fromMerge marks map keys that came from a merge key (<<), which an
	// explicit key may override; built while converting.
	fromMerge []bool
}

// lookup returns the value under key in a map node.
func (n *node) lookup(key string) *node {
	for i, k := range n.keys {
		if k.text == key {
			return n.vals[i]
		}
	}
	return nil
}

// maxNodes bounds the size of a flow document, counting aliased parts each
// time they are used, so an alias bomb fails fast instead of expanding.
const maxNodes = 200_000

// maxSource bounds the YAML input itself.
const maxSource = 4 << 20

// parseNodes parses src into a node tree. A syntax error is returned as an
// *Error with the position goccy reports.
func parseNodes(src []byte) (root *node, err error) {
	if len(src) > maxSource {
		return nil, &Error{Message: fmt.Sprintf("the file is larger than %d MiB", maxSource>>20)}
	}
	defer func() {
		// goccy/go-yaml is well fuzzed, but a flow parser must never take
		// the server down on a user's file.
		if r := recover(); r != nil {
			root, err = nil, &Error{Message: fmt.Sprintf("the YAML could not be read (parser failure: %v)", r)}
		}
	}()
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, syntaxError(err)
	}
	var docs []*ast.DocumentNode
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch len(docs) {
	case 0:
		return &node{kind: nodeNull, pos: Pos{1, 1}}, nil
	case 1:
	default:
		return nil, &Error{Pos: posOf(docs[1].Body.GetToken()), Message: "a flow file holds one YAML document; split it into one file per flow"}
	}
	c := &converter{lines: strings.Split(string(src), "\n"), anchors: map[string]*node{}}
	root = c.convert(docs[0].Body, 0)
	if c.err != nil {
		return nil, c.err
	}
	return root, nil
}

func syntaxError(err error) *Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := "YAML syntax: " + ye.GetMessage()
		if strings.Contains(msg, "mapping value is not allowed") {
			// The usual cause in a flow: an expression with "a ? b : c" or
			// a text with ": " written without quotes.
			msg += ` (a value written without quotes cannot hold ": "; put it in single quotes, or write it on the next lines after >-)`
		}
		return &Error{Pos: posOf(ye.GetToken()), Message: msg}
	}
	return &Error{Message: "YAML syntax: " + err.Error()}
}

func posOf(tk *token.Token) Pos {
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{Line: tk.Position.Line, Column: max(tk.Position.Column, 1)}
}

type converter struct {
	lines   []string
	anchors map[string]*node
	count   int
	err     *Error
}

// maxDepth bounds nesting; flows are shallow.
const maxDepth = 100

func (c *converter) fail(tk *token.Token, format string, args ...any) *node {
	if c.err == nil {
		c.err = &Error{Pos: posOf(tk), Message: fmt.Sprintf(format, args...)}
	}
	return &node{kind: nodeNull, pos: posOf(tk)}
}

// charge counts n nodes against maxNodes.
func (c *converter) charge(n int, tk *token.Token) bool {
	c.count += n
	if c.count > maxNodes {
		c.fail(tk, "the document is too large: more than %d values (counting each use of an alias)", maxNodes)
		return false
	}
	return true
}

func (c *converter) convert(n ast.Node, depth int) *node {
	if c.err != nil || n == nil {
		return &node{kind: nodeNull}
	}
	tk := n.GetToken()
	if depth > maxDepth {
		return c.fail(tk, "the document nests deeper than %d levels", maxDepth)
	}
	if !c.charge(1, tk) {
		return &node{kind: nodeNull}
	}
	pos := posOf(tk)
	switch x := n.(type) {
	case *ast.NullNode:
		return &node{kind: nodeNull, pos: pos}
	case *ast.StringNode:
		style := stylePlain
		if tk != nil && (tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType) {
			style = styleQuoted
		}
		return &node{kind: nodeScalar, pos: pos, value: x.Value, text: x.Value, style: style}
	case *ast.LiteralNode:
		out := &node{kind: nodeScalar, pos: pos, style: styleBlock}
		if x.Value != nil {
			out.value, out.text = x.Value.Value, x.Value.Value
		}
		if x.Start != nil && x.Start.Position != nil {
			out.folded = strings.HasPrefix(x.Start.Value, ">")
			c.blockPosition(out, x.Start.Position.Line)
		}
		return out
	case *ast.IntegerNode:
		text := tk.Value
		switch v := x.Value.(type) {
		case int64:
			return &node{kind: nodeScalar, pos: pos, value: v, text: text}
		case uint64:
			// Records hold int64 where the number fits, whatever sign
			// goccy gives it.
			if v <= math.MaxInt64 {
				return &node{kind: nodeScalar, pos: pos, value: int64(v), text: text}
			}
			return &node{kind: nodeScalar, pos: pos, value: v, text: text}
		}
		return &node{kind: nodeScalar, pos: pos, value: text, text: text}
	case *ast.FloatNode:
		return &node{kind: nodeScalar, pos: pos, value: x.Value, text: tk.Value}
	case *ast.InfinityNode:
		return &node{kind: nodeScalar, pos: pos, value: x.Value, text: tk.Value}
	case *ast.NanNode:
		return &node{kind: nodeScalar, pos: pos, value: math.NaN(), text: tk.Value}
	case *ast.BoolNode:
		return &node{kind: nodeScalar, pos: pos, value: x.Value, text: strconv.FormatBool(x.Value)}
	case *ast.TagNode:
		return c.convert(x.Value, depth+1)
	case *ast.AnchorNode:
		v := c.convert(x.Value, depth+1)
		if name, ok := x.Name.(*ast.StringNode); ok {
			c.anchors[name.Value] = v
		}
		return v
	case *ast.AliasNode:
		name := ""
		if s, ok := x.Value.(*ast.StringNode); ok {
			name = s.Value
		}
		v, ok := c.anchors[name]
		if !ok {
			return c.fail(tk, "alias *%s refers to no anchor defined before it", name)
		}
		if !c.charge(size(v), tk) {
			return &node{kind: nodeNull}
		}
		return v
	case *ast.MappingNode:
		out := &node{kind: nodeMap, pos: pos}
		if x.IsFlowStyle && x.Start != nil {
			out.pos = posOf(x.Start)
		}
		for _, mv := range x.Values {
			c.mapValue(out, mv, depth)
		}
		if !x.IsFlowStyle && len(out.keys) > 0 && !out.fromMerge[0] {
			// goccy places a block mapping at its first colon; its first
			// key is where a reader looks.
			out.pos = out.keys[0].pos
		}
		return out
	case *ast.MappingValueNode:
		out := &node{kind: nodeMap, pos: posOf(x.Key.GetToken())}
		c.mapValue(out, x, depth)
		return out
	case *ast.SequenceNode:
		out := &node{kind: nodeSeq, pos: pos}
		for _, v := range x.Values {
			out.items = append(out.items, c.convert(v, depth+1))
		}
		return out
	case *ast.CommentGroupNode:
		return &node{kind: nodeNull, pos: pos}
	}
	return c.fail(tk, "unsupported YAML construct (%s)", n.Type())
}

// mapValue adds one key: value pair to m, expanding merge keys (<<).
func (c *converter) mapValue(m *node, mv *ast.MappingValueNode, depth int) {
	if mv == nil || c.err != nil {
		return
	}
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		src := c.convert(mv.Value, depth+1)
		var maps []*node
		switch src.kind {
		case nodeMap:
			maps = []*node{src}
		case nodeSeq:
			maps = src.items
		}
		for _, sm := range maps {
			if sm.kind != nodeMap {
				c.fail(mv.Key.GetToken(), "a merge key (<<) takes a mapping or a list of mappings")
				return
			}
			for i, k := range sm.keys {
				if m.lookup(k.text) == nil {
					m.keys = append(m.keys, k)
					m.vals = append(m.vals, sm.vals[i])
					m.fromMerge = append(m.fromMerge, true)
				}
			}
		}
		return
	}
	key := c.convert(mv.Key, depth+1)
	if key.kind != nodeScalar {
		c.fail(mv.Key.GetToken(), "a key must be a plain value, not %s", key.kind)
		return
	}
	val := c.convert(mv.Value, depth+1)
	if val.kind == nodeNull && val.pos.Line == 0 {
		val.pos = key.pos
	}
	for i, k := range m.keys {
		if k.text == key.text {
			// An explicit key overrides one merged in with <<; a key
			// written twice is a mistake.
			if !m.fromMerge[i] {
				c.fail(mv.Key.GetToken(), "key %q is repeated (first at line %d)", key.text, k.pos.Line)
				return
			}
			m.keys[i], m.vals[i], m.fromMerge[i] = key, val, false
			return
		}
	}
	m.keys = append(m.keys, key)
	m.vals = append(m.vals, val)
	m.fromMerge = append(m.fromMerge, false)
}

// size counts the nodes of a tree, capped at maxNodes+1.
func size(n *node) int {
	total := 1
	for _, v := range n.vals {
		total += size(v)
		if total > maxNodes {
			return maxNodes + 1
		}
	}
	for _, v := range n.items {
		total += size(v)
		if total > maxNodes {
			return maxNodes + 1
		}
	}
	return total
}

// blockPosition finds a block scalar's content, which starts on the first
// non-blank line after its indicator line, and records where it is.
func (c *converter) blockPosition(n *node, indicatorLine int) {
	first := 0
	for l := indicatorLine + 1; l <= len(c.lines); l++ {
		if strings.TrimSpace(c.lines[l-1]) != "" {
			first = l
			break
		}
	}
	if first == 0 {
		return
	}
	n.blockIndent = c.indent(first)
	n.pos = Pos{Line: first, Column: n.blockIndent + 1}
	for l := first; l <= len(c.lines); l++ {
		line := c.lines[l-1]
		if strings.TrimSpace(line) != "" && c.indent(l) < n.blockIndent {
			break
		}
		if len(line) >= n.blockIndent {
			line = line[n.blockIndent:]
		} else {
			line = ""
		}
		n.blockLines = append(n.blockLines, strings.TrimRight(line, "\r"))
	}
}

// indent returns the number of leading spaces of a 1-based source line.
func (c *converter) indent(line int) int {
	if line < 1 || line > len(c.lines) {
		return 0
	}
	s := c.lines[line-1]
	return len(s) - len(strings.TrimLeft(s, " "))
}

// plain converts a node into plain Go data (map[string]any, []any, text,
// int64, float64, bool, nil), the shape records have.
func (n *node) plain() any {
	switch n.kind {
	case nodeScalar:
		return n.value
	case nodeMap:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			out[k.text] = n.vals[i].plain()
		}
		return out
	case nodeSeq:
		out := make([]any, len(n.items))
		for i, v := range n.items {
			out[i] = v.plain()
		}
		return out
	}
	return nil
}
