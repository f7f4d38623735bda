package repsly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUpsertClientsSingle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fake.queueJob(ImportStatus{ImportStatus: "Pending"}, ImportStatus{ImportStatus: "Pending"}, ImportStatus{ImportStatus: "Pending"},
		ImportStatus{ImportStatus: "completed", RowsInserted: 1, RowsTotal: 1, Warnings: []ImportIssue{{ItemID: "C1", ItemName: "Territory", ItemStatus: "created"}}})
	res, err := b.client.UpsertClients(context.Background(), []ClientImport{{Code: "C1", Name: "Main St Market", City: "Boston", Territory: "East>Boston", Active: Bool(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != ImportCompleted || res.RowsInserted != 1 || len(res.JobIDs) != 1 || res.JobIDs[0] != 1001 || len(res.Warnings) != 1 {
		t.Fatalf("result %+v", res)
	}
	if got := fmt.Sprint(b.clock.Sleeps()); got != "[1s 2s 4s]" {
		t.Fatalf("sleeps %s, want doubling backoff", got)
	}
	bodies := b.fake.posted("import/client")
	if len(bodies) != 1 || bodies[0] != `{"Code":"C1","Name":"Main St Market","Active":true,"Territory":"East>Boston","City":"Boston","PriceLists":null}` {
		t.Fatalf("posted %v", bodies)
	}
	if log := b.fake.log(); log[1] != "GET export/importStatus/1001" {
		t.Fatalf("requests %v", log)
	}
}

func TestUpsertClientsBatches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	clients := make([]ClientImport, 120)
	for i := range clients {
		clients[i] = ClientImport{Code: fmt.Sprintf("C%03d", i), Name: "Shop"}
	}
	b.fake.queueJob(ImportStatus{ImportStatus: ImportCompleted, RowsInserted: 50, RowsTotal: 50})
	b.fake.queueJob(ImportStatus{ImportStatus: ImportFailed, RowsInvalid: 50,
		Errors: []ImportIssue{{ItemID: "C050", ItemName: "Email", ItemStatus: "invalid e-mail"}}})
	b.fake.queueJob(ImportStatus{ImportStatus: ImportCompleted, RowsUpdated: 20, RowsTotal: 20})
	res, err := b.client.UpsertClients(context.Background(), clients)
	var ie *ImportError
	if !errors.As(err, &ie) || !errors.Is(err, ErrImportFailed) || ie.JobID != 1002 || ie.Endpoint != "import_clients" {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "C050 Email: invalid e-mail") {
		t.Fatalf("reason missing: %v", err)
	}
	if res.Status != ImportFailed || res.RowsInserted != 50 || res.RowsUpdated != 20 || res.RowsInvalid != 50 ||
		fmt.Sprint(res.JobIDs) != "[1001 1002 1003]" || len(res.Errors) != 1 {
		t.Fatalf("result %+v", res)
	}
	bodies := b.fake.posted("import/clientList")
	if len(bodies) != 3 {
		t.Fatalf("%d list posts", len(bodies))
	}
	for i, want := range []int{50, 50, 20} {
		var body map[string][]ClientImport
		if err := json.Unmarshal([]byte(bodies[i]), &body); err != nil || len(body["Clients"]) != want {
			t.Fatalf("post %d: %d clients (%v), want %d", i, len(body["Clients"]), err, want)
		}
	}
}

func TestImportFailedJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fake.queueJob(ImportStatus{ImportStatus: ImportPending}, ImportStatus{ImportStatus: ImportFailed})
	res, err := b.client.ImportProducts(context.Background(), []ProductImport{{Code: "P1", Name: "Cola", UnitPrice: 1.5}})
	if !errors.Is(err, ErrImportFailed) || res.Status != ImportFailed {
		t.Fatalf("err = %v, result %+v", err, res)
	}
	if !strings.Contains(err.Error(), "import_product job 1001: import failed: job ended Failed without listing errors") {
		t.Fatalf("err text %q", err)
	}
}

func TestImportTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := New(Options{BaseURL: b.server.URL + "/v3/", Username: testUser, Password: testPass, HTTPClient: b.server.Client(),
		Clock: b.clock.Now, Sleep: b.clock.Sleep, ImportPollInterval: time.Second, ImportPollMax: 4 * time.Second, ImportTimeout: 15 * time.Second})
	b.fake.queueJob(ImportStatus{ImportStatus: ImportPending})
	res, err := c.ImportAccounts(context.Background(), []AccountImport{{Code: "ACME", Name: "Acme"}})
	if !errors.Is(err, ErrImportTimeout) || res.Status != ImportPending || fmt.Sprint(res.JobIDs) != "[1001]" {
		t.Fatalf("err = %v, result %+v", err, res)
	}
	if got := fmt.Sprint(b.clock.Sleeps()); got != "[1s 2s 4s 4s]" {
		t.Fatalf("sleeps %s", got)
	}
	// A later wait picks the job up again.
	b.fake.queueJob()
	if _, err := c.WaitImport(context.Background(), 1001); !errors.Is(err, ErrImportTimeout) {
		t.Fatalf("resume err = %v", err)
	}
}

func TestWaitImportRidesOutTransientErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	polls := 0
	b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		if !strings.HasPrefix(path, "export/importStatus/") {
			return false
		}
		polls++
		switch polls {
		case 1:
			w.Header().Set("Retry-After", "9")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		default:
			writeJSON(w, http.StatusOK, map[string]any{"ImportStatus": map[string]any{"ImportStatus": "Completed", "RowsUpdated": 1}})
		}
		return true
	}
	st, err := b.client.WaitImport(context.Background(), 77)
	if err != nil || st.ImportStatus != ImportCompleted || st.RowsUpdated != 1 {
		t.Fatalf("status %+v, err %v", st, err)
	}
	if got := fmt.Sprint(b.clock.Sleeps()); got != "[9s 2s]" {
		t.Fatalf("sleeps %s", got)
	}
	b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		w.WriteHeader(http.StatusNotFound)
		return true
	}
	if _, err := b.client.WaitImport(context.Background(), 78); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		cancel()
		writeJSON(w, http.StatusOK, ImportStatus{ImportStatus: ImportPending})
		return true
	}
	if _, err := b.client.WaitImport(ctx, 79); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestImportValidatesLocally(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err1 := b.client.UpsertClients(ctx, []ClientImport{{Code: "C1"}})
	_, err2 := b.client.ImportUsers(ctx, []UserImport{{Code: "U1", Name: "Ana"}})
	_, err3 := b.client.ImportSchedules(ctx, []ScheduleImport{{ClientCode: "C1", UserID: "R07"}})
	_, err4 := b.client.ImportPricelistItems(ctx, []PricelistItemImport{{ProductCode: "P1"}})
	_, err5 := b.client.ImportProductLists(ctx, []ProductListEntity{{}})
	_, err6 := b.client.ImportPackages(ctx, []PackageImport{{Name: "Box"}})
	_, err7 := b.client.ImportAccounts(ctx, []AccountImport{{Name: "Acme"}})
	_, err8 := b.client.ImportProducts(ctx, []ProductImport{{Code: "P1"}})
	for i, err := range []error{err1, err2, err3, err4, err5, err6, err7, err8} {
		if !errors.Is(err, ErrValidation) {
			t.Fatalf("call %d: err = %v, want ErrValidation", i+1, err)
		}
	}
	if n := len(b.fake.log()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	res, err := b.client.UpsertClients(ctx, nil)
	if err != nil || res.Status != ImportCompleted {
		t.Fatalf("empty import: %+v %v", res, err)
	}
}

func TestDeactivateClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		status     int
		wantErr    error
	}{
		{name: "envelope", status: 200,
			body: `{"MetaCollectionResult":{"TotalCount":1},"Clients":[{"ClientID":1,"Code":"C-1","Name":"Shop","Active":true,"City":"Boston","PriceLists":[{"Name":"Retail"}],"CustomFields":[{"Field":"Chain","Value":"Indie"}]}]}`},
		{name: "bare object", status: 200,
			body: `{"ClientID":1,"Code":"C-1","Name":"Shop","Active":true,"City":"Boston","PriceLists":["Retail"],"CustomFields":[{"Field":"Chain","Value":"Indie"}]}`},
		{name: "empty envelope", status: 200, body: `{"MetaCollectionResult":{"TotalCount":0},"Clients":[]}`, wantErr: ErrNotFound},
		{name: "empty object", status: 200, body: `{}`, wantErr: ErrNotFound},
		{name: "404", status: 404, body: ``, wantErr: ErrNotFound},
		{name: "html", status: 200, body: wcfErrorPage, wantErr: ErrUnexpectedBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				if path != "export/internal/client/C-1" {
					return false
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
				return true
			}
			res, err := b.client.DeactivateClient(context.Background(), "C-1")
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if len(b.fake.posted("import/client")) != 0 {
					t.Fatal("import posted after failed read")
				}
				return
			}
			if err != nil || res.Status != ImportCompleted {
				t.Fatalf("result %+v err %v", res, err)
			}
			bodies := b.fake.posted("import/client")
			want := `{"Code":"C-1","Name":"Shop","Active":false,"City":"Boston","CustomFields":[{"Field":"Chain","Value":"Indie"}],"PriceLists":["Retail"]}`
			if len(bodies) != 1 || bodies[0] != want {
				t.Fatalf("posted %v\nwant %s", bodies, want)
			}
		})
	}
}

func TestImportUsersSynchronous(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		answer  map[string]any
		wantErr string
		rows    int
	}{
		{name: "ok", answer: map[string]any{"Code": 0, "Message": "Users imported", "Summary": map[string]any{"RowsTotal": 1, "RowsInsert": 1}}, rows: 1},
		{name: "invalid", answer: map[string]any{"Code": 1, "Message": "Validation failed",
			"Summary": map[string]any{"RowsInvalid": 1, "ValidationErrors": map[string][]string{"U1": {"Email is not valid"}}}},
			wantErr: "U1: Email is not valid"},
		{name: "refused without summary", answer: map[string]any{"Code": 3, "Message": "License limit reached"},
			wantErr: "code 3: License limit reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				writeJSON(w, http.StatusOK, tt.answer)
				return true
			}
			res, err := b.client.ImportUsers(context.Background(), []UserImport{{Code: "U1", Name: "Ana", Email: "ana@example.com"}})
			if tt.wantErr != "" {
				if !errors.Is(err, ErrImportFailed) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v", err)
				}
			} else if err != nil || res.RowsInserted != tt.rows || res.Status != ImportCompleted {
				t.Fatalf("result %+v err %v", res, err)
			}
			if log := b.fake.log(); len(log) != 1 || log[0] != "POST import/user" {
				t.Fatalf("requests %v (a synchronous import is not polled)", log)
			}
		})
	}
}

func TestImportBodies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	day := time.Date(2024, 11, 25, 15, 0, 0, 0, time.UTC)
	if _, err := b.client.ImportSchedules(ctx, []ScheduleImport{{ClientCode: "C1", UserID: "R07",
		ScheduledDate: NewTime(day, LayoutISO), ScheduledTime: NewTime(day, LayoutNone), Active: Bool(false)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.ImportPricelistItems(ctx, []PricelistItemImport{{PricelistName: "Retail", ProductCode: "P1", Price: 2,
		DateAvailableTo: NewTime(day, LayoutWCF)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.ImportPackages(ctx, []PackageImport{{Code: "BOX", Name: "Box", Conversion: 12}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{"import/schedule", `{"ClientCode":"C1","UserID":"R07","ScheduledDate":"2024-11-25","ScheduledTime":"15:00","RepeatEveryWeeks":0,"Active":false}`},
		{"import/pricelist", `{"PricelistName":"Retail","ProductCode":"P1","Price":2,"DateAvailableTo":"2024-11-25"}`},
		{"import/package", `{"Code":"BOX","Name":"Box","Conversion":12}`},
	}
	for _, tt := range tests {
		if got := b.fake.posted(tt.path); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s posted %v\nwant %s", tt.path, got, tt.want)
		}
	}
}

func TestImportWithoutJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	answer := map[string]any{"Code": 0, "Message": "Product list saved"}
	b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		writeJSON(w, http.StatusOK, answer)
		return true
	}
	lists := []ProductListEntity{{Name: "Summer", Products: []ProductListMember{{Code: "P1", Action: ActionAdd}}}}
	res, err := b.client.ImportProductLists(context.Background(), lists)
	if err != nil || res.Status != ImportCompleted || len(res.JobIDs) != 0 || res.Messages[0] != "Product list saved" {
		t.Fatalf("result %+v err %v", res, err)
	}
	answer = map[string]any{"Code": 2, "Message": "List not found"}
	if _, err := b.client.ImportProductLists(context.Background(), lists); !errors.Is(err, ErrImportFailed) {
		t.Fatalf("err = %v", err)
	}
}

func TestUpdateDocumentStatus(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code    int
		wantErr bool
	}{{1, false}, {0, true}} {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var body string
			b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				buf := make([]byte, 200)
				n, _ := r.Body.Read(buf)
				body = string(buf[:n])
				writeJSON(w, http.StatusOK, map[string]any{"Code": tt.code, "Message": "status"})
				return true
			}
			err := b.client.UpdateDocumentStatus(context.Background(), 5, nil)
			if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrImportFailed)) {
				t.Fatalf("err = %v", err)
			}
			if body != `{"DocumentID":5,"DocumentStatusID":null}` {
				t.Fatalf("body %s", body)
			}
			raw := []json.RawMessage{json.RawMessage(`{"DocumentID":5,"DocumentStatusID":3}`)}
			if _, err := b.client.Import(context.Background(), "update_document_status", raw); (err != nil) != tt.wantErr {
				t.Fatalf("raw import err = %v", err)
			}
		})
	}
}

func TestRawImport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	raw := []json.RawMessage{json.RawMessage(`{"Code":"A","Name":"a"}`)}
	if _, err := b.client.Import(context.Background(), "import_clients", raw); err != nil {
		t.Fatal(err)
	}
	if got := b.fake.posted("import/clientList"); len(got) != 1 || got[0] != `{"Clients":[{"Code":"A","Name":"a"}]}` {
		t.Fatalf("posted %v", got)
	}
	if _, err := b.client.Import(context.Background(), "export_clients", raw); err == nil {
		t.Fatal("want error importing into an export")
	}
	if _, err := b.client.StartImport(context.Background(), "export_clients", raw); err == nil {
		t.Fatal("want error starting an export")
	}
}

func TestParseJobID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
	}{
		{"Client import job started asynchronously under ID: 123456", 123456},
		{"Product import job started asynchronously under ID:42", 42},
		{"Account import job started asynchronously under ID 7.", 7},
		{"Schedule import job started asynchronously under id: 9000000000", 9000000000},
		{"import job 3 started under ID: 88", 88},
		{"Import started", 0},
		{"ID: 0", 0},
		{"ID: 99999999999999999999", 0},
		{"", 0},
	}
	for _, tt := range tests {
		got, ok := ParseJobID(tt.in)
		if got != tt.want || ok != (tt.want != 0) {
			t.Errorf("ParseJobID(%q) = %d %v, want %d", tt.in, got, ok, tt.want)
		}
	}
}

func TestDecodeImportStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       string
		wantErr    bool
	}{
		{name: "flat", body: `{"ImportStatus":"Completed","RowsInserted":2,"RowsTotal":2,"Warnings":[],"Errors":[]}`, want: "Completed"},
		{name: "wrapped", body: `{"ImportStatus":{"ImportStatus":"Failed","Errors":[{"ItemID":12,"ItemName":"Code","ItemStatus":"missing"}]}}`, want: "Failed"},
		{name: "array", body: `[{"ImportStatus":"Pending"}]`, want: "Pending"},
		{name: "wrapped array", body: `{"ImportStatus":[{"ImportStatus":"Pending"}]}`, want: "Pending"},
		{name: "empty array", body: `[]`, wantErr: true},
		{name: "no status", body: `{"RowsTotal":1}`, wantErr: true},
		{name: "html", body: wcfErrorPage, wantErr: true},
		{name: "too deep", body: `{"ImportStatus":{"ImportStatus":{"ImportStatus":"Pending"}}}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, err := decodeImportStatus([]byte(tt.body))
			if (err != nil) != tt.wantErr || st.ImportStatus != tt.want {
				t.Fatalf("status %+v err %v", st, err)
			}
		})
	}
}

// TestClientImportClear: an import leaves out empty fields, so a field to
// blank is named in Clear and sent as "".
func TestClientImportClear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      ClientImport
		want    string
		wantErr string
	}{
		{name: "nothing to clear", in: ClientImport{Code: "C1", Name: "N", City: "Boston"},
			want: `{"Code":"C1","Name":"N","City":"Boston","PriceLists":null}`},
		{name: "city and website cleared", in: ClientImport{Code: "C1", Name: "N", Territory: "East>Boston", Clear: []string{"City", "Website"}},
			want: `{"City":"","Code":"C1","Name":"N","PriceLists":null,"Territory":"East>Boston","Website":""}`},
		{name: "code cannot be cleared", in: ClientImport{Code: "C1", Name: "N", Clear: []string{"Code"}}, wantErr: `"Code" cannot be cleared`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.in.MarshalJSON()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %s (%v), want %s", got, err, tt.want)
			}
		})
	}
}
