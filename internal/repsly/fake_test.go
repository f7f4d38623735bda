package repsly

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testUser = "0A1B2C3D-0000-4000-8000-000000000001"
	testPass = "9F8E7D6C-5B4A-4000-8000-00000000DEAD"
)

// fakeRow is one exported record: its cursor key and its JSON fields.
type fakeRow struct {
	key      int64
	modified time.Time // visit realizations only
	doc      map[string]any
}

// fakeRepsly imitates the paging and import behaviour described in the
// reference, driven by the Endpoints table, so the tests also check that
// the table and the client agree.
type fakeRepsly struct {
	mu       sync.Mutex
	rows     map[string][]fakeRow     // by endpoint name
	counter  int64                    // global change counter for timestamp rows
	requests []string                 // "GET export/clients/0"
	bodies   map[string][]string      // posted bodies by path
	jobs     map[int64][]ImportStatus // remaining poll answers by job id
	scripts  [][]ImportStatus         // poll answers for the next jobs
	nextJob  int64
	// override answers a request instead of the default behaviour when it
	// returns true.
	override func(w http.ResponseWriter, r *http.Request, path string) bool
}

type testBundle struct {
	fake   *fakeRepsly
	server *httptest.Server
	client *Client
	clock  *fakeClock
}

// fakeClock is advanced only by the fake Sleep, so import polling runs
// without any real waiting.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sleeps)
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	fake := &fakeRepsly{rows: map[string][]fakeRow{}, bodies: map[string][]string{}, jobs: map[int64][]ImportStatus{}, nextJob: 1000}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	clock := &fakeClock{now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	c := New(Options{BaseURL: srv.URL + "/v3/", Username: testUser, Password: testPass,
		HTTPClient: srv.Client(), Clock: clock.Now, Sleep: clock.Sleep})
	return &testBundle{fake: fake, server: srv, client: c, clock: clock}
}

// add appends rows to an export; timestamp rows get the next counter value.
func (f *fakeRepsly) add(name string, docs ...map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ep, _ := EndpointByName(name)
	for _, d := range docs {
		row := fakeRow{doc: d}
		switch ep.Cursor {
		case CursorTimestamp:
			f.counter++
			row.key = f.counter
			d["TimeStamp"] = f.counter
		case CursorID:
			row.key = toInt64(d[ep.KeyField])
		case CursorModified:
			row.modified, _ = ParseDate(d["ModifiedUTC"].(string))
		}
		f.rows[name] = append(f.rows[name], row)
	}
}

// touch re-stamps a timestamp row, as an edit in Repsly would.
func (f *fakeRepsly) touch(name string, i int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counter++
	f.rows[name][i].key = f.counter
	f.rows[name][i].doc["TimeStamp"] = f.counter
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func (f *fakeRepsly) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeRepsly) posted(path string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.bodies[path])
}

// queueJob scripts the statuses successive polls of the next import job
// return; unscripted jobs complete at the first poll.
func (f *fakeRepsly) queueJob(statuses ...ImportStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, statuses)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeRepsly) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v3/")
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+path)
	override := f.override
	f.mu.Unlock()
	if u, p, ok := r.BasicAuth(); !ok || u != testUser || p != testPass {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "<html><body>Unauthorized</body></html>")
		return
	}
	if override != nil && override(w, r, path) {
		return
	}
	if r.Method == http.MethodPost {
		f.serveImport(w, r, path)
		return
	}
	if id, ok := strings.CutPrefix(path, "export/importStatus/"); ok {
		f.serveStatus(w, id)
		return
	}
	for _, ep := range Endpoints() {
		prefix, _, _ := strings.Cut(ep.Path, "{")
		if ep.Method != http.MethodGet || !strings.HasPrefix(path, prefix) || prefix == ep.Path {
			continue
		}
		f.serveExport(w, r, ep, strings.TrimPrefix(path, prefix))
		return
	}
	for _, ep := range Endpoints() {
		if ep.Method == http.MethodGet && path == ep.Path {
			f.serveExport(w, r, ep, "")
			return
		}
	}
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<html><body>Endpoint not found.</body></html>")
}

func (f *fakeRepsly) serveExport(w http.ResponseWriter, r *http.Request, ep Endpoint, arg string) {
	f.mu.Lock()
	rows := slices.Clone(f.rows[ep.Name])
	f.mu.Unlock()
	var page []fakeRow
	meta := map[string]any{}
	switch ep.Cursor {
	case CursorTimestamp, CursorID:
		cur, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Code": 1, "Message": "bad cursor"})
			return
		}
		slices.SortFunc(rows, func(a, b fakeRow) int { return int(a.key - b.key) })
		for _, row := range rows {
			if row.key > cur && len(page) < PageSize {
				page = append(page, row)
			}
		}
		if len(page) > 0 {
			last := page[len(page)-1].key
			if ep.Cursor == CursorTimestamp {
				meta["LastTimeStamp"] = last
			} else {
				meta["FirstID"], meta["LastID"] = page[0].key, last
			}
		}
	case CursorModified:
		q := r.URL.Query()
		mod, err := ParseDate(q.Get("modified"))
		skip, err2 := strconv.Atoi(q.Get("skip"))
		if err != nil || err2 != nil || skip > MaxSkip {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Code": 1, "Message": "bad query"})
			return
		}
		slices.SortStableFunc(rows, func(a, b fakeRow) int { return a.modified.Compare(b.modified) })
		var match []fakeRow
		for _, row := range rows {
			if !row.modified.Before(mod) {
				match = append(match, row)
			}
		}
		if skip < len(match) {
			page = match[skip:min(skip+PageSize, len(match))]
		}
	default:
		page = rows
		if ep.Cursor == CursorDateRange {
			from, to, _ := strings.Cut(arg, "/")
			page = nil
			for _, row := range rows {
				d := row.doc["ScheduledDate"].(string)
				if d >= from && d <= to {
					page = append(page, row)
				}
			}
		}
	}
	meta["TotalCount"] = len(page)
	docs := make([]map[string]any, len(page))
	for i, row := range page {
		docs[i] = row.doc
	}
	writeJSON(w, http.StatusOK, map[string]any{metaKey: meta, ep.Envelope: docs})
}

func (f *fakeRepsly) serveImport(w http.ResponseWriter, r *http.Request, path string) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies[path] = append(f.bodies[path], string(body))
	f.nextJob++
	id := f.nextJob
	f.jobs[id] = []ImportStatus{{ImportStatus: ImportCompleted, RowsInserted: 1, RowsTotal: 1}}
	if len(f.scripts) > 0 {
		f.jobs[id], f.scripts = f.scripts[0], f.scripts[1:]
	}
	f.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusBadRequest, map[string]any{"Code": 1, "Message": "content type"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"Code": 0,
		"Message": fmt.Sprintf("Import job started asynchronously under ID: %d", id)})
}

func (f *fakeRepsly) serveStatus(w http.ResponseWriter, idText string) {
	id, _ := strconv.ParseInt(idText, 10, 64)
	f.mu.Lock()
	seq, ok := f.jobs[id]
	var st ImportStatus
	if ok {
		st = seq[0]
		if len(seq) > 1 {
			f.jobs[id] = seq[1:]
		}
	}
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
