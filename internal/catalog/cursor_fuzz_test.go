package catalog

import (
	"encoding/json"
	"fmt"
	"testing"
)

// FuzzParseSnapshot: a stored cursor, however mangled, never panics, and a
// parsed one writes back to text that parses to the same snapshot.
func FuzzParseSnapshot(f *testing.F) {
	for _, s := range []string{"", "snap1:{}", `snap1:{"a":"0123456789ab"}`, "snap1:", "snap1:[1]", "timestamp:5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		s, err := parseSnapshot(cursor)
		if err != nil || s == nil {
			return
		}
		again, err := parseSnapshot(s.String())
		if err != nil || len(again) != len(s) {
			t.Fatalf("%q: round trip gave %v, %v", cursor, again, err)
		}
	})
}

// FuzzNewRowCursor: the new-record cursor parser never panics and only
// accepts three parts.
func FuzzNewRowCursor(f *testing.F) {
	for _, s := range []string{"", "timestamp:5|0|7", "|1|2", "a|b|c", "timestamp:5|7", "||||"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		inner, threshold, top, err := parseNewRowCursor(cursor)
		if err != nil || cursor == "" {
			return
		}
		i2, th2, top2, err := parseNewRowCursor(fmt.Sprintf("%s|%d|%d", inner, threshold, top))
		if err != nil || i2 != inner || th2 != threshold || top2 != top {
			t.Fatalf("%q does not round-trip", cursor)
		}
	})
}

// TestSnapshotDiff checks what a snapshot trigger yields.
func TestSnapshotDiff(t *testing.T) {
	t.Parallel()
	recs := []json.RawMessage{[]byte(`{"id":"a","v":1}`), []byte(`{"id":"b","v":1}`)}
	changed, s1, err := diff(nil, recs, fieldKey("id"))
	if err != nil || len(changed) != 2 {
		t.Fatalf("first diff: %d, %v", len(changed), err)
	}
	recs[1] = []byte(`{"id":"b","v":2}`)
	recs = append(recs, []byte(`{"id":"c","v":1}`))
	changed, s2, err := diff(s1, recs, fieldKey("id"))
	if err != nil || len(changed) != 2 || string(changed[0]) != `{"id":"b","v":2}` {
		t.Fatalf("second diff: %s, %v", changed, err)
	}
	changed, _, _ = diff(s2, recs[1:], fieldKey("id"))
	if len(changed) != 0 {
		t.Errorf("a removed record changed the rest: %s", changed)
	}
	if _, _, err := diff(nil, []json.RawMessage{[]byte(`{"x":1}`)}, fieldKey("id")); err == nil {
		t.Error("a record without its key was accepted")
	}
}
