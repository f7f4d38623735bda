package ghlsandbox

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRoutesAreSpecOperations checks that every operation the sandbox
// serves is one of the official specs', under the same path template.
func TestRoutesAreSpecOperations(t *testing.T) {
	t.Parallel()
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	sb := New(Options{})
	defer sb.Close()
	counts := map[string]int{}
	for _, rt := range sb.routes {
		path := rt.pattern
		for _, seg := range rt.segs {
			if isParam(seg) {
				path = strings.Replace(path, seg, "x", 1)
			}
		}
		if strings.HasSuffix(rt.pattern, "/bulk/tags/update/{type}") {
			path = strings.TrimSuffix(path, "x") + "add"
		}
		op, err := spec.FindRoute(httptest.NewRequest(rt.method, path, nil))
		if err != nil {
			t.Errorf("%s: %v", rt.name, err)
			continue
		}
		if op.Method != rt.method || op.Path != rt.pattern {
			t.Errorf("%s matches spec operation %s %s", rt.name, op.Method, op.Path)
		}
		counts[op.File]++
	}
	want := map[string]int{"apps/contacts.json": 32, "apps/calendars.json": 13, "apps/oauth.json": 3, "apps/locations.json": 8}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("operations per spec %v, want %v", counts, want)
	}
}

// TestConcurrentUse runs API writers and readers side by side (go test
// -race makes this a data-race check).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var wg sync.WaitGroup
	// No t.Fatal off the test goroutine: failures are reported with t.Error.
	check := func(r resp, want int) resp {
		if r.status != want {
			t.Errorf("status %d, want %d: %s", r.status, want, r.raw)
		}
		return r
	}
	for w := range 6 {
		wg.Go(func() {
			for i := range 15 {
				r := check(b.api("POST", "/contacts/", map[string]any{"locationId": loc1, "email": fmt.Sprintf("w%d-%d@example.com", w, i)}), 201)
				id, _ := r.obj("contact")["id"].(string)
				check(b.api("POST", "/contacts/"+id+"/tags", map[string]any{"tags": []string{fmt.Sprint("w", w)}}), 201)
				check(b.api("POST", "/contacts/search", map[string]any{"locationId": loc1, "pageLimit": 10}), 200)
				if _, err := b.sb.UserAddNote(id, "concurrent"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(b.sb.Contacts()); n != 90 {
		t.Errorf("%d contacts, want 90", n)
	}
}
