package repsly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// drain follows Pages from cursor and checks that the cursor handed with
// each page is the last key of that page.
func drain[T any](t *testing.T, fetch PageFunc[T], cur Cursor, key func(T) int64) ([]T, Cursor) {
	t.Helper()
	var all []T
	for page, err := range Pages(context.Background(), fetch, cur) {
		if err != nil {
			t.Fatalf("page after %s: %v", cur, err)
		}
		if len(page.Items) == 0 {
			t.Fatalf("empty page yielded with cursor %s", page.Next)
		}
		if got, want := page.Next.Value, key(page.Items[len(page.Items)-1]); got != want {
			t.Fatalf("next cursor %d, want last key %d", got, want)
		}
		if page.Meta.TotalCount != len(page.Items) {
			t.Fatalf("TotalCount %d for %d rows", page.Meta.TotalCount, len(page.Items))
		}
		all = append(all, page.Items...)
		cur = page.Next
	}
	return all, cur
}

func TestExportTimestampPaging(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 49, 50, 51, 120} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			for i := range n {
				b.fake.add("export_clients", map[string]any{"ClientID": i + 1, "Code": fmt.Sprintf("C-%03d", i), "Name": "Shop", "Active": true})
			}
			got, cur := drain(t, b.client.ExportClients, Cursor{}, func(c ClientRecord) int64 { return c.TimeStamp })
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c.Code] {
					t.Fatalf("client %s delivered twice", c.Code)
				}
				seen[c.Code] = true
			}
			if len(seen) != n {
				t.Fatalf("got %d clients, want %d", len(seen), n)
			}
			// One call per page of 50, plus the empty page that ends it.
			if calls, want := len(b.fake.log()), (n+PageSize-1)/PageSize+1; calls != want {
				t.Fatalf("%d calls, want %d: %v", calls, want, b.fake.log())
			}
			if n > 0 && cur.Value != int64(n) {
				t.Fatalf("final cursor %s, want timestamp:%d", cur, n)
			}

			// An edit brings the client back; nothing else comes.
			if n > 0 {
				b.fake.touch("export_clients", 0)
				again, _ := drain(t, b.client.ExportClients, cur, func(c ClientRecord) int64 { return c.TimeStamp })
				if len(again) != 1 || again[0].Code != "C-000" {
					t.Fatalf("after edit got %+v, want C-000 once", again)
				}
			}
		})
	}
}

func TestExportIDPaging(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 75 {
		b.fake.add("export_client_notes", map[string]any{"ClientNoteID": 5000 + i*3, "Note": fmt.Sprint("n", i),
			"DateAndTime": "/Date(1704189600000+0000)/"})
	}
	got, cur := drain(t, b.client.ExportClientNotes, Cursor{}, func(n ClientNote) int64 { return n.ClientNoteID })
	if len(got) != 75 || cur.Value != 5000+74*3 {
		t.Fatalf("got %d notes, cursor %s", len(got), cur)
	}
	if got[0].DateAndTime.Layout != LayoutWCF || got[0].DateAndTime.UnixMilli() != 1704189600000 {
		t.Fatalf("date = %+v", got[0].DateAndTime)
	}
	// Only new rows come after the saved cursor.
	b.fake.add("export_client_notes", map[string]any{"ClientNoteID": 9999, "Note": "new"})
	more, _ := drain(t, b.client.ExportClientNotes, cur, func(n ClientNote) int64 { return n.ClientNoteID })
	if len(more) != 1 || more[0].Note != "new" {
		t.Fatalf("after add got %+v", more)
	}
	want := []string{"GET export/clientnotes/0", "GET export/clientnotes/5147", "GET export/clientnotes/5222",
		"GET export/clientnotes/5222", "GET export/clientnotes/9999"}
	if log := b.fake.log(); strings.Join(log, ",") != strings.Join(want, ",") {
		t.Fatalf("requests\n%v\nwant\n%v", log, want)
	}
}

// pageCounter fetches one page and reports its size and next cursor.
type pageCounter func(ctx context.Context, cur Cursor) (int, Cursor, error)

func counter[T any](fetch PageFunc[T]) pageCounter {
	return func(ctx context.Context, cur Cursor) (int, Cursor, error) {
		p, err := fetch(ctx, cur)
		return len(p.Items), p.Next, err
	}
}

// TestEveryPagedExport drains each typed cursor export once through the
// fake, which serves them from the Endpoints table.
func TestEveryPagedExport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		page func(c *Client) pageCounter
	}{
		{"export_clients", func(c *Client) pageCounter { return counter(c.ExportClients) }},
		{"export_visits", func(c *Client) pageCounter { return counter(c.ExportVisits) }},
		{"export_users", func(c *Client) pageCounter { return counter(c.ExportUsers) }},
		{"export_client_notes", func(c *Client) pageCounter { return counter(c.ExportClientNotes) }},
		{"export_retail_audits", func(c *Client) pageCounter { return counter(c.ExportRetailAudits) }},
		{"export_purchase_orders", func(c *Client) pageCounter { return counter(c.ExportPurchaseOrders) }},
		{"export_forms", func(c *Client) pageCounter { return counter(c.ExportForms) }},
		{"export_form_submissions", func(c *Client) pageCounter { return counter(c.ExportFormSubmissions) }},
		{"export_photos", func(c *Client) pageCounter { return counter(c.ExportPhotos) }},
		{"export_daily_working_time", func(c *Client) pageCounter { return counter(c.ExportDailyWorkingTime) }},
		{"export_products", func(c *Client) pageCounter { return counter(c.ExportProducts) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			ep, _ := EndpointByName(tt.name)
			for i := range 60 {
				doc := map[string]any{"Code": fmt.Sprint("X", i), "Name": "n"}
				if ep.Cursor == CursorID {
					doc[ep.KeyField] = 100 + i
				}
				b.fake.add(tt.name, doc)
			}
			fetch := tt.page(b.client)
			total, cur := 0, Cursor{}
			for range 5 {
				n, next, err := fetch(context.Background(), cur)
				if err != nil {
					t.Fatalf("%s at %s: %v", tt.name, cur, err)
				}
				total += n
				if n == 0 {
					break
				}
				cur = next
			}
			if total != 60 {
				t.Fatalf("%s: %d rows, want 60", tt.name, total)
			}
		})
	}
}

func TestExportNextCursorRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		endpoint string
		cursor   Cursor
		body     string
		wantNext Cursor
		wantMore bool
		wantErr  error
	}{
		{name: "LastID not FirstID", endpoint: "export_forms", cursor: IDCursor(10),
			body:     `{"MetaCollectionResult":{"TotalCount":2,"FirstID":11,"LastID":20},"Forms":[{"FormID":11},{"FormID":20}]}`,
			wantNext: IDCursor(20), wantMore: true},
		{name: "short page is not the end", endpoint: "export_clients", cursor: TimestampCursor(5),
			body:     `{"MetaCollectionResult":{"TotalCount":1,"LastTimeStamp":"77"},"Clients":[{"Code":"A","TimeStamp":77}]}`,
			wantNext: TimestampCursor(77), wantMore: true},
		{name: "TotalCount 0 ends and keeps cursor", endpoint: "export_clients", cursor: TimestampCursor(77),
			body:     `{"MetaCollectionResult":{"TotalCount":0,"LastTimeStamp":0},"Clients":[]}`,
			wantNext: TimestampCursor(77)},
		{name: "null array ends", endpoint: "export_visits", cursor: TimestampCursor(3),
			body:     `{"MetaCollectionResult":{"TotalCount":0},"Visits":null}`,
			wantNext: TimestampCursor(3)},
		{name: "missing LastID falls back to row keys", endpoint: "export_photos", cursor: IDCursor(1),
			body:     `{"MetaCollectionResult":{"TotalCount":2},"Photos":[{"PhotoID":4},{"PhotoID":9}]}`,
			wantNext: IDCursor(9), wantMore: true},
		{name: "stale LastID below row keys", endpoint: "export_photos", cursor: IDCursor(1),
			body:     `{"MetaCollectionResult":{"TotalCount":2,"LastID":4},"Photos":[{"PhotoID":4},{"PhotoID":9}]}`,
			wantNext: IDCursor(9), wantMore: true},
		{name: "stalled cursor", endpoint: "export_photos", cursor: IDCursor(9),
			body:    `{"MetaCollectionResult":{"TotalCount":1,"LastID":9},"Photos":[{"PhotoID":9}]}`,
			wantErr: ErrCursorStalled},
		{name: "rows without any key", endpoint: "export_users", cursor: TimestampCursor(4),
			body:    `{"MetaCollectionResult":{"TotalCount":1},"Users":[{"Code":"U"}]}`,
			wantErr: ErrCursorStalled},
		{name: "TotalCount without rows", endpoint: "export_photos", cursor: IDCursor(1),
			body:    `{"MetaCollectionResult":{"TotalCount":3,"LastID":9},"Photos":[]}`,
			wantErr: ErrUnexpectedBody},
		{name: "array name case differs", endpoint: "export_daily_working_time", cursor: IDCursor(0),
			body:     `{"MetaCollectionResult":{"TotalCount":1,"LastID":3},"dailyWorkingTime":[{"DailyWorkingTimeID":3}]}`,
			wantNext: IDCursor(3), wantMore: true},
		{name: "array is an object", endpoint: "export_photos", cursor: IDCursor(0),
			body:    `{"MetaCollectionResult":{"TotalCount":1,"LastID":3},"Photos":{"PhotoID":3}}`,
			wantErr: ErrUnexpectedBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				_, _ = w.Write([]byte(tt.body))
				return true
			}
			page, err := b.client.Export(context.Background(), tt.endpoint, tt.cursor)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if !page.Next.Equal(tt.cursor) {
					t.Fatalf("on error Next = %s, want the cursor sent %s", page.Next, tt.cursor)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !page.Next.Equal(tt.wantNext) || page.More != tt.wantMore {
				t.Fatalf("next %s more %v, want %s %v", page.Next, page.More, tt.wantNext, tt.wantMore)
			}
		})
	}
}

func TestExportBadRow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
		_, _ = w.Write([]byte(`{"MetaCollectionResult":{"TotalCount":2,"LastID":4},"Photos":[{"PhotoID":3},{"PhotoID":"x4"}]}`))
		return true
	}
	page, err := b.client.ExportPhotos(context.Background(), IDCursor(2))
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrUnexpectedBody || !strings.Contains(err.Error(), "row 1") {
		t.Fatalf("err = %v", err)
	}
	if !page.Next.Equal(IDCursor(2)) || len(page.Items) != 0 {
		t.Fatalf("page on error = %+v", page)
	}
}

func TestExportCursorKind(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.client.ExportClients(context.Background(), IDCursor(3))
	if !errors.Is(err, ErrCursorKind) {
		t.Fatalf("err = %v, want ErrCursorKind", err)
	}
	if _, err := b.client.Export(context.Background(), "export_representatives", Cursor{}); !errors.Is(err, ErrCursorKind) {
		t.Fatalf("err = %v, want ErrCursorKind for a list export", err)
	}
	if _, err := b.client.Export(context.Background(), "no_such_endpoint", Cursor{}); err == nil {
		t.Fatal("want error for unknown endpoint")
	}
	if n := len(b.fake.log()); n != 0 {
		t.Fatalf("%d requests sent for invalid calls", n)
	}
}

func TestExportLists(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fake.add("export_representatives", map[string]any{"Code": "R07", "Name": "Ana Li", "Territories": []string{"East/Boston"}, "Active": true})
	b.fake.add("export_pricelists", map[string]any{"ID": 3, "Name": "Retail", "UsePrices": true})
	b.fake.add("export_pricelist_items", map[string]any{"ID": 1, "ProductCode": "P1", "Price": 2.5, "DateAvailableFrom": "2024-01-31", "MinQuantity": nil})
	b.fake.add("export_document_types", map[string]any{"DocumentTypeID": 1, "DocumentTypeName": "Order",
		"Statuses": []map[string]any{{"DocumentStatusID": 4, "DocumentStatusName": "Sent"}}})
	ctx := context.Background()
	reps, err := b.client.ExportRepresentatives(ctx)
	if err != nil || len(reps) != 1 || reps[0].Territories[0] != "East/Boston" {
		t.Fatalf("reps %+v, %v", reps, err)
	}
	pls, err := b.client.ExportPricelists(ctx)
	if err != nil || len(pls) != 1 || !pls[0].UsesPrices {
		t.Fatalf("pricelists %+v, %v", pls, err)
	}
	items, err := b.client.ExportPricelistItems(ctx, 3)
	if err != nil || len(items) != 1 || items[0].DateAvailableFrom.Layout != LayoutDate || items[0].MinQuantity != nil {
		t.Fatalf("items %+v, %v", items, err)
	}
	dts, err := b.client.ExportDocumentTypes(ctx)
	if err != nil || len(dts) != 1 || dts[0].Statuses[0].DocumentStatusName != "Sent" {
		t.Fatalf("document types %+v, %v", dts, err)
	}
	raw, err := b.client.ExportAll(ctx, "export_pricelist_items", "3")
	if err != nil || len(raw) != 1 || !json.Valid(raw[0]) {
		t.Fatalf("raw %s, %v", raw, err)
	}
	if err := b.client.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	want := "GET export/representatives,GET export/pricelists,GET export/pricelistsItems/3,GET export/documentTypes,GET export/pricelistsItems/3,GET export/representatives"
	if log := strings.Join(b.fake.log(), ","); log != want {
		t.Fatalf("requests %s", log)
	}
}

func TestPagesStopsOnBreak(t *testing.T) {
	t.Parallel()
	calls := 0
	fetch := func(ctx context.Context, cur Cursor) (Page[int], error) {
		calls++
		return Page[int]{Items: []int{calls}, Next: IDCursor(cur.Value + 1), More: true}, nil
	}
	for page, err := range Pages(context.Background(), fetch, IDCursor(0)) {
		if err != nil || page.Items[0] == 3 {
			break
		}
	}
	if calls != 3 {
		t.Fatalf("%d calls after break at 3", calls)
	}
	stuck := func(ctx context.Context, cur Cursor) (Page[int], error) {
		return Page[int]{Items: []int{1}, Next: cur, More: true}, nil
	}
	var last error
	for _, err := range Pages(context.Background(), stuck, IDCursor(5)) {
		last = err
	}
	if !errors.Is(last, ErrCursorStalled) {
		t.Fatalf("err = %v, want ErrCursorStalled", last)
	}
}
