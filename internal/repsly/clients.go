package repsly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ClientRecord is a Repsly client (a store, a "place") as exported; the
// name avoids a clash with the API Client. Code is its unique key;
// Territory levels are separated by ">" ("East>Boston").
type ClientRecord struct {
	ClientID           int64          `json:"ClientID"`
	TimeStamp          int64          `json:"TimeStamp"`
	Code               string         `json:"Code"`
	Name               string         `json:"Name"`
	Active             bool           `json:"Active"`
	Tag                string         `json:"Tag"`
	Territory          string         `json:"Territory"`
	RepresentativeCode string         `json:"RepresentativeCode"`
	RepresentativeName string         `json:"RepresentativeName"`
	StreetAddress      string         `json:"StreetAddress"`
	ZIP                string         `json:"ZIP"`
	ZIPExt             string         `json:"ZIPExt"`
	City               string         `json:"City"`
	State              string         `json:"State"`
	Country            string         `json:"Country"`
	Email              string         `json:"Email"`
	Phone              string         `json:"Phone"`
	Mobile             string         `json:"Mobile"`
	Website            string         `json:"Website"`
	ContactName        string         `json:"ContactName"`
	ContactTitle       string         `json:"ContactTitle"`
	Note               string         `json:"Note"`
	Status             string         `json:"Status"`
	CustomFields       []CustomField  `json:"CustomFields"`
	PriceLists         PriceListNames `json:"PriceLists"`
	AccountCode        string         `json:"AccountCode,omitempty"`
}

// CustomField is a {Field, Value} pair, used by clients, forms and audits.
type CustomField struct {
	Field string `json:"Field"`
	Value string `json:"Value"`
}

// PriceListNames holds the names of a client's price lists. Whether Repsly
// exports them as strings or as {"Name":...} objects is unconfirmed, so
// both are read; they are written as strings, the form imports take.
type PriceListNames []string

// UnmarshalJSON accepts ["a","b"], [{"Name":"a"}] and null.
func (p *PriceListNames) UnmarshalJSON(b []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return fmt.Errorf("repsly: PriceLists: %w", err)
	}
	if raws == nil {
		*p = nil
		return nil
	}
	names := make(PriceListNames, 0, len(raws))
	for _, r := range raws {
		var s string
		if json.Unmarshal(r, &s) == nil {
			names = append(names, s)
			continue
		}
		var o struct {
			Name string `json:"Name"`
		}
		if err := json.Unmarshal(r, &o); err != nil {
			return fmt.Errorf("repsly: PriceLists element: %w", err)
		}
		names = append(names, o.Name)
	}
	*p = names
	return nil
}

// ExportClients returns the clients changed after the cursor (a timestamp
// cursor; zero starts from the beginning). Edited clients come again.
func (c *Client) ExportClients(ctx context.Context, cursor Cursor) (Page[ClientRecord], error) {
	return exportPage[ClientRecord](ctx, c, "export_clients", cursor)
}

// GetClient returns one client by its Code, or an error wrapping
// ErrNotFound.
func (c *Client) GetClient(ctx context.Context, code string) (ClientRecord, error) {
	ep, err := endpoint("get_client")
	if err != nil {
		return ClientRecord{}, err
	}
	path, err := ep.expand(code)
	if err != nil {
		return ClientRecord{}, err
	}
	body, status, err := c.do(ctx, http.MethodGet, path, nil, false)
	if err != nil {
		return ClientRecord{}, err
	}
	fail := func(kind, cause error) error {
		return &Error{Method: http.MethodGet, Path: path, StatusCode: status, Kind: kind, Err: cause}
	}
	// The response shape is undocumented: take a Clients envelope if there
	// is one, else the body itself as the client.
	var probe map[string]json.RawMessage
	if err := decodeObject(body, &probe); err != nil {
		return ClientRecord{}, fail(ErrUnexpectedBody, err)
	}
	if _, ok := lookupKey(probe, ep.Envelope); ok {
		env, err := decodeEnvelope(body, ep.Envelope)
		if err != nil {
			return ClientRecord{}, fail(ErrUnexpectedBody, err)
		}
		items, _, err := decodeRows[ClientRecord](env.Rows, "", false)
		if err != nil {
			return ClientRecord{}, fail(ErrUnexpectedBody, err)
		}
		for _, it := range items {
			if strings.EqualFold(it.Code, code) {
				return it, nil
			}
		}
		return ClientRecord{}, fail(ErrNotFound, fmt.Errorf("no client with code %q", code))
	}
	var cl ClientRecord
	if err := json.Unmarshal(body, &cl); err != nil {
		return ClientRecord{}, fail(ErrUnexpectedBody, err)
	}
	if cl.Code == "" {
		return ClientRecord{}, fail(ErrNotFound, fmt.Errorf("no client with code %q", code))
	}
	return cl, nil
}

// ClientImport is a client as posted to import/client. Repsly upserts on
// Code: a new Code inserts, a known one updates. Code and Name are required.
//
// Empty strings are left out of the request, so an import never blanks a
// field it does not mention (whether Repsly would clear it is undocumented).
// PriceLists: nil leaves the client's price lists as they are, an empty
// non-nil slice detaches all (the docs flag that null and [] differ).
// Active: nil leaves it to Repsly (new clients start active); set it with
// Bool to activate or deactivate. There is no delete: deactivate instead.
type ClientImport struct {
	Code               string        `json:"Code"`
	Name               string        `json:"Name"`
	Active             *bool         `json:"Active,omitempty"`
	Tag                string        `json:"Tag,omitempty"`
	Territory          string        `json:"Territory,omitempty"`
	RepresentativeCode string        `json:"RepresentativeCode,omitempty"`
	StreetAddress      string        `json:"StreetAddress,omitempty"`
	ZIP                string        `json:"ZIP,omitempty"`
	ZIPExt             string        `json:"ZIPExt,omitempty"`
	City               string        `json:"City,omitempty"`
	State              string        `json:"State,omitempty"`
	Country            string        `json:"Country,omitempty"`
	Email              string        `json:"Email,omitempty"`
	Phone              string        `json:"Phone,omitempty"`
	Mobile             string        `json:"Mobile,omitempty"`
	Website            string        `json:"Website,omitempty"`
	ContactName        string        `json:"ContactName,omitempty"`
	ContactTitle       string        `json:"ContactTitle,omitempty"`
	Note               string        `json:"Note,omitempty"`
	Status             string        `json:"Status,omitempty"`
	AccountCode        string        `json:"AccountCode,omitempty"`
	CustomFields       []CustomField `json:"CustomFields,omitempty"`
	PriceLists         []string      `json:"PriceLists"`
	// Clear names text fields to blank: the import sends them as "".
	// Fields left empty otherwise are not sent, and an import leaves the
	// fields it is not given as they are.
	Clear []string `json:"-"`
}

// clearableClientFields are the text fields an import can blank (Code
// and Name are required).
var clearableClientFields = map[string]bool{"Tag": true, "Territory": true, "RepresentativeCode": true,
	"StreetAddress": true, "ZIP": true, "ZIPExt": true, "City": true, "State": true, "Country": true, "Email": true,
	"Phone": true, "Mobile": true, "Website": true, "ContactName": true, "ContactTitle": true, "Note": true,
	"Status": true, "AccountCode": true}

// CanClear reports whether field is a text field an import can blank.
func (ClientImport) CanClear(field string) bool { return clearableClientFields[field] }

// MarshalJSON writes the import, with the fields named in Clear as "".
func (ci ClientImport) MarshalJSON() ([]byte, error) {
	type plain ClientImport
	b, err := marshalPlain(plain(ci))
	if err != nil || len(ci.Clear) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for _, f := range ci.Clear {
		if !clearableClientFields[f] {
			return nil, fmt.Errorf("repsly: client field %q cannot be cleared by an import", f)
		}
		m[f] = json.RawMessage(`""`)
	}
	return marshalPlain(m)
}

// marshalPlain is json.Marshal without HTML escaping, as the client
// encodes request bodies ("East>Boston" stays as it is).
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Bool returns a pointer to b, for the optional Active fields of imports.
func Bool(b bool) *bool { return &b }

// ClientImportFrom turns an exported client into the import that rewrites
// it unchanged; change fields on the result to update only those.
func ClientImportFrom(cl ClientRecord) ClientImport {
	return ClientImport{
		Code: cl.Code, Name: cl.Name, Active: Bool(cl.Active), Tag: cl.Tag, Territory: cl.Territory,
		RepresentativeCode: cl.RepresentativeCode, StreetAddress: cl.StreetAddress, ZIP: cl.ZIP,
		ZIPExt: cl.ZIPExt, City: cl.City, State: cl.State, Country: cl.Country, Email: cl.Email,
		Phone: cl.Phone, Mobile: cl.Mobile, Website: cl.Website, ContactName: cl.ContactName,
		ContactTitle: cl.ContactTitle, Note: cl.Note, Status: cl.Status, AccountCode: cl.AccountCode,
		CustomFields: cl.CustomFields, PriceLists: cl.PriceLists,
	}
}

func (ci ClientImport) validate() error {
	if strings.TrimSpace(ci.Code) == "" || strings.TrimSpace(ci.Name) == "" {
		return fmt.Errorf("client %q: Code and Name are required: %w", ci.Code, ErrValidation)
	}
	return nil
}

// UpsertClients imports clients and waits for the job(s). One client goes
// through import/client; more go through import/clientList in batches of
// Options.ImportBatchSize. See ImportResult for the outcome.
func (c *Client) UpsertClients(ctx context.Context, clients []ClientImport) (ImportResult, error) {
	for _, ci := range clients {
		if err := ci.validate(); err != nil {
			return ImportResult{}, fmt.Errorf("repsly: upsert clients: %w", err)
		}
	}
	return runImport(ctx, c, "import_client", "import_clients", clients)
}

// DeactivateClient sets Active=false on the client with the given Code,
// Repsly's stand-in for deleting it. The current record is read first and
// written back whole, so no other field changes.
func (c *Client) DeactivateClient(ctx context.Context, code string) (ImportResult, error) {
	cl, err := c.GetClient(ctx, code)
	if err != nil {
		return ImportResult{}, fmt.Errorf("repsly: deactivate client %s: %w", code, err)
	}
	ci := ClientImportFrom(cl)
	ci.Active = Bool(false)
	res, err := c.UpsertClients(ctx, []ClientImport{ci})
	if err != nil && !errors.Is(err, ErrImportFailed) {
		return res, fmt.Errorf("repsly: deactivate client %s: %w", code, err)
	}
	return res, err
}

// cursorKey implements cursorKeyer: the clients export pages by
// TimeStamp. A row without one (zero) gives no key.
func (c *ClientRecord) cursorKey(field string) (rowKey, bool) {
	if field != "TimeStamp" {
		return rowKey{}, false
	}
	return rowKey{n: c.TimeStamp, ok: c.TimeStamp != 0}, true
}
