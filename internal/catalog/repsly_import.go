package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// importNote is said of every Repsly import.
const importNote = " Repsly runs imports as asynchronous jobs: the action waits for the job and returns its row counts, " +
	"warnings and errors; a failed job is an error naming the rows."

// importDef describes one import endpoint as an action.
type importDef struct {
	endpoint, id, title, desc, example string
	input                              json.RawMessage
	// decode turns the validated input into the records to post.
	decode func(json.RawMessage) ([]json.RawMessage, error)
}

func repslyImportActions() []*Entry {
	defs := []importDef{
		single[repsly.ClientImport]("import_client", "repsly.client.upsert", "Create or update client",
			"Creates the client with this Code, or updates it when the Code exists (Repsly upserts on Code). Fields left out keep "+
				"their values; PriceLists [] detaches all. There is no delete: deactivate with Active=false or repsly.client.deactivate.",
			[]string{"Code", "Name"}, `{"Code":"C-1001","Name":"Corner Market","City":"Boston","Email":"buyer@corner.example","Active":true}`),
		many[repsly.ClientImport]("import_clients", "repsly.client.upsert_many", "Create or update many clients", "Clients",
			"Upserts many clients by Code in batches of 50 per import job.", []string{"Code", "Name"},
			`{"Clients":[{"Code":"C-1001","Name":"Corner Market"},{"Code":"C-1002","Name":"Main St Deli"}]}`),
		single[repsly.AccountImport]("import_account", "repsly.account.upsert", "Create or update account",
			"Upserts a place-account (a chain or head office) by Code; clients refer to it by AccountCode. Repsly has no account export.",
			[]string{"Code", "Name"}, `{"Code":"ACME","Name":"Acme Stores"}`),
		many[repsly.AccountImport]("import_accounts", "repsly.account.upsert_many", "Create or update many accounts", "Accounts",
			"Upserts many place-accounts by Code.", []string{"Code", "Name"}, `{"Accounts":[{"Code":"ACME","Name":"Acme Stores"}]}`),
		single[repsly.ProductImport]("import_product", "repsly.product.upsert", "Create or update product",
			"Upserts a product by Code; Code, Name and UnitPrice are required. Deactivate with Active=false: products cannot be deleted.",
			[]string{"Code", "Name", "UnitPrice"}, `{"Code":"SKU-1","Name":"Sparkling water 12x0.5l","UnitPrice":9.5,"ProductGroupCode":"DRINKS","ProductGroupName":"Drinks"}`),
		many[repsly.ProductImport]("import_products", "repsly.product.upsert_many", "Create or update many products", "Products",
			"Upserts many products by Code.", []string{"Code", "Name", "UnitPrice"}, `{"Products":[{"Code":"SKU-1","Name":"Sparkling water","UnitPrice":9.5}]}`),
		single[repsly.PackageImport]("import_package", "repsly.package.upsert", "Create or update package type",
			"Upserts a package type (case, pallet) by Code; products list the package codes they come in. The field list is inferred "+
				"from order lines, as Repsly does not document it. Repsly has no package export.",
			[]string{"Code", "Name"}, `{"Code":"CASE12","Name":"Case of 12","Conversion":12}`),
		many[repsly.PackageImport]("import_packages", "repsly.package.upsert_many", "Create or update many package types", "Packages",
			"Upserts many package types by Code.", []string{"Code", "Name"}, `{"Packages":[{"Code":"CASE12","Name":"Case of 12","Conversion":12}]}`),
		single[repsly.PricelistItemImport]("import_pricelist_item", "repsly.pricelist_item.upsert", "Set a product price in a pricelist",
			"Sets a product's price in an existing pricelist (by name), optionally for one client or a date range and quantity band.",
			[]string{"PricelistName", "ProductCode", "Price"}, `{"PricelistName":"Retail","ProductCode":"SKU-1","Price":8.9}`),
		many[repsly.PricelistItemImport]("import_pricelist_items", "repsly.pricelist_item.upsert_many", "Set many pricelist prices", "PricelistItems",
			"Sets many product prices in existing pricelists.", []string{"PricelistName", "ProductCode", "Price"},
			`{"PricelistItems":[{"PricelistName":"Retail","ProductCode":"SKU-1","Price":8.9}]}`),
		single[repsly.ScheduleImport]("import_schedule", "repsly.schedule.upsert", "Create or update visit schedule",
			"Plans a visit of a rep (UserID is the rep's code) at a client on a date, once (RepeatEveryWeeks 0) or every N weeks; "+
				"an existing ScheduleCode is updated, an empty one lets Repsly generate it. Active=false deletes the schedule.",
			[]string{"ClientCode", "UserID", "ScheduledDate", "RepeatEveryWeeks"},
			`{"ClientCode":"C-1001","UserID":"REP-1","ScheduledDate":"2025-03-04","ScheduledTime":"10:30","RepeatEveryWeeks":0,"VisitNote":"Bring the spring catalogue"}`),
		single[repsly.UserImport]("import_user", "repsly.user.upsert", "Create or update user",
			"Upserts a back-office or field user by Code (Code, Name and Email required). Synchronous: the answer carries the "+
				"outcome. Deactivate with Active=false; users cannot be deleted.",
			[]string{"Code", "Name", "Email"}, `{"Code":"REP-9","Name":"Jo Field","Email":"jo@field.example","Role":"Representative"}`),
		many[repsly.UserImport]("import_users", "repsly.user.upsert_many", "Create or update many users", "Users",
			"Upserts many users by Code in one synchronous request. The path of this import is not confirmed by Repsly's documentation.",
			[]string{"Code", "Name", "Email"}, `{"Users":[{"Code":"REP-9","Name":"Jo Field","Email":"jo@field.example"}]}`),
		single[repsly.ProductListEntity]("import_product_lists", "repsly.product_list.upsert", "Change a product list",
			"Creates or changes a product list by Name, adding or removing products, places (clients) and accounts one by one "+
				"(each member carries Action Add or Remove). Repsly has no product list export.",
			[]string{"Name"}, `{"Name":"Summer range","Products":[{"Code":"SKU-1","Action":"Add"}],"Places":[{"Code":"C-1001","Action":"Add"}]}`),
	}
	out := make([]*Entry, 0, len(defs)+1)
	for _, d := range defs {
		decode := d.decode
		endpoint := d.endpoint
		out = append(out, action(spec{id: d.id, app: AppRepsly, title: d.title, desc: d.desc + importNote,
			ops: []string{d.endpoint}, input: d.input, output: outputOf[repsly.ImportResult](), example: d.example},
			func(ctx context.Context, x *exec, in json.RawMessage) (any, error) {
				records, err := decode(in)
				if err != nil {
					return nil, err
				}
				return x.repsly.Import(ctx, endpoint, records)
			}))
	}
	out = append(out, action(spec{id: "repsly.purchase_order.set_status", app: AppRepsly, title: "Set sales document status",
		desc: "Sets the status of a sales document (purchase order); the status must belong to the document's type " +
			"(see repsly.document_type.list), and null clears it. The path of this call is not confirmed by Repsly's documentation.",
		ops: []string{"update_document_status"},
		input: hand(map[string]any{"DocumentID": map[string]any{"type": "integer", "minimum": 1},
			"DocumentStatusID": map[string]any{"type": []string{"integer", "null"}}}, "DocumentID", "DocumentStatusID"),
		output: outputOf[OK](), example: `{"DocumentID":5501,"DocumentStatusID":2}`},
		func(ctx context.Context, x *exec, in struct {
			DocumentID       int64  `json:"DocumentID"`
			DocumentStatusID *int64 `json:"DocumentStatusID"`
		}) (any, error) {
			return OK{true}, x.repsly.UpdateDocumentStatus(ctx, in.DocumentID, in.DocumentStatusID)
		}))
	return out
}

// single makes an import of one record of type T given as the input.
func single[T any](endpoint, id, title, desc string, required []string, example string) importDef {
	return importDef{endpoint: endpoint, id: id, title: title, desc: desc, example: example,
		input: schemaOf[T](required),
		decode: func(raw json.RawMessage) ([]json.RawMessage, error) {
			rec, err := normalize[T](raw)
			if err != nil {
				return nil, err
			}
			return []json.RawMessage{rec}, nil
		}}
}

// many makes an import of a list of T given under key.
func many[T any](endpoint, id, title, key, desc string, required []string, example string) importDef {
	item := schemaOf[T](required)
	return importDef{endpoint: endpoint, id: id, title: title, desc: desc, example: example,
		input: wrap(item, func(it any) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": false, "required": []string{key},
				"properties": map[string]any{key: map[string]any{"type": "array", "minItems": 1, "items": it,
					"description": "records, each like the input of " + strings.TrimSuffix(id, "_many")}}}
		}),
		decode: func(raw json.RawMessage) ([]json.RawMessage, error) {
			var in map[string][]json.RawMessage
			if err := json.Unmarshal(raw, &in); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
			}
			out := make([]json.RawMessage, 0, len(in[key]))
			for _, r := range in[key] {
				rec, err := normalize[T](r)
				if err != nil {
					return nil, err
				}
				out = append(out, rec)
			}
			return out, nil
		}}
}

// normalize decodes a record into the client's import type and encodes it
// back, so empty fields are left out and dates take the layout Repsly wants.
func normalize[T any](raw json.RawMessage) (json.RawMessage, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	return b, nil
}
