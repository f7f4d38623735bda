package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

func (b *bundle) rc(t *testing.T) *repsly.Client {
	t.Helper()
	c, err := b.clients.Repsly(context.Background(), "repsly")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (b *bundle) client(t *testing.T, code string) repslysandbox.Client {
	t.Helper()
	c, ok := b.repsly.Client(code)
	if !ok {
		t.Fatalf("no client %s in the sandbox", code)
	}
	return c
}

// wantImported checks an import result.
func wantImported(t *testing.T, out json.RawMessage, inserted, updated int) {
	t.Helper()
	wantEq(t, "Status", str(t, out, "Status"), "Completed")
	wantEq(t, "RowsInserted", get(t, out, "RowsInserted"), any(float64(inserted)))
	wantEq(t, "RowsUpdated", get(t, out, "RowsUpdated"), any(float64(updated)))
}

// wantRows checks a list action's records: n of them (n < 0: at least
// one), each carrying field.
func wantRows(n int, field string) func(*testing.T, *bundle, json.RawMessage) {
	return func(t *testing.T, b *bundle, out json.RawMessage) {
		t.Helper()
		got := count(t, out, "records")
		if (n >= 0 && got != n) || (n < 0 && got == 0) {
			t.Errorf("%d records, want %d", got, n)
		}
		for i := range got {
			if get(t, out, "records."+strconv.Itoa(i)+"."+field) == nil {
				t.Errorf("record %d has no %s", i, field)
			}
		}
	}
}

func fmtInt(i int) string { return strconv.Itoa(i) }

func repslyListRows() []row {
	return []row{
		{id: "repsly.client.get", input: `{"Code":"{{client}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "Code", str(t, out, "Code"), b.vars["client"])
			}},
		{id: "repsly.client.list", input: `{}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantRows(12, "Code")(t, b, out)
			if !strings.HasPrefix(str(t, out, "next_cursor"), "timestamp:") {
				t.Errorf("next_cursor %q", str(t, out, "next_cursor"))
			}
			// Reading on from the cursor drains the export.
			e, _ := b.cat.Get("repsly.client.list")
			out2, err := e.Run(context.Background(), b.clients, "repsly", json.RawMessage(`{"cursor":"`+str(t, out, "next_cursor")+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			wantEq(t, "second page", count(t, out2, "records"), 0)
			wantEq(t, "more", get(t, out2, "more"), any(false))
		}},
		{id: "repsly.client_note.list", input: `{}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantRows(len(b.repsly.Notes()), "ClientNoteID")(t, b, out)
		}},
		{id: "repsly.visit.list", input: `{"cursor":""}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantRows(len(b.repsly.Visits()), "VisitID")(t, b, out)
		}},
		{id: "repsly.retail_audit.list", input: `{}`, check: wantRows(-1, "RetailAuditID")},
		{id: "repsly.purchase_order.list", input: `{}`, prep: prepOrder, check: wantRows(1, "PurchaseOrderID")},
		{id: "repsly.form.list", input: `{}`, check: wantRows(-1, "FormID")},
		{id: "repsly.form_submission.list", input: `{}`, check: wantRows(-1, "TemplateName")},
		{id: "repsly.photo.list", input: `{}`, prep: func(t *testing.T, b *bundle) {
			if _, err := b.repsly.RepAddPhoto(b.vars["rep"], b.vars["client"], "Shelf"); err != nil {
				t.Fatal(err)
			}
		}, check: wantRows(1, "PhotoURL")},
		{id: "repsly.daily_working_time.list", input: `{}`, check: wantRows(-1, "DailyWorkingTimeID")},
		{id: "repsly.visit_schedule.list", input: `{"from":"{{today}}","to":"{{inAWeek}}"}`, prep: prepSchedule,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantRows(-1, "ClientCode")(t, b, out)
				if !slices.Contains(fieldValues(t, out, "ClientCode"), b.vars["client"]) {
					t.Errorf("the planned visit at %s is missing: %s", b.vars["client"], out)
				}
			}},
		{id: "repsly.visit_realization.list", input: `{}`, check: wantRows(-1, "Status")},
		{id: "repsly.schedule.list", input: `{"from":"{{today}}","to":"{{inAWeek}}"}`, prep: prepSchedule,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if !slices.Contains(fieldValues(t, out, "ScheduleCode"), b.vars["schedule"]) {
					t.Errorf("schedule %s missing: %s", b.vars["schedule"], out)
				}
			}},
		{id: "repsly.representative.list", input: `{}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			if !slices.Contains(fieldValues(t, out, "Code"), b.vars["rep"]) {
				t.Errorf("rep %s missing", b.vars["rep"])
			}
		}},
		{id: "repsly.user.list", input: `{}`, check: wantRows(seededUsers, "Code")},
		{id: "repsly.product.list", input: `{}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantRows(repsly.PageSize, "Code")(t, b, out)
			wantEq(t, "more", get(t, out, "more"), any(true))
		}},
		{id: "repsly.pricelist.list", input: `{}`, check: wantRows(3, "Name")},
		{id: "repsly.pricelist_item.list", input: `{"PricelistID":{{pricelist:Wholesale}}}`, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantRows(len(b.repsly.Products()), "ProductCode")(t, b, out)
			wantEq(t, "PricelistID", fmtInt(int(get(t, out, "records.0.PricelistID").(float64))), b.vars["pricelist:Wholesale"])
		}},
		{id: "repsly.document_type.list", input: `{}`, check: wantRows(-1, "DocumentTypeID")},
		{id: "repsly.import.status", input: `{"ImportJobID":{{job}}}`, prep: func(t *testing.T, b *bundle) {
			res, err := b.rc(t).UpsertClients(context.Background(), []repsly.ClientImport{{Code: "JOB-1", Name: "Job test"}})
			if err != nil || len(res.JobIDs) != 1 {
				t.Fatalf("import: %+v %v", res, err)
			}
			b.vars["job"] = fmtInt(int(res.JobIDs[0]))
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "status", str(t, out, "ImportStatus"), "Completed")
			wantEq(t, "inserted", get(t, out, "RowsInserted"), any(float64(1)))
		}},
	}
}

// seededUsers is how many users the seeded account has: an owner, a back
// office user and the two reps.
const seededUsers = 4

func fieldValues(t *testing.T, out json.RawMessage, field string) []string {
	t.Helper()
	var v struct {
		Records []map[string]any `json:"records"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, r := range v.Records {
		s, _ := r[field].(string)
		vals = append(vals, s)
	}
	return vals
}

func prepOrder(t *testing.T, b *bundle) {
	o, err := b.repsly.RepAddOrder(b.vars["rep"], b.vars["client"], []repslysandbox.OrderItem{{ProductCode: b.vars["product"], Quantity: 2}})
	if err != nil {
		t.Fatal(err)
	}
	b.vars["order"] = fmtInt(int(o.PurchaseOrderID))
	b.vars["orderType"] = fmtInt(int(o.DocumentTypeID))
}

func prepSchedule(t *testing.T, b *bundle) {
	s, err := b.repsly.RepScheduleVisit(b.vars["rep"], b.vars["client"], time.Now().UTC().AddDate(0, 0, 2), "Check the display")
	if err != nil {
		t.Fatal(err)
	}
	b.vars["schedule"] = s.ScheduleCode
}

func repslyImportRows() []row {
	ctx := context.Background()
	return []row{
		{id: "repsly.client.upsert", input: `{"Code":"NEW-1","Name":"New Store","City":"Boston","Email":"buyer@new.example"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantImported(t, out, 1, 0)
				c := b.client(t, "NEW-1")
				wantEq(t, "city", c.City, "Boston")
				wantEq(t, "active", c.Active, true)
			}},
		{id: "repsly.client.upsert_many", input: `{"Clients":[{"Code":"NEW-1","Name":"New Store"},{"Code":"{{client}}","Name":"Renamed Store"}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantImported(t, out, 1, 1)
				wantEq(t, "renamed", b.client(t, b.vars["client"]).Name, "Renamed Store")
				wantEq(t, "endpoint", str(t, out, "Endpoint"), "import_clients")
			}},
		{id: "repsly.account.upsert", input: `{"Code":"NEWACC","Name":"New Account"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, ok := b.repsly.Account("NEWACC")
				wantEq(t, "account", ok && a.Name == "New Account", true)
			}},
		{id: "repsly.account.upsert_many", input: `{"Accounts":[{"Code":"ACME","Name":"Acme Renamed"},{"Code":"NEWACC","Name":"New"}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, _ := b.repsly.Account("ACME")
				wantEq(t, "renamed", a.Name, "Acme Renamed")
				wantImported(t, out, 1, 1)
			}},
		{id: "repsly.product.upsert", input: `{"Code":"SKU-NEW","Name":"New Soda","UnitPrice":2.5}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "product", slices.ContainsFunc(b.repsly.Products(), func(p repslysandbox.Product) bool {
					return p.Code == "SKU-NEW" && p.UnitPrice == 2.5
				}), true)
			}},
		{id: "repsly.product.upsert_many", input: `{"Products":[{"Code":"SKU-A","Name":"A","UnitPrice":1},{"Code":"SKU-B","Name":"B","UnitPrice":2}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) { wantImported(t, out, 2, 0) }},
		{id: "repsly.package.upsert", input: `{"Code":"BOX6","Name":"Box of 6","Conversion":6}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) { wantImported(t, out, 1, 0) }},
		{id: "repsly.package.upsert_many", input: `{"Packages":[{"Code":"BOX6","Name":"Box of 6","Conversion":6},{"Code":"CS12","Name":"Case of 12","Conversion":12}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) { wantImported(t, out, 1, 1) }},
		{id: "repsly.pricelist_item.upsert", input: `{"PricelistName":"Wholesale","ProductCode":"{{product}}","Price":1.23}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				id, _ := strconv.ParseInt(b.vars["pricelist:Wholesale"], 10, 64)
				items, err := b.rc(t).ExportPricelistItems(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				wantEq(t, "price set", slices.ContainsFunc(items, func(it repsly.PricelistItem) bool {
					return it.ProductCode == b.vars["product"] && it.Price == 1.23
				}), true)
			}},
		{id: "repsly.pricelist_item.upsert_many", input: `{"PricelistItems":[{"PricelistName":"Wholesale","ProductCode":"{{product}}","Price":1.5}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "status", str(t, out, "Status"), "Completed")
				wantEq(t, "rows", get(t, out, "RowsTotal"), any(float64(1)))
			}},
		{id: "repsly.schedule.upsert", input: `{"ScheduleCode":"S-NEW","ClientCode":"{{client}}","UserID":"{{rep}}","ScheduledDate":"{{tomorrow}}","ScheduledTime":"10:30","RepeatEveryWeeks":0}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				i := slices.IndexFunc(b.repsly.Schedules(), func(s repslysandbox.Schedule) bool { return s.ScheduleCode == "S-NEW" })
				if i < 0 {
					t.Fatal("schedule not in the sandbox")
				}
				s := b.repsly.Schedules()[i]
				wantEq(t, "date", s.ScheduledDate, b.vars["tomorrow"])
				wantEq(t, "time", s.ScheduledTime, "10:30")
			}},
		{id: "repsly.user.upsert", input: `{"Code":"REP-9","Name":"Jo Field","Email":"jo@field.example","Role":"Representative"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "user", slices.ContainsFunc(b.repsly.Users(), func(u repslysandbox.User) bool { return u.Code == "REP-9" }), true)
			}},
		{id: "repsly.user.upsert_many", input: `{"Users":[{"Code":"REP-9","Name":"Jo","Email":"jo@field.example"},{"Code":"REP-10","Name":"Al","Email":"al@field.example"}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "users", len(b.repsly.Users()), seededUsers+2)
			}},
		{id: "repsly.product_list.upsert", input: `{"Name":"Summer range","Products":[{"Code":"{{product}}","Action":"Add"}],"Places":[{"Code":"{{client}}","Action":"Add"}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "status", str(t, out, "Status"), "Completed")
			}},
		{id: "repsly.purchase_order.set_status", input: `{"DocumentID":{{order}},"DocumentStatusID":{{status}}}`,
			prep: func(t *testing.T, b *bundle) {
				prepOrder(t, b)
				types, err := b.rc(t).ExportDocumentTypes(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, dt := range types {
					if fmtInt(int(dt.DocumentTypeID)) == b.vars["orderType"] && len(dt.Statuses) > 0 {
						b.vars["status"] = fmtInt(int(dt.Statuses[len(dt.Statuses)-1].DocumentStatusID))
					}
				}
				if b.vars["status"] == "" {
					t.Fatal("the order's document type has no statuses")
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				page, err := b.rc(t).ExportPurchaseOrders(ctx, repsly.Cursor{})
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(page.Items, func(o repsly.PurchaseOrder) bool { return fmtInt(int(o.PurchaseOrderID)) == b.vars["order"] })
				if i < 0 || page.Items[i].DocumentStatusID == nil || fmtInt(int(*page.Items[i].DocumentStatusID)) != b.vars["status"] {
					t.Errorf("order status not set: %+v", page.Items)
				}
			}},
	}
}

func repslyCompositeRows() []row {
	return []row{
		{id: "repsly.client.deactivate", input: `{"Code":"{{client}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				c := b.client(t, b.vars["client"])
				wantEq(t, "active", c.Active, false)
				wantEq(t, "name kept", c.Name != "", true)
			}},
		{id: "repsly.client.activate", input: `{"Code":"{{client}}"}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.repsly.RepDeactivateClient(b.vars["client"]); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "active", b.client(t, b.vars["client"]).Active, true)
			}},
		{id: "repsly.client.update", input: `{"Code":"{{client}}","City":"Zagreb"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				c := b.client(t, b.vars["client"])
				wantEq(t, "city", c.City, "Zagreb")
				wantEq(t, "name kept", c.Name, b.vars["clientName"])
			}},
		{id: "repsly.client.upsert_from_contact",
			input: `{"contact":{"id":"abc123","firstName":"Ada","lastName":"Lovelace","companyName":"Corner Market","email":"ada@corner.example","city":"Boston","dateAdded":"2025-01-01T00:00:00Z"}}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				c := b.client(t, "GHL-abc123")
				wantEq(t, "name", c.Name, "Corner Market")
				wantEq(t, "contact name", c.ContactName, "Ada Lovelace")
				n := b.repsly.ClientCount()
				e, _ := b.cat.Get("repsly.client.upsert_from_contact")
				if _, err := e.Run(context.Background(), b.clients, "repsly", json.RawMessage(b.expand(`{"contact":{"id":"abc123","companyName":"Corner Market Ltd"}}`))); err != nil {
					t.Fatal(err)
				}
				wantEq(t, "clients after a rerun", b.repsly.ClientCount(), n)
				wantEq(t, "renamed", b.client(t, "GHL-abc123").Name, "Corner Market Ltd")
			}},
		{id: "repsly.visit.schedule_for_contact",
			input: `{"contact":{"id":"abc123","companyName":"Corner Market"},"RepresentativeCode":"{{rep}}","Date":"{{tomorrow}}","Time":"10:30","Note":"Web enquiry"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "client created", get(t, out, "ClientCreated"), any(true))
				b.client(t, "GHL-abc123")
				n := len(b.repsly.Schedules())
				e, _ := b.cat.Get("repsly.visit.schedule_for_contact")
				out2, err := e.Run(context.Background(), b.clients, "repsly", json.RawMessage(b.expand(`{"contact":{"id":"abc123"},"RepresentativeCode":"{{rep}}","Date":"{{tomorrow}}","Time":"10:30"}`)))
				if err != nil {
					t.Fatal(err)
				}
				wantEq(t, "client created again", get(t, out2, "ClientCreated"), any(false))
				wantEq(t, "schedules after a retry", len(b.repsly.Schedules()), n)
				i := slices.IndexFunc(b.repsly.Schedules(), func(s repslysandbox.Schedule) bool { return s.ScheduleCode == str(t, out, "ScheduleCode") })
				if i < 0 || b.repsly.Schedules()[i].ClientCode != "GHL-abc123" || b.repsly.Schedules()[i].ScheduledTime != "10:30" {
					t.Errorf("schedule %s: %+v", str(t, out, "ScheduleCode"), b.repsly.Schedules())
				}
			}},
		{id: "repsly.schedule.cancel", input: `{"ScheduleCode":"{{schedule}}"}`, prep: prepSchedule,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if slices.ContainsFunc(b.repsly.Schedules(), func(s repslysandbox.Schedule) bool { return s.ScheduleCode == b.vars["schedule"] }) {
					t.Error("schedule still planned")
				}
			}},
	}
}
