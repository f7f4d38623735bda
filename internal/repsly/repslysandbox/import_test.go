package repslysandbox

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestClientImports(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("X", 51)
	tests := []struct {
		name       string
		path, body string
		wantStatus string
		wantIns    int
		wantUpd    int
		wantErr    string // substring of the first error's ItemStatus
		wantField  string
	}{
		{name: "insert", path: "import/client", body: `{"Code":"NEW-1","Name":"New Shop","City":"Boston"}`,
			wantStatus: ImportCompleted, wantIns: 1},
		{name: "update existing", path: "import/client", body: `{"Code":"C-000001","Name":"Renamed"}`,
			wantStatus: ImportCompleted, wantUpd: 1},
		{name: "code too long", path: "import/client", body: `{"Code":"` + long + `","Name":"X"}`,
			wantStatus: ImportFailed, wantErr: "longer than 50", wantField: "Code"},
		{name: "code with a newline", path: "import/client", body: `{"Code":"A\nB","Name":"X"}`,
			wantStatus: ImportFailed, wantErr: "invalid characters", wantField: "Code"},
		{name: "code missing", path: "import/client", body: `{"Name":"X"}`,
			wantStatus: ImportFailed, wantErr: "Code is required", wantField: "Code"},
		{name: "member names are case-sensitive", path: "import/client", body: `{"code":"LOWER-1","name":"X"}`,
			wantStatus: ImportFailed, wantErr: "Code is required", wantField: "Code"},
		{name: "name missing", path: "import/client", body: `{"Code":"NONAME"}`,
			wantStatus: ImportFailed, wantErr: "Name is required", wantField: "Name"},
		{name: "name missing on update", path: "import/client", body: `{"Code":"C-000001"}`,
			wantStatus: ImportFailed, wantErr: "Name is required", wantField: "Name"},
		{name: "email too long", path: "import/client", body: `{"Code":"E1","Name":"E","Email":"` + strings.Repeat("a", 120) + `@example.com"}`,
			wantStatus: ImportFailed, wantErr: "longer than 128", wantField: "Email"},
		{name: "batch with one bad row", path: "import/clientList",
			body:       `{"Clients":[{"Code":"B-1","Name":"One"},{"Code":"B-2"},{"Code":"B-3","Name":"Three"}]}`,
			wantStatus: ImportCompleted, wantIns: 2, wantErr: "Name is required", wantField: "Name"},
		{name: "batch as a bare array", path: "import/clientList", body: `[{"Code":"A-1","Name":"One"}]`,
			wantStatus: ImportCompleted, wantIns: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, 3, Options{})
			id := b.importJob("/v3/"+tc.path, tc.body)
			st, pending := b.pollJob(id)
			if pending != 1 {
				t.Errorf("job answered Pending %d times, want 1", pending)
			}
			if st.ImportStatus != tc.wantStatus || st.RowsInserted != tc.wantIns || st.RowsUpdated != tc.wantUpd ||
				st.RowsTotal != tc.wantIns+tc.wantUpd {
				t.Errorf("status = %+v", st)
			}
			if tc.wantErr == "" {
				if len(st.Errors) != 0 {
					t.Errorf("errors = %+v", st.Errors)
				}
				return
			}
			if len(st.Errors) == 0 || !strings.Contains(st.Errors[0].ItemStatus, tc.wantErr) || st.Errors[0].ItemName != tc.wantField {
				t.Errorf("errors = %+v, want %s: %s", st.Errors, tc.wantField, tc.wantErr)
			}
			rows := map[string]bool{}
			for _, e := range st.Errors {
				rows[e.ItemID] = true
			}
			if st.RowsInvalid != len(rows) {
				t.Errorf("RowsInvalid = %d for errors %+v", st.RowsInvalid, st.Errors)
			}
		})
	}
}

func TestClientImportUpsertAndDeactivate(t *testing.T) {
	t.Parallel()
	b := setup(t, 3, Options{PendingPolls: NoPendingPolls})
	before := b.s.Clients()[0]
	cursor := b.clientsAfter(0).MetaCollectionResult.LastTimeStamp
	for cursor2 := cursor; ; {
		p := b.clientsAfter(cursor2)
		if p.MetaCollectionResult.TotalCount == 0 {
			cursor = cursor2
			break
		}
		cursor2 = p.MetaCollectionResult.LastTimeStamp
	}
	// A different case of the same code updates the client (codes compare
	// case-insensitively). Absent fields are left as they were.
	body := `{"Code":"` + strings.ToLower(before.Code) + `","Name":"` + before.Name + `","Active":false,"PriceLists":[],"Tag":"closed"}`
	st, _ := b.pollJob(b.importJob("/v3/import/client", body))
	if st.ImportStatus != ImportCompleted || st.RowsUpdated != 1 {
		t.Fatalf("status = %+v", st)
	}
	after, _ := b.s.Client(before.Code)
	if after.Active || after.Tag != "closed" || len(after.PriceLists) != 0 || after.City != before.City || after.ClientID != before.ClientID || after.Code != before.Code {
		t.Errorf("after = %+v", after)
	}
	p := b.clientsAfter(cursor)
	if p.MetaCollectionResult.TotalCount != 1 || p.Clients[0].Active {
		t.Errorf("deactivated client not re-exported: %+v", p)
	}
	if b.s.ClientCount() != 3 {
		t.Errorf("ClientCount = %d", b.s.ClientCount())
	}
}

func TestImportWarnings(t *testing.T) {
	t.Parallel()
	b := setup(t, 1, Options{})
	id := b.importJob("/v3/import/client", `{"Code":"W-1","Name":"Warned","RepresentativeCode":"NOBODY","PriceLists":["Retail 2024","Gone"],"AccountCode":"ACME"}`)
	st, _ := b.pollJob(id)
	if st.ImportStatus != ImportCompleted || st.RowsInserted != 1 || len(st.Warnings) != 2 {
		t.Fatalf("status = %+v", st)
	}
	c, _ := b.s.Client("W-1")
	if c.RepresentativeCode != "" || len(c.PriceLists) != 1 || c.AccountCode != "ACME" {
		t.Errorf("client = %+v", c)
	}
}

func TestImportRequestErrors(t *testing.T) {
	t.Parallel()
	b := setup(t, 0, Options{})
	u, p := b.s.Credentials()
	tests := []struct {
		name, path, body, contentType string
		want                          int
		html                          bool
	}{
		{"malformed JSON", "import/client", `{"Code":`, "application/json", http.StatusBadRequest, true},
		{"array to a single endpoint", "import/client", `[{"Code":"X","Name":"Y"}]`, "application/json", http.StatusBadRequest, true},
		{"wrong type", "import/client", `{"Code":5,"Name":"Y"}`, "application/json", http.StatusBadRequest, true},
		{"no content type", "import/client", `{"Code":"X","Name":"Y"}`, "", http.StatusBadRequest, true},
		{"XML", "import/client", `<Client/>`, "application/xml", http.StatusUnsupportedMediaType, true},
		{"empty batch", "import/clientList", `{"Clients":[]}`, "application/json", http.StatusBadRequest, false},
	}
	for _, tc := range tests {
		res := b.doAuth(http.MethodPost, "/v3/"+tc.path, tc.body, u, p, tc.contentType)
		isHTML := strings.HasPrefix(res.header.Get("Content-Type"), "text/html")
		if res.status != tc.want || isHTML != tc.html {
			t.Errorf("%s: %d %s", tc.name, res.status, res.header.Get("Content-Type"))
		}
	}
	if res := b.get("/v3/export/importStatus/999"); res.status != http.StatusBadRequest {
		t.Errorf("unknown job: %d", res.status)
	}
	if res := b.get("/v3/export/importStatus/abc"); res.status != http.StatusBadRequest {
		t.Errorf("bad job id: %d", res.status)
	}
}

func TestImportCompletion(t *testing.T) {
	t.Parallel()
	t.Run("pending polls", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 0, Options{PendingPolls: 3})
		id := b.importJob("/v3/import/client", `{"Code":"P-1","Name":"Polled"}`)
		if _, ok := b.s.Client("P-1"); ok {
			t.Fatal("data changed before the job finished")
		}
		if _, pending := b.pollJob(id); pending != 3 {
			t.Errorf("pending polls = %d, want 3", pending)
		}
		if _, ok := b.s.Client("P-1"); !ok {
			t.Error("client missing after completion")
		}
	})
	t.Run("flush", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 0, Options{PendingPolls: 5})
		id := b.importJob("/v3/import/client", `{"Code":"F-1","Name":"Flushed"}`)
		b.s.FlushImports()
		st, pending := b.pollJob(id)
		if pending != 0 || st.ImportStatus != ImportCompleted {
			t.Errorf("after flush: %+v, %d pending polls", st, pending)
		}
	})
	t.Run("delay on the clock", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 0, Options{PendingPolls: 100, ImportDelay: 5e9})
		id := b.importJob("/v3/import/client", `{"Code":"D-1","Name":"Delayed"}`)
		if st, ok := b.s.ImportJob(id); !ok || st.ImportStatus != ImportPending {
			t.Fatalf("job = %+v", st)
		}
		b.clock.advance(5e9)
		b.get("/v3/export/clients/0") // any request lets the queue catch up
		if st, _ := b.s.ImportJob(id); st.ImportStatus != ImportCompleted {
			t.Errorf("job after the delay = %+v", st)
		}
	})
	t.Run("retention", func(t *testing.T) {
		t.Parallel()
		b := setup(t, 0, Options{PendingPolls: NoPendingPolls})
		id := b.importJob("/v3/import/client", `{"Code":"R-1","Name":"Old"}`)
		b.clock.advance(importRetention + 2*3600e9)
		if res := b.get("/v3/export/importStatus/" + strconv.FormatInt(id, 10)); res.status != http.StatusBadRequest {
			t.Errorf("expired job: %d %s", res.status, res.body)
		}
	})
}

func TestCatalogImports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, body, want string
	}{
		{"product", "import/product", `{"Code":"P-NEW","Name":"New Soda","UnitPrice":1.5,"Packaging":{"IsSet":true,"Codes":["CS12"]}}`, ImportCompleted},
		{"product without price", "import/product", `{"Code":"P-NEW","Name":"New Soda"}`, ImportFailed},
		{"product with unknown package", "import/product", `{"Code":"P-NEW","Name":"N","UnitPrice":1,"Packaging":{"IsSet":true,"Codes":["NOPE"]}}`, ImportFailed},
		{"product list", "import/productList", `{"Products":[{"Code":"P-0001","Name":"Renamed","UnitPrice":2}]}`, ImportCompleted},
		{"package", "import/package", `{"Code":"BOX6","Name":"Box of 6","Conversion":6}`, ImportCompleted},
		{"package list", "import/packageList", `{"Packages":[{"Code":"BOX6","Name":"Box of 6"}]}`, ImportCompleted},
		{"account", "import/account", `{"Code":"NEWACC","Name":"New Account","Active":true,"LogoUrl":""}`, ImportCompleted},
		{"account list", "import/accountList", `{"Accounts":[{"Code":"A2","Name":"Two"}]}`, ImportCompleted},
		{"pricelist item", "import/pricelist", `{"PricelistName":"Wholesale","ProductCode":"P-0001","Price":0.99,"DateAvailableFrom":"2024-01-31"}`, ImportCompleted},
		{"pricelist item, unknown pricelist", "import/pricelist", `{"PricelistName":"Nope","ProductCode":"P-0001","Price":1}`, ImportFailed},
		{"pricelist item list", "import/pricelistItemList", `{"PricelistItems":[{"PricelistName":"Wholesale","ProductCode":"P-0002","Price":3}]}`, ImportCompleted},
		{"product list entity", "import/productListEntity", `{"Name":"Summer","Products":[{"Code":"P-0001","Action":"Add"}]}`, ImportCompleted},
		{"product list entity, bad action", "import/productListEntity", `{"Name":"Summer","Products":[{"Code":"P-0001","Action":"Toggle"}]}`, ImportFailed},
		{"schedule", "import/schedule", `{"ClientCode":"C-000001","UserID":"R01","ScheduledDate":"2026-12-01","ScheduledTime":"15:00","RepeatEveryWeeks":0}`, ImportCompleted},
		{"schedules", "import/schedule", `{"Schedules":[{"ScheduleCode":"S1","ClientCode":"C-000001","UserID":"R01","ScheduledDate":"2026-12-01","RepeatEveryWeeks":1,"RepeatDays":"Tuesday|Thursday"}]}`, ImportCompleted},
		{"schedule without date", "import/schedule", `{"ClientCode":"C-000001","UserID":"R01","RepeatEveryWeeks":0}`, ImportFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, 2, Options{})
			st, _ := b.pollJob(b.importJob("/v3/"+tc.path, tc.body))
			if st.ImportStatus != tc.want {
				t.Errorf("status = %+v", st)
			}
		})
	}
}

func TestScheduleImportShowsInExports(t *testing.T) {
	t.Parallel()
	b := setup(t, 2, Options{PendingPolls: NoPendingPolls})
	b.importJob("/v3/import/schedule", `{"ScheduleCode":"S-9","ClientCode":"C-000001","UserID":"R01","ScheduledDate":"2027-02-01","ScheduledTime":"15:00","RepeatEveryWeeks":1,"RepeatDays":"Monday|Wednesday","RepeatEndDate":"2027-02-28","VisitNote":"imported"}`)
	// imported counts the planned visits of the imported schedule in a range.
	imported := func(from, to string) int {
		var p struct {
			MetaCollectionResult CountMeta
			VisitSchedules       []VisitSchedule
		}
		b.get("/v3/export/visitschedules/"+from+"/"+to).decode(t, &p)
		if p.MetaCollectionResult.TotalCount != len(p.VisitSchedules) {
			t.Fatalf("TotalCount %d for %d rows", p.MetaCollectionResult.TotalCount, len(p.VisitSchedules))
		}
		n := 0
		for _, v := range p.VisitSchedules {
			if v.VisitNote == "imported" {
				n++
			}
		}
		return n
	}
	if n := imported("2027-02-01", "2027-02-07"); n != 2 {
		t.Fatalf("week of 2027-02-01: %d visits, want 2", n)
	}
	if n := imported("2027-03-01", "2027-03-07"); n != 0 {
		t.Errorf("after RepeatEndDate: %d visits", n)
	}
	// Active=false deletes the schedule.
	b.importJob("/v3/import/schedule", `{"ScheduleCode":"S-9","Active":false}`)
	if n := imported("2027-02-01", "2027-02-07"); n != 0 {
		t.Errorf("after delete: %d visits", n)
	}
	if res := b.get("/v3/export/schedules/2027-01-01/2029-01-01"); res.status != http.StatusBadRequest {
		t.Errorf("two-year range: %d", res.status)
	}
}

func TestUserImportIsSynchronous(t *testing.T) {
	t.Parallel()
	b := setup(t, 0, Options{})
	var r UserImportResult
	res := b.post("/v3/import/user", `{"Code":"R99","Name":"New Rep","Email":"new.rep@example.com","Role":"Representative","Territories":["US East/Boston"]}`)
	res.decode(t, &r)
	if res.status != http.StatusOK || r.Code != 0 || r.Summary.RowsInsert != 1 || r.Summary.NewUsersActive != r.Summary.CurrentUsersActive+1 {
		t.Fatalf("%d %+v", res.status, r)
	}
	res = b.post("/v3/import/userList", `{"Users":[{"Code":"R99","Name":"Renamed","Email":"new.rep@example.com"},{"Code":"R98","Name":"No Mail"}]}`)
	res.decode(t, &r)
	if res.status != http.StatusOK || r.Summary.RowsUpdate != 1 || r.Summary.RowsInvalid != 1 || len(r.Summary.ValidationErrors["R98"]) != 1 {
		t.Fatalf("%d %+v", res.status, r)
	}
	res = b.post("/v3/import/user", `{"Code":"R97"}`)
	if res.status != http.StatusBadRequest {
		t.Errorf("invalid user: %d", res.status)
	}
	var reps struct{ Representatives []Representative }
	b.get("/v3/export/representatives").decode(t, &reps)
	found := false
	for _, r := range reps.Representatives {
		found = found || (r.Code == "R99" && r.Name == "Renamed")
	}
	if !found {
		t.Error("imported rep not in the representatives export")
	}
}

func TestDocumentStatus(t *testing.T) {
	t.Parallel()
	b := setup(t, 200, Options{})
	o := b.s.st.orders.rows[0]
	id := strconv.FormatInt(o.PurchaseOrderID, 10)
	other := "5"
	if o.DocumentTypeID == 2 {
		other = "1"
	}
	tests := []struct {
		path, body string
		status     int
		code       int
	}{
		{"import/documentStatus", `{"DocumentID":` + id + `,"DocumentStatusID":` + map[bool]string{true: "6", false: "2"}[o.DocumentTypeID == 2] + `}`, http.StatusOK, 1},
		{"import/sales-document-status", `{"DocumentID":` + id + `,"DocumentStatusID":null}`, http.StatusOK, 1},
		{"import/documentStatus", `{"DocumentID":` + id + `,"DocumentStatusID":` + other + `}`, http.StatusBadRequest, 0},
		{"import/documentStatus", `{"DocumentID":1,"DocumentStatusID":1}`, http.StatusBadRequest, 0},
	}
	for _, tc := range tests {
		var r Result
		res := b.post("/v3/"+tc.path, tc.body)
		res.decode(t, &r)
		if res.status != tc.status || r.Code != tc.code {
			t.Errorf("%s %s: %d %+v", tc.path, tc.body, res.status, r)
		}
	}
}
