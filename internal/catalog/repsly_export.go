package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// exportDef describes how one Repsly export becomes a list action and poll
// triggers. Paths, cursor kinds and envelopes come from repsly.Endpoints.
type exportDef struct {
	endpoint string
	// object is the id stem ("client_note"); noun and plural name it in titles.
	object, noun, plural string
	row                  json.RawMessage
	// note says what the export cannot do, added to every description.
	note string
	// key names the fields that identify a row, for snapshot triggers.
	key []string
}

// noWrites is said of every read-only Repsly object.
const noWrites = " Repsly has no API to create, change or delete them."

// windowDays is how far ahead the schedule triggers look.
const windowDays = 28

func exportDefs() []exportDef {
	return []exportDef{
		{endpoint: "export_clients", object: "client", noun: "client", plural: "clients", row: outputOf[repsly.ClientRecord](),
			note: " Repsly has no deletes: a removed client comes as Active=false."},
		{endpoint: "export_client_notes", object: "client_note", noun: "client note", plural: "client notes", row: outputOf[repsly.ClientNote](),
			note: " Notes are paged by ID, so an edited note is never delivered again." + noWrites},
		{endpoint: "export_visits", object: "visit", noun: "visit", plural: "visits", row: outputOf[repsly.Visit](),
			note: " A visit comes again when it ends or is edited." + noWrites},
		{endpoint: "export_retail_audits", object: "retail_audit", noun: "retail audit", plural: "retail audits", row: outputOf[repsly.RetailAudit](),
			note: " Paged by ID: edits are not delivered again." + noWrites},
		{endpoint: "export_purchase_orders", object: "purchase_order", noun: "purchase order", plural: "purchase orders (sales documents)", row: outputOf[repsly.PurchaseOrder](),
			note: " Paged by ID: a later status change is not delivered again (set one with repsly.purchase_order.set_status)."},
		{endpoint: "export_forms", object: "form", noun: "form", plural: "submitted forms", row: outputOf[repsly.Form](),
			note: " Paged by ID." + noWrites},
		{endpoint: "export_form_submissions", object: "form_submission", noun: "form submission (with matrix)", plural: "form submissions with matrix answers", row: outputOf[repsly.FormSubmission](),
			note: " The path of this export is not confirmed by Repsly's documentation."},
		{endpoint: "export_photos", object: "photo", noun: "photo", plural: "photos", row: outputOf[repsly.Photo](),
			note: " Metadata and a URL, paged by ID." + noWrites},
		{endpoint: "export_daily_working_time", object: "daily_working_time", noun: "workday", plural: "workdays (daily working time)", row: outputOf[repsly.DailyWorkingTime](),
			note: " Paged by ID." + noWrites},
		{endpoint: "export_visit_schedules", object: "visit_schedule", noun: "planned visit", plural: "planned visits (classic export)", row: outputOf[repsly.VisitSchedule](),
			note: " Read by date range; some accounts answer this classic export with no rows: prefer repsly.schedule.", key: []string{"ClientCode", "RepresentativeCode", "ScheduleDateAndTime"}},
		{endpoint: "export_visit_realizations", object: "visit_realization", noun: "visit realization", plural: "visit realizations", row: outputOf[repsly.VisitRealization](),
			note: " Offset-paged by modification time: a row modified while a window is read may come twice." + noWrites},
		{endpoint: "export_schedules", object: "schedule", noun: "schedule", plural: "schedules (planned visits)", row: outputOf[repsly.Schedule](),
			note: " Read by date range.", key: []string{"ScheduleCode"}},
		{endpoint: "export_representatives", object: "representative", noun: "representative", plural: "representatives", row: outputOf[repsly.Representative](),
			note: " The whole list comes on every call.", key: []string{"Code"}},
		{endpoint: "export_users", object: "user", noun: "user", plural: "users", row: outputOf[repsly.User](),
			note: " Repsly has no user deletes: deactivate with repsly.user.upsert and Active=false."},
		{endpoint: "export_products", object: "product", noun: "product", plural: "products", row: outputOf[repsly.Product](),
			note: " Paged by product ID: edits to known products only show in a full re-read from the start."},
		{endpoint: "export_pricelists", object: "pricelist", noun: "pricelist", plural: "pricelists", row: outputOf[repsly.Pricelist](),
			note: " The whole list comes on every call.", key: []string{"ID"}},
		{endpoint: "export_pricelist_items", object: "pricelist_item", noun: "pricelist item", plural: "pricelist items", row: outputOf[pricelistItemRecord](),
			key: []string{"PricelistID", "ID"}},
		{endpoint: "export_document_types", object: "document_type", noun: "document type", plural: "document types with their statuses", row: outputOf[repsly.DocumentType](),
			note: " The whole list comes on every call.", key: []string{"DocumentTypeID"}},
	}
}

// pricelistItemRecord is a pricelist item with the pricelist it belongs to
// (the export is per pricelist and its rows do not say).
type pricelistItemRecord struct {
	PricelistID int64 `json:"PricelistID"`
	repsly.PricelistItem
}

// Page is the output of the paged list actions.
type Page struct {
	// Records are the rows, as Repsly sends them.
	Records []json.RawMessage `json:"records"`
	// NextCursor is passed as cursor to read on.
	NextCursor string `json:"next_cursor"`
	// More is true when reading on right away may return more.
	More bool `json:"more"`
}

// Records is the output of the list actions that read everything at once.
type Records struct {
	Records []json.RawMessage `json:"records"`
}

type (
	cursorInput struct {
		Cursor string `json:"cursor"`
	}
	rangeInput struct {
		From string `json:"from"`
		To   string `json:"to"`
	}
)

func repslyExportEntries() []*Entry {
	var out []*Entry
	for _, d := range exportDefs() {
		ep, ok := repsly.EndpointByName(d.endpoint)
		if !ok {
			// Caught by the catalog tests: the table names an endpoint the
			// client dropped.
			continue
		}
		out = append(out, listAction(d, ep))
		out = append(out, exportTriggers(d, ep)...)
	}
	out = append(out,
		action(spec{id: "repsly.client.get", app: AppRepsly, title: "Get client by code",
			desc: "Returns one Repsly client by its Code; an unknown code is a not-found error.",
			ops:  []string{"get_client"}, input: hand(map[string]any{"Code": nonEmpty("client code")}, "Code"),
			output: outputOf[repsly.ClientRecord](), example: `{"Code":"C-1001"}`},
			func(ctx context.Context, x *exec, in codeInput) (any, error) {
				return x.repsly.GetClient(ctx, in.Code)
			}),
		action(spec{id: "repsly.import.status", app: AppRepsly, title: "Get import job status",
			desc: "Reads the status of an import job (Repsly keeps it 30 days): Pending, Completed or Failed, with row counts, " +
				"warnings and errors. The import actions already wait for their jobs; this resumes one that timed out.",
			ops:     []string{"import_status"},
			input:   hand(map[string]any{"ImportJobID": map[string]any{"type": "integer", "minimum": 1}}, "ImportJobID"),
			output:  outputOf[repsly.ImportStatus](),
			example: `{"ImportJobID":1234}`},
			func(ctx context.Context, x *exec, in struct {
				ImportJobID int64 `json:"ImportJobID"`
			}) (any, error) {
				return x.repsly.GetImportStatus(ctx, in.ImportJobID)
			}),
	)
	return out
}

// listAction reads one page (cursor exports), a date range, or everything.
func listAction(d exportDef, ep repsly.Endpoint) *Entry {
	s := spec{id: "repsly." + d.object + ".list", app: AppRepsly, title: "List " + d.plural, ops: []string{d.endpoint}}
	switch ep.Cursor {
	case repsly.CursorTimestamp, repsly.CursorID, repsly.CursorModified:
		s.desc = fmt.Sprintf("Reads one page (at most %d) of %s after cursor (empty: from the start); pass next_cursor to read on "+
			"until more is false. Paged by %s.%s", repsly.PageSize, d.plural, ep.Cursor, d.note)
		s.input = hand(map[string]any{"cursor": str("next_cursor of the previous page; empty to start")})
		s.output = pageOf(d.row)
		s.example = `{"cursor":""}`
		return action(s, func(ctx context.Context, x *exec, in cursorInput) (any, error) {
			cur, err := parseCursor(in.Cursor)
			if err != nil {
				return nil, err
			}
			page, err := x.repsly.Export(ctx, d.endpoint, cur)
			if err != nil {
				return nil, err
			}
			return Page{Records: nonNil(page.Items), NextCursor: page.Next.String(), More: page.More}, nil
		})
	case repsly.CursorDateRange:
		s.desc = "Reads the " + d.plural + " between two dates (both inclusive), a week per request." + d.note
		s.input = hand(map[string]any{"from": date("first day, YYYY-MM-DD"), "to": date("last day, YYYY-MM-DD")}, "from", "to")
		s.output = recordsOf(d.row)
		s.example = `{"from":"2025-03-03","to":"2025-03-09"}`
		return action(s, func(ctx context.Context, x *exec, in rangeInput) (any, error) {
			from, err1 := time.Parse(time.DateOnly, in.From)
			to, err2 := time.Parse(time.DateOnly, in.To)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%w: from and to are dates like 2025-03-03", ErrInvalidInput)
			}
			rows, err := x.repsly.ExportRange(ctx, d.endpoint, from, to)
			return Records{nonNil(rows)}, err
		})
	}
	if d.endpoint == "export_pricelist_items" {
		s.desc = "Reads every item (product price) of one pricelist."
		s.input = hand(map[string]any{"PricelistID": map[string]any{"type": "integer", "minimum": 1}}, "PricelistID")
		s.output = recordsOf(d.row)
		s.example = `{"PricelistID":1}`
		return action(s, func(ctx context.Context, x *exec, in struct {
			PricelistID int64 `json:"PricelistID"`
		}) (any, error) {
			rows, err := pricelistItems(ctx, x.repsly, in.PricelistID)
			return Records{nonNil(rows)}, err
		})
	}
	s.desc = "Reads all " + d.plural + " in one request." + d.note
	s.output = recordsOf(d.row)
	return action(s, func(ctx context.Context, x *exec, _ struct{}) (any, error) {
		rows, err := x.repsly.ExportAll(ctx, d.endpoint)
		return Records{nonNil(rows)}, err
	})
}

// pricelistItems reads a pricelist's items and stamps each with its list.
func pricelistItems(ctx context.Context, c *repsly.Client, id int64) ([]json.RawMessage, error) {
	rows, err := c.ExportAll(ctx, "export_pricelist_items", strconv.FormatInt(id, 10))
	if err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, 0, len(rows))
	for _, r := range rows {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil {
			return nil, fmt.Errorf("pricelist item: %w", err)
		}
		m["PricelistID"] = json.RawMessage(strconv.FormatInt(id, 10))
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// parseCursor reads a list action's cursor ("" starts from the beginning).
func parseCursor(s string) (repsly.Cursor, error) {
	cur, err := repsly.ParseCursor(s)
	if err != nil {
		return repsly.Cursor{}, fmt.Errorf("%w: cursor: %v", ErrInvalidInput, err)
	}
	return cur, nil
}

func pageOf(row json.RawMessage) json.RawMessage {
	return wrap(row, func(item any) map[string]any {
		return map[string]any{"type": "object", "properties": map[string]any{
			"records":     map[string]any{"type": "array", "items": item},
			"next_cursor": map[string]any{"type": "string"},
			"more":        map[string]any{"type": "boolean"},
		}}
	})
}

func recordsOf(row json.RawMessage) json.RawMessage {
	return wrap(row, func(item any) map[string]any {
		return map[string]any{"type": "object", "properties": map[string]any{
			"records": map[string]any{"type": "array", "items": item}}}
	})
}

type codeInput struct {
	Code string `json:"Code"`
}
