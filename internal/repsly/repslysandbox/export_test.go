package repslysandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestClientsExportDeliversEachClientOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, 1234, Options{})
	seen := map[string]int{}
	var cursor, lastTS int64
	pages := 0
	for {
		p := b.clientsAfter(cursor)
		m := p.MetaCollectionResult
		if m.TotalCount != len(p.Clients) || m.TotalCount > pageSize {
			t.Fatalf("page %d: TotalCount %d for %d rows", pages, m.TotalCount, len(p.Clients))
		}
		if m.TotalCount == 0 {
			if m.LastTimeStamp != cursor {
				t.Errorf("empty page LastTimeStamp = %d, want the cursor %d", m.LastTimeStamp, cursor)
			}
			break
		}
		for _, c := range p.Clients {
			if c.TimeStamp <= lastTS {
				t.Fatalf("TimeStamp %d after %d: not ascending", c.TimeStamp, lastTS)
			}
			lastTS = c.TimeStamp
			seen[c.Code]++
		}
		if m.LastTimeStamp != p.Clients[len(p.Clients)-1].TimeStamp {
			t.Fatalf("LastTimeStamp %d is not the last row's", m.LastTimeStamp)
		}
		if pages++; pages > 100 {
			t.Fatal("too many pages")
		}
		cursor = m.LastTimeStamp
	}
	if len(seen) != 1234 {
		t.Errorf("got %d distinct clients, want 1234", len(seen))
	}
	for code, n := range seen {
		if n != 1 {
			t.Errorf("client %s delivered %d times", code, n)
		}
	}
	if want := (1234 + pageSize - 1) / pageSize; pages != want {
		t.Errorf("pages = %d, want %d", pages, want)
	}
}

// idPage is a decoded ID-paged export page; Rows keeps the raw rows.
type idPage struct {
	Meta IDMeta
	Rows []json.RawMessage
}

func TestIDExportsDeliverEachRowOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, 600, Options{})
	tests := []struct {
		path, key, idField string
		want               int
	}{
		{"export/clientnotes", "ClientNotes", "ClientNoteID", len(b.s.Notes())},
		{"export/forms", "Forms", "FormID", b.s.st.forms.len()},
		{"export/photos", "Photos", "PhotoID", b.s.st.photos.len()},
		{"export/purchaseorders", "PurchaseOrders", "PurchaseOrderID", b.s.st.orders.len()},
		{"export/retailaudits", "RetailAudits", "RetailAuditID", b.s.st.audits.len()},
		{"export/dailyworkingtime", "DailyWorkingTime", "DailyWorkingTimeID", b.s.st.dwt.len()},
		{"export/products", "Products", "ProductID", b.s.st.products.len()},
		{"export/formsWithMatrix", "Submissions", "Id", b.s.st.forms.len()},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			if tc.want == 0 {
				t.Fatal("seed made no rows")
			}
			var cursor int64
			total := 0
			for {
				res := b.get("/v3/" + tc.path + "/" + strconv.FormatInt(cursor, 10))
				var env map[string]json.RawMessage
				res.decode(t, &env)
				var meta IDMeta
				var rows []map[string]any
				if err := json.Unmarshal(env["MetaCollectionResult"], &meta); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(env[tc.key], &rows); err != nil {
					t.Fatalf("key %s: %v in %.200s", tc.key, err, res.body)
				}
				if meta.TotalCount != len(rows) {
					t.Fatalf("TotalCount %d for %d rows", meta.TotalCount, len(rows))
				}
				if len(rows) == 0 {
					break
				}
				if tc.idField != "" {
					first := int64(rows[0][tc.idField].(float64))
					last := int64(rows[len(rows)-1][tc.idField].(float64))
					if first != meta.FirstID || last != meta.LastID || first <= cursor {
						t.Fatalf("ids %d..%d, meta %+v, cursor %d", first, last, meta, cursor)
					}
				}
				total += len(rows)
				cursor = meta.LastID
			}
			if total != tc.want {
				t.Errorf("exported %d rows, want %d", total, tc.want)
			}
		})
	}
}

func TestEditedClientComesAgain(t *testing.T) {
	t.Parallel()
	b := setup(t, 120, Options{})
	var cursor int64
	for {
		p := b.clientsAfter(cursor)
		if p.MetaCollectionResult.TotalCount == 0 {
			break
		}
		cursor = p.MetaCollectionResult.LastTimeStamp
	}
	victim := b.s.Clients()[7]
	edited, err := b.s.RepUpdateClient(victim.Code, func(c *Client) { c.Phone = "+1 617 555 0199" })
	if err != nil {
		t.Fatal(err)
	}
	p := b.clientsAfter(cursor)
	if p.MetaCollectionResult.TotalCount != 1 || p.Clients[0].Code != victim.Code {
		t.Fatalf("after edit got %+v, want only %s", p.MetaCollectionResult, victim.Code)
	}
	got := p.Clients[0]
	if got.Phone != "+1 617 555 0199" || got.TimeStamp != edited.TimeStamp || got.TimeStamp <= victim.TimeStamp || got.ClientID != victim.ClientID {
		t.Errorf("edited client = %+v", got)
	}
	if p.MetaCollectionResult.LastTimeStamp != got.TimeStamp {
		t.Errorf("LastTimeStamp = %d, want %d", p.MetaCollectionResult.LastTimeStamp, got.TimeStamp)
	}
	// Deactivating is an edit too: the client comes again with Active=false.
	if _, err := b.s.RepDeactivateClient(victim.Code); err != nil {
		t.Fatal(err)
	}
	p = b.clientsAfter(p.MetaCollectionResult.LastTimeStamp)
	if p.MetaCollectionResult.TotalCount != 1 || p.Clients[0].Active {
		t.Errorf("after deactivation got %+v", p)
	}
}

func TestEditedNoteDoesNotComeAgain(t *testing.T) {
	t.Parallel()
	b := setup(t, 80, Options{})
	type notePage struct {
		MetaCollectionResult IDMeta
		ClientNotes          []ClientNote
	}
	var cursor int64
	for {
		var p notePage
		b.get("/v3/export/clientnotes/"+strconv.FormatInt(cursor, 10)).decode(t, &p)
		if p.MetaCollectionResult.TotalCount == 0 {
			break
		}
		cursor = p.MetaCollectionResult.LastID
	}
	notes := b.s.Notes()
	if _, err := b.s.RepEditNote(notes[3].ClientNoteID, "edited text"); err != nil {
		t.Fatal(err)
	}
	var p notePage
	b.get("/v3/export/clientnotes/"+strconv.FormatInt(cursor, 10)).decode(t, &p)
	if p.MetaCollectionResult.TotalCount != 0 {
		t.Fatalf("edited note came again: %+v", p.ClientNotes)
	}
	// A new note does come, after the cursor.
	c := b.s.Clients()[0]
	added, err := b.s.RepAddNote(c.RepresentativeCode, c.Code, "fresh note")
	if err != nil {
		t.Fatal(err)
	}
	b.get("/v3/export/clientnotes/"+strconv.FormatInt(cursor, 10)).decode(t, &p)
	if p.MetaCollectionResult.TotalCount != 1 || p.ClientNotes[0].ClientNoteID != added.ClientNoteID || p.ClientNotes[0].Note != "fresh note" {
		t.Errorf("new note page = %+v", p)
	}
	// The edit shows only on a full re-read from 0.
	found := false
	for cursor = 0; ; {
		var q notePage
		b.get("/v3/export/clientnotes/"+strconv.FormatInt(cursor, 10)).decode(t, &q)
		if q.MetaCollectionResult.TotalCount == 0 {
			break
		}
		for _, n := range q.ClientNotes {
			found = found || (n.ClientNoteID == notes[3].ClientNoteID && n.Note == "edited text")
		}
		cursor = q.MetaCollectionResult.LastID
	}
	if !found {
		t.Error("edited note not found on a re-read from 0")
	}
}

func TestVisitsAndUsersAreTimestampPaged(t *testing.T) {
	t.Parallel()
	b := setup(t, 60, Options{})
	var cursor int64
	n := 0
	for {
		var p struct {
			MetaCollectionResult TimestampMeta
			Visits               []Visit
		}
		b.get("/v3/export/visits/"+strconv.FormatInt(cursor, 10)).decode(t, &p)
		if p.MetaCollectionResult.TotalCount == 0 {
			break
		}
		n += len(p.Visits)
		cursor = p.MetaCollectionResult.LastTimeStamp
	}
	if n != len(b.s.Visits()) {
		t.Fatalf("exported %d visits, want %d", n, len(b.s.Visits()))
	}
	c := b.s.Clients()[1]
	start := testNow.Add(-time.Hour)
	v, err := b.s.RepAddVisit(c.RepresentativeCode, c.Code, start, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.RepEndVisit(v.VisitID, testNow); err != nil {
		t.Fatal(err)
	}
	var p struct {
		MetaCollectionResult TimestampMeta
		Visits               []Visit
	}
	b.get("/v3/export/visits/"+strconv.FormatInt(cursor, 10)).decode(t, &p)
	if len(p.Visits) != 1 || !p.Visits[0].VisitEnded || !p.Visits[0].DateAndTimeEnd.Equal(testNow) {
		t.Errorf("ended visit page = %+v", p)
	}

	var u struct {
		MetaCollectionResult TimestampMeta
		Users                []User
	}
	b.get("/v3/export/users/0").decode(t, &u)
	if u.MetaCollectionResult.TotalCount != len(b.s.Users()) || u.MetaCollectionResult.LastTimeStamp == 0 {
		t.Errorf("users meta = %+v for %d users", u.MetaCollectionResult, len(b.s.Users()))
	}
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	b := setup(t, 5, Options{})
	tests := []struct {
		path string
		want []string
	}{
		{"/v3/export/clients/0", []string{`{"MetaCollectionResult":{"TotalCount":5,"LastTimeStamp":`, `"Clients":[{"ClientID":100`, `"CustomFields":[{"Field":"Chain"`}},
		{"/v3/export/visits/0", []string{`"Date":"\/Date(`, `+0000)\/"`, `"VisitStatusBySchedule":`}},
		{"/v3/export/clientnotes/0", []string{`"MetaCollectionResult":{"TotalCount":`, `"FirstID":5001,`, `"ClientNotes":[`, `"DateAndTime":"\/Date(`}},
		{"/v3/export/dailyworkingtime/0", []string{`"DailyWorkingTime":[`}},
		{"/v3/export/representatives", []string{`{"Representatives":[`, `"Password":"","`, `"Mobile":null`}},
		{"/v3/export/documentTypes", []string{`{"DocumentTypes":[{"DocumentTypeID":1,`}},
		{"/v3/export/pricelists", []string{`{"Pricelists":[{"ID":11,"Name":"Retail 2024","IsDefault":true`}},
		{"/v3/export/pricelistsItems/11", []string{`{"PricelistItems":[{"ID":`, `"DateAvailableFrom":null`}},
		{"/v3/export/visitrealizations?modified=2020-01-01T00:00:00.000Z&skip=0", []string{`{"MetaCollectionResult":{"TotalCount":`, `"VisitRealizations":[`, `"ModifiedUTC":"2026-`}},
		{"/v3/export/schedules/2026-11-01/2026-11-30", []string{`"Schedules":[`, `"ScheduledDate":"2026-11-`}},
		{"/v3/export/visitschedules/2026-11-01/2026-11-07", []string{`"VisitSchedules":[`, `"ScheduleDateAndTime":"\/Date(`}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			res := b.get(tc.path)
			if res.status != http.StatusOK || res.header.Get("Content-Type") != jsonContentType {
				t.Fatalf("%d %s", res.status, res.header.Get("Content-Type"))
			}
			for _, w := range tc.want {
				if !strings.Contains(string(res.body), w) {
					t.Errorf("body lacks %s:\n%.600s", w, res.body)
				}
			}
		})
	}
	// Notes use the bare date form.
	res := b.get("/v3/export/clientnotes/0")
	if strings.Contains(string(res.body), `"DateAndTime":"\/Date(`) && strings.Contains(string(res.body), `+0000)\/","RepresentativeCode"`) {
		t.Error("note DateAndTime carries an offset; want the bare form")
	}
}

func TestInternalClient(t *testing.T) {
	t.Parallel()
	b := setup(t, 3, Options{})
	c := b.s.Clients()[2]
	var got Client
	res := b.get("/v3/export/internal/client/" + strings.ToLower(c.Code))
	res.decode(t, &got)
	if res.status != http.StatusOK || got.Code != c.Code {
		t.Errorf("internal client = %d %+v", res.status, got)
	}
	if res := b.get("/v3/export/internal/client/NOPE"); res.status != http.StatusNotFound {
		t.Errorf("unknown code: %d", res.status)
	}
}

func TestRealizationsSkip(t *testing.T) {
	t.Parallel()
	b := setup(t, 400, Options{})
	all := len(b.s.st.realizations)
	if all <= pageSize {
		t.Fatalf("only %d realizations", all)
	}
	seen := 0
	for skip := 0; ; skip += pageSize {
		var p struct {
			MetaCollectionResult CountMeta
			VisitRealizations    []VisitRealization
		}
		b.get("/v3/export/visitrealizations?modified=2000-01-01T00:00:00.000Z&skip="+strconv.Itoa(skip)).decode(t, &p)
		seen += p.MetaCollectionResult.TotalCount
		if p.MetaCollectionResult.TotalCount < pageSize {
			break
		}
	}
	if seen != all {
		t.Errorf("saw %d realizations, want %d", seen, all)
	}
	tests := []struct {
		query string
		want  int
	}{
		{"modified=2000-01-01T00:00:00.000Z&skip=9500", http.StatusOK},
		{"modified=2000-01-01T00:00:00.000Z&skip=9501", http.StatusBadRequest},
		{"modified=2000-01-01T00:00:00.000Z&skip=-1", http.StatusBadRequest},
		{"skip=0", http.StatusBadRequest},
		{"modified=2099-01-01T00:00:00.000Z", http.StatusOK},
	}
	for _, tc := range tests {
		if res := b.get("/v3/export/visitrealizations?" + tc.query); res.status != tc.want {
			t.Errorf("%s: %d, want %d (%s)", tc.query, res.status, tc.want, res.body)
		}
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	b := setup(t, 2, Options{})
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/v3/Export/Clients/0", http.StatusOK},
		{"GET", "/v3/export/clients/0/", http.StatusOK},
		{"GET", "/v3/export/clients/0?includeInactive=true&includeDeleted=true", http.StatusOK},
		{"GET", "/v3/export/documentTypes/", http.StatusOK},
		{"GET", "/v3/export/clients", http.StatusNotFound},
		{"GET", "/v3/export/clients/abc", http.StatusBadRequest},
		{"GET", "/v3/export/clients/-5", http.StatusBadRequest},
		{"GET", "/v3/nothing/here", http.StatusNotFound},
		{"GET", "/v2/export/clients/0", http.StatusNotFound},
		{"POST", "/v3/export/clients/0", http.StatusMethodNotAllowed},
		{"GET", "/v3/import/client", http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		if res := b.do(tc.method, tc.path, ""); res.status != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, res.status, tc.want)
		}
	}
}

func TestRequestCounters(t *testing.T) {
	t.Parallel()
	b := setup(t, 2, Options{})
	b.get("/v3/export/clients/0")
	b.get("/v3/export/clients/0")
	b.get("/v3/export/clientnotes/0")
	got := b.s.Requests()
	if got["export/clients"] != 2 || got["export/clientnotes"] != 1 || len(got) != 2 {
		t.Errorf("counts = %v", got)
	}
	b.s.ResetRequests()
	if n := b.s.RequestCount("export/clients"); n != 0 || len(b.s.Requests()) != 0 {
		t.Errorf("after reset: %d %v", n, b.s.Requests())
	}
}
