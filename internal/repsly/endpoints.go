package repsly

import (
	"fmt"
	"net/url"
	"strings"
)

// CursorKind is how an export pages.
type CursorKind int

// Cursor kinds.
const (
	// CursorNone: one call returns everything (or one record).
	CursorNone CursorKind = iota
	// CursorTimestamp: rows with TimeStamp above the cursor; the next cursor
	// is MetaCollectionResult.LastTimeStamp. Edited rows come again.
	CursorTimestamp
	// CursorID: rows with an ID above the cursor; the next cursor is
	// MetaCollectionResult.LastID. Only new rows ever come; edits do not.
	CursorID
	// CursorModified: visit realizations, ?modified=<ISO>&skip=<n>.
	CursorModified
	// CursorDateRange: a begin and end date in the path, no cursor.
	CursorDateRange
)

// String returns "none", "timestamp", "id", "modified" or "daterange".
func (k CursorKind) String() string {
	if names := [...]string{"none", "timestamp", "id", "modified", "daterange"}; k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return fmt.Sprintf("CursorKind(%d)", int(k))
}

// Endpoint describes one Repsly operation. The catalog generates actions and
// triggers from this table, and every call in this package finds its path
// here, so a wrong path is corrected in one place.
type Endpoint struct {
	// Name is the stable identifier, e.g. "export_clients".
	Name string
	// Method is GET for exports and POST for imports.
	Method string
	// Path is relative to the base URL with {placeholders}, e.g.
	// "export/clients/{lastTimestamp}". Placeholders are filled in order.
	Path string
	// Cursor is how the export pages (CursorNone for imports).
	Cursor CursorKind
	// Envelope is, for exports, the name of the response array
	// ("Clients"); for list imports, the key that wraps the posted array.
	Envelope string
	// EnvelopeAlt lists other array names accepted in responses where the
	// documentation is unsure.
	EnvelopeAlt []string
	// KeyField is the row field the cursor follows (TimeStamp, an ID field
	// or ModifiedUTC); empty when rows carry none.
	KeyField string
	// Async is true for imports that answer with a job id to poll.
	Async bool
	// Confirmed is true when official docs or live-tested code show the path.
	Confirmed bool
	// Note explains a guess.
	Note string
}

// Endpoints returns every operation the reference lists, exports first.
// The slice is new on every call; callers may modify it.
func Endpoints() []Endpoint {
	const (
		get  = "GET"
		post = "POST"
	)
	return []Endpoint{
		{Name: "get_client", Method: get, Path: "export/internal/client/{clientCode}", Envelope: "Clients", Confirmed: true,
			Note: "response shape undocumented: a Clients envelope or a bare client object are both accepted"},
		{Name: "export_clients", Method: get, Path: "export/clients/{lastTimestamp}", Cursor: CursorTimestamp,
			Envelope: "Clients", KeyField: "TimeStamp", Confirmed: true},
		{Name: "export_client_notes", Method: get, Path: "export/clientnotes/{lastClientNoteID}", Cursor: CursorID,
			Envelope: "ClientNotes", KeyField: "ClientNoteID", Confirmed: true},
		{Name: "export_visits", Method: get, Path: "export/visits/{lastTimestamp}", Cursor: CursorTimestamp,
			Envelope: "Visits", KeyField: "TimeStamp", Confirmed: true},
		{Name: "export_retail_audits", Method: get, Path: "export/retailaudits/{lastRetailAuditID}", Cursor: CursorID,
			Envelope: "RetailAudits", KeyField: "RetailAuditID", Confirmed: true},
		{Name: "export_purchase_orders", Method: get, Path: "export/purchaseorders/{lastDocumentID}", Cursor: CursorID,
			Envelope: "PurchaseOrders", KeyField: "PurchaseOrderID", Confirmed: true},
		{Name: "export_forms", Method: get, Path: "export/forms/{lastFormID}", Cursor: CursorID,
			Envelope: "Forms", KeyField: "FormID", Confirmed: true},
		{Name: "export_form_submissions", Method: get, Path: "export/formsWithMatrix/{lastFormID}", Cursor: CursorID,
			Envelope: "Submissions", KeyField: "Id",
			Note: "GUESS: path and cursor not captured from the readme (\"Forms with Matrix\"); only the Submissions array is documented"},
		{Name: "export_photos", Method: get, Path: "export/photos/{lastPhotoID}", Cursor: CursorID,
			Envelope: "Photos", KeyField: "PhotoID", Confirmed: true},
		{Name: "export_daily_working_time", Method: get, Path: "export/dailyworkingtime/{lastDailyWorkingTimeID}", Cursor: CursorID,
			Envelope: "DailyWorkingTime", KeyField: "DailyWorkingTimeID", Confirmed: true,
			Note: "the array name is singular in real responses"},
		{Name: "export_visit_schedules", Method: get, Path: "export/visitschedules/{beginDateTime}/{endDateTime}", Cursor: CursorDateRange,
			Envelope: "VisitSchedules", Confirmed: true,
			Note: "dates as YYYY-MM-DD; end date assumed inclusive; walked in 7-day windows as third-party clients do"},
		{Name: "export_visit_realizations", Method: get, Path: "export/visitrealizations?modified={modified}&skip={skip}", Cursor: CursorModified,
			Envelope: "VisitRealizations", KeyField: "ModifiedUTC", Confirmed: true,
			Note: "skip above 9500 is an error; advance modified instead"},
		{Name: "export_schedules", Method: get, Path: "export/schedules/{from}/{to}", Cursor: CursorDateRange,
			Envelope: "Schedules", Confirmed: true,
			Note: "GUESS: array name Schedules and YYYY-MM-DD dates (the readme rendered the path with both parameters empty)"},
		{Name: "export_representatives", Method: get, Path: "export/representatives",
			Envelope: "Representatives", Confirmed: true},
		{Name: "export_users", Method: get, Path: "export/users/{lastTimeStamp}", Cursor: CursorTimestamp,
			Envelope: "Users", KeyField: "TimeStamp", Confirmed: true,
			Note: "the documented User record has no TimeStamp field; paging follows LastTimeStamp only"},
		{Name: "export_products", Method: get, Path: "export/products/{lastProductID}", Cursor: CursorID,
			Envelope: "Products", KeyField: "ProductID", Confirmed: true,
			Note: "ID-paged: product edits are only seen by a full re-pull from 0; the row ID field name is a guess"},
		{Name: "export_pricelists", Method: get, Path: "export/pricelists",
			Envelope: "Pricelists", Confirmed: true},
		{Name: "export_pricelist_items", Method: get, Path: "export/pricelistsItems/{pricelistID}",
			Envelope: "PricelistItems", EnvelopeAlt: []string{"PricelistsItems", "Items"}, Confirmed: true,
			Note: "GUESS: array name unknown; PricelistItems, PricelistsItems and Items are accepted"},
		{Name: "export_document_types", Method: get, Path: "export/documentTypes",
			Envelope: "DocumentTypes", Confirmed: true},
		{Name: "import_status", Method: get, Path: "export/importStatus/{importJobID}", Confirmed: true,
			Note: "whether the status is wrapped in a key is undocumented; flat, wrapped and one-element arrays are accepted"},

		{Name: "import_client", Method: post, Path: "import/client", Async: true, Confirmed: true},
		{Name: "import_clients", Method: post, Path: "import/clientList", Envelope: "Clients", Async: true, Confirmed: true,
			Note: "GUESS: body {\"Clients\":[...]} by analogy with the documented {\"Users\":[...]}"},
		{Name: "import_account", Method: post, Path: "import/account", Async: true, Confirmed: true},
		{Name: "import_accounts", Method: post, Path: "import/accountList", Envelope: "Accounts", Async: true, Confirmed: true,
			Note: "GUESS: body wrapper key Accounts"},
		{Name: "import_product", Method: post, Path: "import/product", Async: true, Confirmed: true},
		{Name: "import_products", Method: post, Path: "import/productList", Envelope: "Products", Async: true, Confirmed: true,
			Note: "GUESS: body wrapper key Products"},
		{Name: "import_package", Method: post, Path: "import/package", Async: true, Confirmed: true,
			Note: "GUESS: package fields (Code, Name, Conversion) inferred from purchase order lines"},
		{Name: "import_packages", Method: post, Path: "import/packageList", Envelope: "Packages", Async: true, Confirmed: true,
			Note: "GUESS: body wrapper key Packages"},
		{Name: "import_pricelist_item", Method: post, Path: "import/pricelist", Async: true, Confirmed: true,
			Note: "one item into an existing pricelist"},
		{Name: "import_pricelist_items", Method: post, Path: "import/pricelistItemList", Envelope: "PricelistItems", Async: true, Confirmed: true,
			Note: "GUESS: body wrapper key PricelistItems"},
		{Name: "import_schedule", Method: post, Path: "import/schedule", Async: true, Confirmed: true,
			Note: "one schedule per call; Active=false deletes the schedule"},
		{Name: "import_user", Method: post, Path: "import/user", Confirmed: true,
			Note: "synchronous: answers with a Summary, no job"},
		{Name: "import_users", Method: post, Path: "import/userList", Envelope: "Users",
			Note: "GUESS: path not captured (\"User list\"); the {\"Users\":[...]} body is documented; assumed synchronous like import/user"},
		{Name: "import_product_lists", Method: post, Path: "import/productListEntity", Async: true, Confirmed: true,
			Note: "sync or async undocumented: a job id in the answer is polled, otherwise Code 0 is success"},
		{Name: "update_document_status", Method: post, Path: "import/documentStatus",
			Note: "GUESS: the help page cuts the path off after \"Pa\"; the generated spec's import/sales-document-status is a guess too. Answer Code 1 = success"},
	}
}

// EndpointByName returns the endpoint with the given Name.
func EndpointByName(name string) (Endpoint, bool) {
	for _, e := range Endpoints() {
		if e.Name == name {
			return e, true
		}
	}
	return Endpoint{}, false
}

// endpoint looks up a name used by this package's own methods; a miss is a
// programming error caught by the table tests, reported as an error rather
// than a panic.
func endpoint(name string) (Endpoint, error) {
	e, ok := EndpointByName(name)
	if !ok {
		return Endpoint{}, fmt.Errorf("repsly: unknown endpoint %q", name)
	}
	return e, nil
}

// expand fills the path's placeholders in order: path segments are
// path-escaped, query values query-escaped.
func (e Endpoint) expand(values ...string) (string, error) {
	var b strings.Builder
	rest := e.Path
	inQuery := false
	for _, v := range values {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			return "", fmt.Errorf("repsly: %s: too many path values", e.Name)
		}
		b.WriteString(rest[:i])
		if strings.Contains(rest[:i], "?") {
			inQuery = true
		}
		if inQuery {
			b.WriteString(url.QueryEscape(v))
		} else {
			b.WriteString(url.PathEscape(v))
		}
		rest = rest[j+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		return "", fmt.Errorf("repsly: %s: missing path values", e.Name)
	}
	b.WriteString(rest)
	return b.String(), nil
}
