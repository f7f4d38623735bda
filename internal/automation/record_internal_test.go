package automation

import (
	"context"
	"slices"
	"testing"
)

func TestRecordKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  any
		want string
	}{
		{"webhook contact", map[string]any{"event": map[string]any{"type": "ContactCreate"}, "contact": map[string]any{"id": "c1"}}, "contact:c1"},
		{"webhook task", map[string]any{"task": map[string]any{"id": "t1", "contactId": "c1"}}, "task:t1"},
		{"repsly note", map[string]any{"ClientNoteID": 42.0, "ClientCode": "C-1"}, "ClientNoteID:42"},
		{"repsly schedule", map[string]any{"ScheduleCode": "SCH-1", "ClientCode": "C-1"}, "ScheduleCode:SCH-1"},
		{"repsly client", map[string]any{"ClientID": 7.0, "Code": "C-7"}, "Code:C-7"},
		{"some other id", map[string]any{"WorkDayID": 3.0, "Note": "x"}, "WorkDayID:3"},
		{"no id", map[string]any{"Note": "x"}, "sha256:"},
		{"not an object", []any{1.0}, "sha256:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := recordKey(tc.rec)
			if tc.want == "sha256:" {
				if len(got) != len("sha256:")+16 || got[:7] != tc.want {
					t.Errorf("recordKey = %q, want a short hash", got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("recordKey = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestKeyText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      any
		want    string
		wantErr bool
	}{
		{nil, "", false},
		{" C-1 ", "C-1", false},
		{42.0, "42", false},
		{1.5, "1.5", false},
		{int64(9007199254740993), "9007199254740993", false},
		{true, "true", false},
		{map[string]any{"a": 1}, "", true},
		{[]any{"a"}, "", true},
	}
	for _, tc := range tests {
		got, err := keyText(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("keyText(%#v) = %q, %v; want %q, error %t", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestAddFieldKeys(t *testing.T) {
	t.Parallel()
	e := &Executor{fields: map[string]map[string]string{"ghl": {"f1": "contact.repsly_client_code"}}}
	rec := map[string]any{
		"event":   map[string]any{"type": "ContactCreate"},
		"contact": map[string]any{"id": "c1", "customFields": []any{map[string]any{"id": "f1", "value": "C-1"}, map[string]any{"id": "f2", "value": "x"}}},
		"list":    []any{map[string]any{"customFields": []any{map[string]any{"id": "f1", "key": "kept", "value": "y"}}}},
	}
	if err := e.addFieldKeys(context.Background(), "ghl", rec); err != nil {
		t.Fatal(err)
	}
	cfs := rec["contact"].(map[string]any)["customFields"].([]any)
	if got := cfs[0].(map[string]any)["key"]; got != "contact.repsly_client_code" {
		t.Errorf("key of f1 = %v", got)
	}
	if _, ok := cfs[1].(map[string]any)["key"]; ok {
		t.Error("an unknown field got a key")
	}
	kept := rec["list"].([]any)[0].(map[string]any)["customFields"].([]any)[0].(map[string]any)["key"]
	if kept != "kept" {
		t.Errorf("a key already there was replaced: %v", kept)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	saved := pageProgress("cursor-1", []string{"a1", "b2"})
	tests := []struct {
		name, saved, cursor string
		want                []string
	}{
		{"same page", saved, "cursor-1", []string{"a1", "b2"}},
		{"another page", saved, "cursor-2", nil},
		{"nothing saved", "", "cursor-1", nil},
		{"cleared", "", "", nil},
		{"garbage", "no bar here", "cursor-1", nil},
		{"no records", shortHash([]byte("c")) + "|", "c", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := parseProgress(tc.saved, tc.cursor); !slices.Equal(got, tc.want) {
				t.Errorf("parseProgress = %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzParseProgress(f *testing.F) {
	f.Add(pageProgress("c", []string{"a", "b"}), "c")
	f.Add("|", "")
	f.Add("x|y|z", "x")
	f.Fuzz(func(t *testing.T, saved, cursor string) {
		got := parseProgress(saved, cursor)
		// What is written is read back.
		if len(got) > 0 {
			if again := parseProgress(pageProgress(cursor, got), cursor); !slices.Equal(again, got) {
				t.Errorf("round trip %q -> %q", got, again)
			}
		}
	})
}
