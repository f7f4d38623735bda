package flow_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

// validFlow is an automation every test starts from.
const validFlow = `name: client-to-contact
description: Repsly clients become HighLevel contacts
trigger:
  operation: repsly.client.updated
  connection: repsly
  poll_interval: 5m
steps:
  - filter: trim(client.Email) != ""
  - id: contact
    lookup: {object: ghl.contact, connection: ghl, by: email, value: lower(client.Email)}
  - id: saved
    action:
      operation: ghl.contact.upsert
      connection: ghl
      input:
        email: lower(trim(client.Email))
        companyName: client.Name
tests:
  - name: lower-cased
    input:
      client: {Email: A@B.com, Name: Shop}
    expect:
      saved: {email: a@b.com, companyName: Shop}
`

func TestParseValid(t *testing.T) {
	t.Parallel()
	f, err := flow.Parse([]byte(validFlow))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "client-to-contact" || f.Kind() != flow.KindAutomation || len(f.Steps) != 3 {
		t.Fatalf("parsed %+v", f)
	}
	if got := f.Trigger.PollInterval.String(); got != "5m" {
		t.Errorf("poll interval %s", got)
	}
	if s := f.Steps[2].Action; s == nil || len(s.Input) != 2 || s.Input[0].Target != "email" || s.Input[1].Source != "client.Name" {
		t.Errorf("action %+v", s)
	}
	if got := f.Steps[2].Action.Input[0].Expr; got != "lower(trim(client.Email))" {
		t.Errorf("expression %q", got)
	}
	if pos := f.Position("steps[2].action.input.email"); pos != (flow.Pos{Line: 16, Column: 16}) {
		t.Errorf("position of email %+v", pos)
	}
	if pos := f.Position("steps[2].action.input.nothing"); pos != (flow.Pos{Line: 16, Column: 9}) {
		t.Errorf("position of an unwritten field falls back to its parent: %+v", pos)
	}
	if _, err := flow.Load([]byte(validFlow), fullOptions()); err != nil {
		t.Fatalf("with catalog and connections: %v", err)
	}
}

// wantErr is one expected problem: position (0 = do not check), path and
// a part of the message.
type wantErr struct {
	line, col int
	path      string
	msg       string
}

func checkErrors(t *testing.T, src string, err error, want []wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d", len(want))
	}
	errs := errorsOf(t, err)
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d:\n%s", len(errs), len(want), errs.Format("f.yaml"))
	}
	for i, w := range want {
		e := errs[i]
		if (w.line != 0 && (e.Line != w.line || e.Column != w.col)) || e.Path != w.path || !strings.Contains(e.Message, w.msg) {
			t.Errorf("error %d = %d:%d %s: %s\nwant %d:%d %s: ...%s...\n%s", i, e.Line, e.Column, e.Path, e.Message,
				w.line, w.col, w.path, w.msg, caret(src, e.Pos))
		}
	}
}

// caret shows the source line of pos with a caret under its column.
func caret(src string, pos flow.Pos) string {
	lines := strings.Split(src, "\n")
	if pos.Line < 1 || pos.Line > len(lines) {
		return ""
	}
	return lines[pos.Line-1] + "\n" + strings.Repeat(" ", max(pos.Column-1, 0)) + "^"
}

func TestParseReportsEveryError(t *testing.T) {
	t.Parallel()
	src := `name: bad flow
trigger:
  operation: repsly.client.updated
  conection: repsly
steps:
  - filter: clinet.Email != ""
  - id: contact
    map:
      email: lower(trim(client.Email)
      companyName: clinet.Name
      phone: '  e164(client.Phone, 7)'
  - id: notes
    action:
      operation: repsly.client_note.create
      connection: repsly
      input: {Note: client.Note}
  - action: {operation: repsly.client.delete, connection: repsly}
  - lookup: {object: ghl.contact, connection: ghl, by: mail, value: client.Email}
  - fitler: "true"
  - filter: "true"
    map: {a: client.A}
`
	_, err := flow.Parse([]byte(src))
	checkErrors(t, src, err, []wantErr{
		{1, 7, "name", `"bad flow" is not a usable flow name`},
		{4, 3, "trigger.conection", `unknown key (did you mean "connection"?)`},
		{6, 13, "steps[0].filter", `unknown name clinet (did you mean "client"?)`},
		{9, 37, "steps[1].map.email", "unexpected token EOF"},
		{10, 20, "steps[1].map.companyName", `unknown record "clinet" (did you mean "client"?)`},
		{11, 36, "steps[1].map.phone", "cannot use int as argument (type string)"},
		{14, 18, "steps[2].action.operation", "Repsly's API cannot create or change client notes"},
		{17, 25, "steps[3].action.operation", "Repsly's API cannot delete clients"},
		{18, 5, "steps[4]", "a lookup step needs an id"},
		{18, 56, "steps[4].lookup.by", `cannot be found by "mail" (did you mean "email"?)`},
		// "a step needs one of ..." is not repeated for the misspelt filter.
		{19, 5, "steps[5].fitler", `unknown key (did you mean "filter"?)`},
		{20, 5, "steps[6]", `a step does one thing, but this one has "filter" or "map"`},
	})
}

func TestParseStructure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want []wantErr
	}{
		{"empty", "", []wantErr{{1, 1, "", "the file is empty"}}},
		{"comment only", "# nothing\n", []wantErr{{1, 1, "", "the file is empty"}}},
		{"not a mapping", "- a\n- b\n", []wantErr{{1, 1, "", "a flow is a mapping"}}},
		{"two documents", "name: a\n---\nname: b\n", []wantErr{{3, 5, "", "one YAML document"}}},
		{"syntax", "name: a\nsteps:\n  - filter: a ? b : c\n", []wantErr{{3, 13, "", `cannot hold ": "`}}},
		{"repeated key", "name: a\nname: b\nsteps: []\n", []wantErr{{2, 1, "", `mapping key "name" already defined at [1:1]`}}},
		{"wrong types", "name: [a]\nversion: x\ntrigger: {operation: repsly.client.updated, connection: r, poll_interval: 5}\nsteps: {a: b}\n",
			[]wantErr{
				{1, 7, "name", "want text, not a list"},
				{2, 10, "version", `want a whole number, not "x"`},
				{3, 75, "trigger.poll_interval", `want a duration such as 90s, 5m or 1h, not "5"`},
				{4, 8, "steps", "want a list, not a mapping"},
			}},
		{"no steps", "name: a\ntrigger: {operation: repsly.client.updated, connection: r}\n", []wantErr{{0, 0, "steps", "steps are required"}}},
		{"no trigger", "name: a\nsteps:\n  - filter: 'true'\n", []wantErr{{1, 1, "", "trigger is required"}}},
		{"bad alias", "name: *x\nsteps: []\n", []wantErr{{1, 7, "", "alias *x refers to no anchor"}}},
		{"field list", "name: a\ntrigger: {operation: repsly.client.updated, connection: r}\nsteps:\n  - id: m\n    map: {a: [1]}\n",
			[]wantErr{{5, 14, "steps[0].map.a", "a list is not a field value"}}}, // and "the map has no fields" is not said
		{"field long form", "name: a\ntrigger: {operation: repsly.client.updated, connection: r}\nsteps:\n  - id: m\n    map:\n      a: {sourc: client.A}\n      b: {value: 1, expr: x}\n",
			[]wantErr{
				{6, 11, "steps[0].map.a.sourc", `unknown key (did you mean "source"?)`},
				{7, 10, "steps[0].map.b", "value is a constant: it cannot be combined with source or expr"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := flow.Parse([]byte(tt.src))
			checkErrors(t, tt.src, err, tt.want)
		})
	}
}

func TestParseAliasBomb(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	_, err := flow.Parse([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "the document is too large") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseAnchorsAndMerge(t *testing.T) {
	t.Parallel()
	src := `name: anchors
trigger: {operation: repsly.client.updated, connection: repsly}
steps:
  - id: a
    map: &fields
      email: lower(client.Email)
      name: client.Name
  - id: b
    map:
      <<: *fields
      name: upper(client.Name)
`
	f, err := flow.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Steps[1].Map; len(got) != 2 || got[0].Expr != "lower(client.Email)" || got[1].Expr != "upper(client.Name)" {
		t.Fatalf("merged map %+v", got)
	}
}

func TestValidateAgainstCatalogAndConnections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		replace [2]string // in validFlow
		want    wantErr
	}{
		{"unknown operation", [2]string{"ghl.contact.upsert", "ghl.contact.upsret"},
			wantErr{13, 18, "steps[2].action.operation", `unknown operation "ghl.contact.upsret" (did you mean "ghl.contact.upsert"?)`}},
		{"trigger used as action", [2]string{"ghl.contact.upsert", "ghl.contact.created"},
			wantErr{13, 18, "steps[2].action.operation", "ghl.contact.created is a trigger, not an action"}},
		{"unknown connection", [2]string{"connection: ghl\n      input", "connection: ghll\n      input"},
			wantErr{14, 19, "steps[2].action.connection", `no connection named "ghll" (did you mean "ghl"?)`}},
		{"wrong app", [2]string{"connection: ghl\n      input", "connection: repsly\n      input"},
			wantErr{14, 19, "steps[2].action.connection", `connection "repsly" is a Repsly connection, but ghl.contact.upsert needs a HighLevel one`}},
		{"missing scope", [2]string{"connection: ghl\n      input", "connection: ghl-readonly\n      input"},
			wantErr{14, 19, "steps[2].action.connection", `connection "ghl-readonly" lacks the scope contacts.write that ghl.contact.upsert needs`}},
		{"unknown input field", [2]string{"companyName: client.Name", "compnyName: client.Name"},
			wantErr{17, 9, "steps[2].action.input.compnyName", `ghl.contact.upsert has no input field "compnyName" (did you mean "companyName"?)`}},
		{"poll interval too short", [2]string{"poll_interval: 5m", "poll_interval: 5s"},
			wantErr{6, 18, "trigger.poll_interval", "at least 30s"}},
		{"repsly webhook", [2]string{"poll_interval: 5m", "mode: webhook"},
			wantErr{4, 14, "trigger.operation", "Repsly has no webhooks"}},
		{"lookup scope", [2]string{"{object: ghl.contact, connection: ghl,", "{object: ghl.contact, connection: repsly,"},
			wantErr{10, 47, "steps[1].lookup.connection", "a Repsly connection, but a lookup of ghl.contact needs a HighLevel one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(validFlow, tt.replace[0], tt.replace[1], 1)
			if src == validFlow {
				t.Fatal("replacement did not apply")
			}
			_, err := flow.Load([]byte(src), fullOptions())
			checkErrors(t, src, err, []wantErr{tt.want})
		})
	}
}

func TestValidateWhatAPIsCannotDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, trigger, action, want string
	}{
		{"client note import", "repsly.client.updated", "repsly.client_note.create", "Repsly's API cannot create or change client notes"},
		{"note under another name", "repsly.client.updated", "repsly.clientNotes.import", "cannot create or change client notes"},
		{"visit", "repsly.client.updated", "repsly.visit.create", "Repsly's API cannot create or change visits"},
		{"client delete", "repsly.client.updated", "repsly.client.delete", "Deactivate the client instead"},
		{"product delete", "repsly.client.updated", "repsly.product.remove", "Repsly's API deletes nothing"},
		{"task updated webhook", "ghl.task.updated", "ghl.note.create", "HighLevel sends no webhook when a task changes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := fmt.Sprintf("name: x\ntrigger: {operation: %s, connection: c}\nsteps:\n  - action: {operation: %s, connection: c}\n", tt.trigger, tt.action)
			_, err := flow.Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}

	t.Run("catalog says what an action writes", func(t *testing.T) {
		t.Parallel()
		ops := newFakeOps()
		ops["repsly.composite.log_call"] = flow.OperationInfo{ID: "repsly.composite.log_call", App: flow.AppRepsly, Kind: flow.OpAction,
			Writes: []string{"repsly.client_note"}}
		src := "name: x\ntrigger: {operation: repsly.client.updated, connection: repsly}\nsteps:\n  - action: {operation: repsly.composite.log_call, connection: repsly}\n"
		_, err := flow.Load([]byte(src), flow.Options{Operations: ops})
		if err == nil || !strings.Contains(err.Error(), "cannot create or change client notes") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("task poll trigger is fine", func(t *testing.T) {
		t.Parallel()
		src := "name: x\ntrigger: {operation: ghl.task.updated.poll, connection: ghl}\nsteps:\n  - filter: 'true'\n"
		if _, err := flow.Load([]byte(src), fullOptions()); err != nil {
			t.Fatal(err)
		}
		src = "name: x\ntrigger: {operation: ghl.task.updated, connection: ghl, mode: poll}\nsteps:\n  - filter: 'true'\n"
		if _, err := flow.Parse([]byte(src)); err != nil {
			t.Fatalf("an explicit poll mode without a catalog: %v", err)
		}
	})
}

func TestValidateSteps(t *testing.T) {
	t.Parallel()
	head := "name: x\ntrigger: {operation: repsly.client.updated, connection: repsly}\nsteps:\n"
	tests := []struct {
		name, steps string
		want        []wantErr
	}{
		{"duplicate id", "  - {id: a, map: {x: client.A}}\n  - {id: a, map: {x: client.A}}\n",
			[]wantErr{{5, 10, "steps[1].id", `id "a" is already used by steps[0]`}}},
		{"id clashes with trigger", "  - {id: client, map: {x: client.A}}\n",
			[]wantErr{{4, 10, "steps[0].id", "already the trigger record's name"}}},
		{"reserved id", "  - {id: target, map: {x: client.A}}\n",
			[]wantErr{{4, 10, "steps[0].id", "is a name every expression already has"}}},
		{"helper id", "  - {id: lower, map: {x: client.A}}\n",
			[]wantErr{{4, 10, "steps[0].id", "is the name of a built-in function"}}},
		{"later record not visible", "  - {id: a, map: {x: b.X}}\n  - {id: b, map: {x: client.A}}\n",
			[]wantErr{{4, 22, "steps[0].map.x", `unknown record "b"`}}},
		{"map without id", "  - map: {x: client.A}\n", []wantErr{{4, 5, "steps[0]", "a map step needs an id"}}},
		{"empty map", "  - {id: m, map: {}}\n", []wantErr{{4, 18, "steps[0].map", "the map has no fields"}}},
		{"when on filter", "  - {filter: 'true', when: 'true'}\n", []wantErr{{4, 28, "steps[0].when", "a filter takes no when"}}},
		{"empty when", "  - {id: m, when: '', map: {x: client.A}}\n", []wantErr{{4, 19, "steps[0].when", "the expression is empty"}}},
		{"unknown lookup object", "  - {id: l, lookup: {object: ghl.contacts, connection: g, by: id, value: client.A}}\n",
			[]wantErr{{4, 30, "steps[0].lookup.object", `cannot look up "ghl.contacts" (did you mean "ghl.contact"?)`}}},
		{"lookup without value", "  - {id: l, lookup: {object: repsly.client, connection: r, by: code}}\n",
			[]wantErr{{4, 21, "steps[0].lookup.value", "value is required"}}},
		{"action without operation", "  - {id: a, action: {connection: g}}\n",
			[]wantErr{{4, 21, "steps[0].action.operation", "operation is required"}}},
		{"bad operation id", "  - {action: {operation: 'ghl contact', connection: g}}\n",
			[]wantErr{{4, 26, "steps[0].action.operation", `"ghl contact" is not an operation id`}}},
		{"unknown app", "  - {action: {operation: hubspot.contact.create, connection: g}}\n",
			[]wantErr{{4, 26, "steps[0].action.operation", `unknown app "hubspot"`}}},
		{"sync among steps", "  - {filter: 'true'}\n  - sync: {}\n",
			[]wantErr{{2, 10, "trigger", "a sync flow has no trigger"}, {0, 0, "steps", "a sync flow has exactly one step"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := flow.Parse([]byte(head + tt.steps))
			checkErrors(t, head+tt.steps, err, tt.want)
		})
	}
}

func TestExpressionPositions(t *testing.T) {
	t.Parallel()
	// The same mistake (an unknown name) written in each YAML style points
	// at the name itself.
	tests := []struct {
		name, value string
		line, col   int
	}{
		{"plain", "lower(nope)", 5, 20},
		{"single-quoted", "'lower(nope)'", 5, 21},
		{"double-quoted", `"lower(nope)"`, 5, 21},
		{"block", "|-\n        lower(\n          nope)", 8, 11},
		{"folded", ">-\n        lower(\n        nope)", 8, 9},
		{"folded one line", ">-\n        lower(nope)", 7, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := "name: x\ntrigger: {operation: repsly.client.updated, connection: r}\nsteps:\n  - id: m\n    map: {a: " + tt.value + "}\n"
			if strings.Contains(tt.value, "\n") {
				src = "name: x\ntrigger: {operation: repsly.client.updated, connection: r}\nsteps:\n  - id: m\n    map:\n      a: " + tt.value + "\n"
			}
			_, err := flow.Parse([]byte(src))
			errs := errorsOf(t, err)
			if len(errs) != 1 || errs[0].Line != tt.line || errs[0].Column != tt.col || !strings.Contains(errs[0].Message, "unknown name nope") {
				t.Fatalf("got %s, want %d:%d", errs.Format("f"), tt.line, tt.col)
			}
		})
	}
}

func TestValidateSync(t *testing.T) {
	t.Parallel()
	head := "name: s\nsteps:\n  - sync:\n"
	good := `      left: {connection: repsly, object: repsly.client}
      right: {connection: ghl, object: ghl.contact}
      direction: two_way
      match: [code, email]
      left_to_right: {email: lower(client.Email)}
      right_to_left: {Email: contact.email}
`
	if _, err := flow.Load([]byte(head+good), fullOptions()); err != nil {
		t.Fatalf("valid sync: %v", err)
	}
	tests := []struct {
		name    string
		replace [2]string
		want    []wantErr
	}{
		{"one way writes left", [2]string{"two_way", "one_way"},
			[]wantErr{{9, 22, "steps[0].sync.right_to_left", "a one-way sync never writes the left side"}}},
		{"bad direction", [2]string{"two_way", "both"},
			[]wantErr{{6, 18, "steps[0].sync.direction", "direction must be one_way or two_way"}}},
		{"bad match key", [2]string{"[code, email]", "[code, emial, code]"},
			[]wantErr{{7, 21, "steps[0].sync.match[1]", `unknown match key "emial" (did you mean "email"?)`},
				{7, 28, "steps[0].sync.match[2]", `"code" is listed twice`}}},
		{"note object", [2]string{"object: ghl.contact", "object: repsly.client_note"},
			[]wantErr{{5, 40, "steps[0].sync.right.object", "Repsly's API cannot create or change client notes"}}},
		{"same app", [2]string{"object: ghl.contact", "object: repsly.client"},
			[]wantErr{{4, 7, "steps[0].sync", "pairs a record of one app with a record of the other"},
				{5, 14, "steps[0].sync.right.as", `both sides are called "client"`},
				{5, 27, "steps[0].sync.right.connection", `connection "ghl" is a HighLevel connection`},
				{8, 23, "steps[0].sync.left_to_right.email", `repsly.client.upsert has no input field "email" (did you mean "Email"?)`},
				{9, 30, "steps[0].sync.right_to_left.Email", `unknown record "contact"`}}},
		{"unknown prefer field", [2]string{"match: [code, email]", "match: [code]\n      prefer: {mail: left}"},
			[]wantErr{{8, 16, "steps[0].sync.prefer.mail", `"mail" is not a target field of left_to_right or right_to_left (did you mean "email"?)`}}},
		{"read-only connection", [2]string{"connection: ghl,", "connection: ghl-readonly,"},
			[]wantErr{{5, 27, "steps[0].sync.right.connection", "lacks the scope contacts.write that syncing ghl.contact needs"}}},
		{"field the API cannot write", [2]string{"{email: lower(client.Email)}", "{additionalPhones: client.Mobile}"},
			[]wantErr{{8, 23, "steps[0].sync.left_to_right.additionalPhones", `ghl.contact.upsert has no input field "additionalPhones"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := head + strings.Replace(good, tt.replace[0], tt.replace[1], 1)
			_, err := flow.Load([]byte(src), fullOptions())
			checkErrors(t, src, err, tt.want)
		})
	}
}

func TestValidateTests(t *testing.T) {
	t.Parallel()
	src := validFlow + `  - name: lower-cased
    input: {clent: {}}
    expect: {savd: {}}
  - name: sync only
    direction: left_to_right
    current: {}
    delete: true
    input: {}
  - name: bad clock
    now: yesterday
    stopped: true
`
	_, err := flow.Parse([]byte(src))
	checkErrors(t, src, err, []wantErr{
		{24, 11, "tests[1].name", `the name "lower-cased" is already used by tests[0]`},
		{25, 13, "tests[1].input.clent", `"clent" is not a record of this flow (did you mean "client"?)`},
		{26, 14, "tests[1].expect.savd", `"savd" is not the id of a map or action step (did you mean "saved"?)`},
		{27, 5, "tests[2].expect", "expect is required"},
		{28, 16, "tests[2].direction", "direction is for sync flows"},
		{29, 14, "tests[2].current", "current is for sync flows"},
		{30, 13, "tests[2].delete", "delete is for sync flows"},
		{33, 10, "tests[3].now", "now must be a time"},
	})
}
