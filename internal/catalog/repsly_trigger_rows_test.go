package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

// drain polls from the first poll's cursor until more is false and returns
// every record seen (the first poll's included) and the final cursor.
func drain(t *testing.T, b *bundle, out json.RawMessage) ([]json.RawMessage, string) {
	t.Helper()
	e, err := b.cat.Get(str(t, out, "id"))
	if err != nil {
		t.Fatal(err)
	}
	var all []json.RawMessage
	raw, _ := json.Marshal(get(t, out, "records"))
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	cursor, more := str(t, out, "next"), get(t, out, "more") == true
	for i := 0; more; i++ {
		if i > 20 {
			t.Fatal("the trigger never drains")
		}
		var recs []json.RawMessage
		recs, cursor, more, err = e.Poll(context.Background(), b.clients, "repsly", cursor)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, recs...)
	}
	return all, cursor
}

// pollFrom polls once more from cursor.
func pollFrom(t *testing.T, b *bundle, id, cursor string) ([]json.RawMessage, string) {
	t.Helper()
	e, _ := b.cat.Get(id)
	recs, next, _, err := e.Poll(context.Background(), b.clients, "repsly", cursor)
	if err != nil {
		t.Fatal(err)
	}
	return recs, next
}

// newRecordRow drains a trigger, makes one change with act, and expects the
// next poll to yield exactly the record whose field act reports.
func newRecordRow(id, field string, act func(t *testing.T, b *bundle) string) row {
	return row{id: id, check: func(t *testing.T, b *bundle, out json.RawMessage) {
		_, cursor := drain(t, b, out)
		want := act(t, b)
		recs, next := pollFrom(t, b, id, cursor)
		if got := fieldOf(t, recs, field); !slices.Equal(got, []string{want}) {
			t.Errorf("after the change: %s = %v, want [%s]", field, got, want)
		}
		if recs, _ := pollFrom(t, b, id, next); len(recs) != 0 {
			t.Errorf("a poll after that yields %d records again", len(recs))
		}
	}}
}

// stableRow drains a trigger over data nothing can change through the API
// and checks that the records carry field and a further poll yields nothing.
func stableRow(id, field string, min int) row {
	return row{id: id, check: func(t *testing.T, b *bundle, out json.RawMessage) {
		all, cursor := drain(t, b, out)
		if len(all) < min {
			t.Errorf("%d records, want at least %d", len(all), min)
		}
		if got := fieldOf(t, all, field); slices.Contains(got, "") {
			t.Errorf("records without %s: %v", field, got)
		}
		if recs, _ := pollFrom(t, b, id, cursor); len(recs) != 0 {
			t.Errorf("a poll without changes yields %d records", len(recs))
		}
	}}
}

// fieldOf renders one field of each record as text.
func fieldOf(t *testing.T, recs []json.RawMessage, field string) []string {
	t.Helper()
	var out []string
	for _, r := range recs {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil {
			t.Fatal(err)
		}
		var s string
		if json.Unmarshal(m[field], &s) != nil {
			s = string(m[field])
		}
		out = append(out, s)
	}
	return out
}

func repslyTriggerRows() []row {
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return time.Now().UTC() }
	return []row{
		newRecordRow("repsly.client.updated", "Code", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.RepUpdateClient(b.vars["client"], func(c *repslysandbox.Client) { c.City = "Split" })
			must(t, err)
			return b.vars["client"]
		}),
		newRecordRow("repsly.client.created", "Code", func(t *testing.T, b *bundle) string {
			// An edit of a known client does not fire; a new client does.
			_, err := b.repsly.RepUpdateClient(b.vars["client"], func(c *repslysandbox.Client) { c.City = "Split" })
			must(t, err)
			c, err := b.repsly.RepCreateClient(b.vars["rep"], repslysandbox.Client{Code: "NEW-7", Name: "New Store"})
			must(t, err)
			return c.Code
		}),
		newRecordRow("repsly.client_note.created", "Note", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.RepAddNote(b.vars["rep"], b.vars["client"], "Display needs restocking")
			must(t, err)
			return "Display needs restocking"
		}),
		newRecordRow("repsly.visit.created", "VisitID", func(t *testing.T, b *bundle) string {
			v, err := b.repsly.RepAddVisit(b.vars["rep"], b.vars["client"], now().Add(-time.Hour), time.Time{})
			must(t, err)
			return fmtInt(int(v.VisitID))
		}),
		newRecordRow("repsly.visit.updated", "VisitID", func(t *testing.T, b *bundle) string {
			v, err := b.repsly.RepAddVisit(b.vars["rep"], b.vars["client"], now().Add(-time.Hour), now())
			must(t, err)
			return fmtInt(int(v.VisitID))
		}),
		{id: "repsly.visit.ended", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			all, cursor := drain(t, b, out)
			for _, ended := range fieldOf(t, all, "VisitEnded") {
				if ended != "true" {
					t.Fatalf("an open visit came through: %v", fieldOf(t, all, "VisitEnded"))
				}
			}
			v, err := b.repsly.RepAddVisit(b.vars["rep"], b.vars["client"], now().Add(-time.Hour), time.Time{})
			must(t, err)
			recs, cursor := pollFrom(t, b, "repsly.visit.ended", cursor)
			wantEq(t, "records while the visit is open", len(recs), 0)
			_, err = b.repsly.RepEndVisit(v.VisitID, now())
			must(t, err)
			recs, _ = pollFrom(t, b, "repsly.visit.ended", cursor)
			if got := fieldOf(t, recs, "VisitID"); !slices.Equal(got, []string{fmtInt(int(v.VisitID))}) {
				t.Errorf("after check-out: %v", got)
			}
		}},
		stableRow("repsly.retail_audit.created", "RetailAuditName", 1),
		newRecordRow("repsly.purchase_order.created", "PurchaseOrderID", func(t *testing.T, b *bundle) string {
			prepOrder(t, b)
			return b.vars["order"]
		}),
		newRecordRow("repsly.form.created", "FormName", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.RepAddForm(b.vars["rep"], b.vars["client"], "Shelf check", []repslysandbox.FormItem{{Field: "Facings", Value: "4"}})
			must(t, err)
			return "Shelf check"
		}),
		newRecordRow("repsly.form_submission.created", "TemplateName", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.RepAddForm(b.vars["rep"], b.vars["client"], "Shelf check", []repslysandbox.FormItem{{Field: "Facings", Value: "4"}})
			must(t, err)
			return "Shelf check"
		}),
		newRecordRow("repsly.photo.created", "Note", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.RepAddPhoto(b.vars["rep"], b.vars["client"], "Endcap display")
			must(t, err)
			return "Endcap display"
		}),
		stableRow("repsly.daily_working_time.created", "RepresentativeCode", 1),
		newRecordRow("repsly.visit_schedule.changed", "ClientCode", func(t *testing.T, b *bundle) string {
			c, err := b.repsly.RepCreateClient(b.vars["rep"], repslysandbox.Client{Code: "NEW-8", Name: "New Store"})
			must(t, err)
			_, err = b.repsly.RepScheduleVisit(b.vars["rep"], c.Code, now().AddDate(0, 0, 3), "Intro visit")
			must(t, err)
			return c.Code
		}),
		{id: "repsly.visit_realization.updated", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			all, cursor := drain(t, b, out)
			if got := fieldOf(t, all, "Status"); len(got) == 0 || slices.Contains(got, "") {
				t.Fatalf("statuses %v", got)
			}
			// A visit on a scheduled day realizes the schedule.
			s, err := b.repsly.RepScheduleVisit(b.vars["rep"], b.vars["client"], now().Add(time.Minute), "Today")
			must(t, err)
			_, err = b.repsly.RepAddVisit(b.vars["rep"], b.vars["client"], now().Add(2*time.Minute), now().Add(20*time.Minute))
			must(t, err)
			recs, _ := pollFrom(t, b, "repsly.visit_realization.updated", cursor)
			if !slices.Contains(fieldOf(t, recs, "ScheduleId"), s.ScheduleCode) && !slices.Contains(fieldOf(t, recs, "PlaceCode"), b.vars["client"]) {
				t.Errorf("no realization of the visit in %d records: %v", len(recs), fieldOf(t, recs, "PlaceCode"))
			}
		}},
		newRecordRow("repsly.schedule.changed", "ScheduleCode", func(t *testing.T, b *bundle) string {
			s, err := b.repsly.RepScheduleVisit(b.vars["rep"], b.vars["client"], now().AddDate(0, 0, 3), "Restock")
			must(t, err)
			return s.ScheduleCode
		}),
		newRecordRow("repsly.representative.updated", "Code", func(t *testing.T, b *bundle) string {
			_, err := b.repsly.AddRepresentative("R99", "New Rep", "new.rep@example.com")
			must(t, err)
			return "R99"
		}),
		newRecordRow("repsly.user.updated", "Code", func(t *testing.T, b *bundle) string {
			_, err := b.rc(t).ImportUsers(context.Background(), []repsly.UserImport{{Code: "U-NEW", Name: "New User", Email: "u@example.com"}})
			must(t, err)
			return "U-NEW"
		}),
		newRecordRow("repsly.product.created", "Code", func(t *testing.T, b *bundle) string {
			_, err := b.rc(t).ImportProducts(context.Background(), []repsly.ProductImport{{Code: "SKU-NEW", Name: "New Soda", UnitPrice: 2}})
			must(t, err)
			return "SKU-NEW"
		}),
		stableRow("repsly.pricelist.updated", "Name", 3),
		newRecordRow("repsly.pricelist_item.updated", "ProductCode", func(t *testing.T, b *bundle) string {
			_, err := b.rc(t).ImportPricelistItems(context.Background(), []repsly.PricelistItemImport{{PricelistName: "Wholesale",
				ProductCode: b.vars["product"], Price: 0.99}})
			must(t, err)
			return b.vars["product"]
		}),
		stableRow("repsly.document_type.updated", "DocumentTypeName", 1),
	}
}
