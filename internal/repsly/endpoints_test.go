package repsly

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestEndpointsTable(t *testing.T) {
	t.Parallel()
	eps := Endpoints()
	if len(eps) != 35 {
		t.Fatalf("%d endpoints, the reference lists 35", len(eps))
	}
	names := map[string]bool{}
	placeholder := regexp.MustCompile(`\{[A-Za-z]+\}`)
	for _, ep := range eps {
		if names[ep.Name] {
			t.Errorf("duplicate name %s", ep.Name)
		}
		names[ep.Name] = true
		holes := len(placeholder.FindAllString(ep.Path, -1))
		switch ep.Method {
		case http.MethodGet:
			if !strings.HasPrefix(ep.Path, "export/") {
				t.Errorf("%s: GET path %q outside export/", ep.Name, ep.Path)
			}
			want := map[CursorKind]int{CursorTimestamp: 1, CursorID: 1, CursorModified: 2, CursorDateRange: 2}[ep.Cursor]
			if ep.Cursor == CursorNone {
				want = holes // single-record and list exports take 0 or 1 value
			}
			if holes != want {
				t.Errorf("%s: %d placeholders for a %s cursor", ep.Name, holes, ep.Cursor)
			}
			if ep.Name != "import_status" && ep.Envelope == "" {
				t.Errorf("%s: export without envelope", ep.Name)
			}
			if (ep.Cursor == CursorTimestamp || ep.Cursor == CursorID) && ep.KeyField == "" {
				t.Errorf("%s: cursor export without key field", ep.Name)
			}
		case http.MethodPost:
			if !strings.HasPrefix(ep.Path, "import/") || holes != 0 || ep.Cursor != CursorNone {
				t.Errorf("%s: bad import %+v", ep.Name, ep)
			}
		default:
			t.Errorf("%s: method %s", ep.Name, ep.Method)
		}
		if !ep.Confirmed && !strings.Contains(ep.Note, "GUESS") {
			t.Errorf("%s: unconfirmed path without a GUESS note", ep.Name)
		}
	}
	// Changing the returned slice must not change the table.
	eps[0].Path = "changed"
	if e, _ := EndpointByName(eps[0].Name); e.Path == "changed" {
		t.Fatal("Endpoints shares its backing array")
	}
}

// TestEndpointNamesUsed checks that every endpoint name the package's own
// code refers to is in the table, so a renamed entry cannot slip through.
func TestEndpointNamesUsed(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`"((?:export|import|get|update)_[a-z_]+)"`)
	seen := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range quoted.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := EndpointByName(m[1]); !ok {
				t.Errorf("%s refers to unknown endpoint %q", f.Name(), m[1])
			}
		}
	}
	if seen < 30 {
		t.Fatalf("only %d endpoint references found; the pattern is stale", seen)
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []string
		want   string
	}{
		{"get_client", []string{"C 1/ä"}, "export/internal/client/C%201%2F%C3%A4"},
		{"export_visit_realizations", []string{"2022-03-31T00:00:00.000Z", "50"}, "export/visitrealizations?modified=2022-03-31T00%3A00%3A00.000Z&skip=50"},
		{"export_schedules", []string{"2024-11-01", "2024-11-07"}, "export/schedules/2024-11-01/2024-11-07"},
		{"export_pricelists", nil, "export/pricelists"},
	}
	for _, tt := range tests {
		ep, _ := EndpointByName(tt.name)
		got, err := ep.expand(tt.values...)
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	ep, _ := EndpointByName("export_schedules")
	if _, err := ep.expand("2024-11-01"); err == nil {
		t.Error("missing value accepted")
	}
	if _, err := ep.expand("a", "b", "c"); err == nil {
		t.Error("extra value accepted")
	}
}

func TestCursorText(t *testing.T) {
	t.Parallel()
	mod := time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		c    Cursor
		text string
	}{
		{Cursor{}, ""},
		{TimestampCursor(638412), "timestamp:638412"},
		{IDCursor(5501), "id:5501"},
		{ModifiedCursor(mod), "modified:2022-03-31T00:00:00.000Z;skip:0"},
		{Cursor{Kind: CursorModified, Modified: mod, Skip: 150, Seen: mod.Add(90 * time.Minute)},
			"modified:2022-03-31T00:00:00.000Z;skip:150;seen:2022-03-31T01:30:00.000Z"},
	}
	for _, tt := range tests {
		b, _ := tt.c.MarshalText()
		if string(b) != tt.text {
			t.Errorf("text %q, want %q", b, tt.text)
		}
		var back Cursor
		if err := back.UnmarshalText(b); err != nil || !back.Equal(tt.c) {
			t.Errorf("parse %q = %+v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"timestamp", "id:x", "lsn:5", "modified:yesterday;skip:0", "modified:2022-03-31T00:00:00.000Z;skip:x", "modified:2022-03-31T00:00:00.000Z;page:2"} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
	if !(Cursor{}).Equal(TimestampCursor(0)) || TimestampCursor(1).Equal(IDCursor(1)) {
		t.Error("Equal")
	}
	if CursorKind(9).String() != "CursorKind(9)" {
		t.Error("CursorKind String")
	}
}

func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "timestamp:1", "id:-5", "modified:2022-03-31T00:00:00.000Z;skip:50;seen:2022-03-31T00:00:01.000Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil {
			return
		}
		again, err := ParseCursor(c.String())
		if err != nil || !again.Equal(c) {
			t.Fatalf("%q -> %q -> %+v, %v", s, c.String(), again, err)
		}
	})
}
