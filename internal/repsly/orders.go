package repsly

import (
	"context"
	"encoding/json"
	"fmt"
)

// PurchaseOrder is a sales document (TransactionType "PurchaseOrder" and
// other document types). DocumentStatusID is nil when no status is set.
type PurchaseOrder struct {
	PurchaseOrderID              int64                 `json:"PurchaseOrderID"`
	TransactionType              string                `json:"TransactionType"`
	DocumentTypeID               int64                 `json:"DocumentTypeID"`
	DocumentTypeName             string                `json:"DocumentTypeName"`
	DocumentStatus               string                `json:"DocumentStatus"`
	DocumentStatusID             *int64                `json:"DocumentStatusID"`
	DocumentItemAttributeCaption string                `json:"DocumentItemAttributeCaption"`
	DateAndTime                  Time                  `json:"DateAndTime"`
	DocumentNo                   string                `json:"DocumentNo"`
	ClientCode                   string                `json:"ClientCode"`
	ClientName                   string                `json:"ClientName"`
	DocumentDate                 Time                  `json:"DocumentDate"`
	DueDate                      Time                  `json:"DueDate"`
	RepresentativeCode           string                `json:"RepresentativeCode"`
	RepresentativeName           string                `json:"RepresentativeName"`
	Items                        []PurchaseOrderItem   `json:"Items"`
	SignatureURL                 string                `json:"SignatureURL"`
	Note                         string                `json:"Note"`
	Taxable                      bool                  `json:"Taxable"`
	VisitID                      int64                 `json:"VisitID"`
	StreetAddress                string                `json:"StreetAddress"`
	ZIP                          string                `json:"ZIP"`
	ZIPExt                       string                `json:"ZIPExt"`
	City                         string                `json:"City"`
	State                        string                `json:"State"`
	Country                      string                `json:"Country"`
	CountryCode                  string                `json:"CountryCode"`
	OriginalDocumentNumber       string                `json:"OriginalDocumentNumber"`
	CustomFields                 []DocumentCustomField `json:"CustomFields"`
}

// UnmarshalJSON also reads the lines from "Item": whether the array is
// called Items or Item is unverified.
func (p *PurchaseOrder) UnmarshalJSON(b []byte) error {
	type plain PurchaseOrder
	var w struct {
		plain
		Item []PurchaseOrderItem `json:"Item"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = PurchaseOrder(w.plain)
	if len(p.Items) == 0 && len(w.Item) > 0 {
		p.Items = w.Item
	}
	return nil
}

// PurchaseOrderItem is one line of a PurchaseOrder.
type PurchaseOrderItem struct {
	LineNo                    int     `json:"LineNo"`
	ProductCode               string  `json:"ProductCode"`
	ProductName               string  `json:"ProductName"`
	UnitAmount                float64 `json:"UnitAmount"`
	UnitPrice                 float64 `json:"UnitPrice"`
	PackageTypeCode           string  `json:"PackageTypeCode"`
	PackageTypeName           string  `json:"PackageTypeName"`
	PackageTypeConversion     float64 `json:"PackageTypeConversion"`
	Quantity                  float64 `json:"Quantity"`
	Amount                    float64 `json:"Amount"`
	DiscountAmount            float64 `json:"DiscountAmount"`
	DiscountPercent           float64 `json:"DiscountPercent"`
	TaxAmount                 float64 `json:"TaxAmount"`
	TaxPercent                float64 `json:"TaxPercent"`
	TotalAmount               float64 `json:"TotalAmount"`
	Note                      string  `json:"Note"`
	DocumentItemAttributeName string  `json:"DocumentItemAttributeName"`
	DocumentItemAttributeID   *int64  `json:"DocumentItemAttributeID"`
}

// DocumentCustomField is a custom field of a sales document.
type DocumentCustomField struct {
	CustomAttributeInfoID string `json:"CustomAttributeInfoID"`
	Title                 string `json:"Title"`
	Type                  string `json:"Type"`
	Value                 Text   `json:"Value"`
}

// ExportPurchaseOrders returns the sales documents after an ID cursor. Only
// new documents come; status changes are not delivered again.
func (c *Client) ExportPurchaseOrders(ctx context.Context, cursor Cursor) (Page[PurchaseOrder], error) {
	return exportPage[PurchaseOrder](ctx, c, "export_purchase_orders", cursor)
}

// RetailAudit is a shelf audit at a client.
type RetailAudit struct {
	RetailAuditID      int64             `json:"RetailAuditID"`
	RetailAuditName    string            `json:"RetailAuditName"`
	Cancelled          bool              `json:"Cancelled"`
	ClientCode         string            `json:"ClientCode"`
	ClientName         string            `json:"ClientName"`
	DateAndTime        Time              `json:"DateAndTime"`
	RepresentativeCode string            `json:"RepresentativeCode"`
	RepresentativeName string            `json:"RepresentativeName"`
	Items              []RetailAuditItem `json:"Items"`
	CustomFields       []CustomField     `json:"CustomFields"`
	Note               string            `json:"Note"`
	VisitID            int64             `json:"VisitID"`
}

// RetailAuditItem is one product line of a RetailAudit.
type RetailAuditItem struct {
	ProductGroupCode  string  `json:"ProductGroupCode"`
	ProductGroupName  string  `json:"ProductGroupName"`
	ProductCode       string  `json:"ProductCode"`
	ProductName       string  `json:"ProductName"`
	Present           bool    `json:"Present"`
	Price             float64 `json:"Price"`
	Promotion         bool    `json:"Promotion"`
	ShelfShare        float64 `json:"ShelfShare"`
	ShelfSharePercent float64 `json:"ShelfSharePercent"`
	SoldOut           bool    `json:"SoldOut"`
	Stock             float64 `json:"Stock"`
}

// ExportRetailAudits returns the retail audits after an ID cursor.
func (c *Client) ExportRetailAudits(ctx context.Context, cursor Cursor) (Page[RetailAudit], error) {
	return exportPage[RetailAudit](ctx, c, "export_retail_audits", cursor)
}

// DocumentType is a sales document type with its statuses and pricelists.
type DocumentType struct {
	DocumentTypeID   int64            `json:"DocumentTypeID"`
	DocumentTypeName string           `json:"DocumentTypeName"`
	Statuses         []DocumentStatus `json:"Statuses"`
	Pricelists       []PricelistRef   `json:"Pricelists"`
}

// DocumentStatus is one status a document type allows.
type DocumentStatus struct {
	DocumentStatusID   int64  `json:"DocumentStatusID"`
	DocumentStatusName string `json:"DocumentStatusName"`
}

// PricelistRef names a pricelist a document type uses.
type PricelistRef struct {
	PricelistID   int64  `json:"PricelistID"`
	PricelistName string `json:"PricelistName"`
}

// ExportDocumentTypes returns all document types.
func (c *Client) ExportDocumentTypes(ctx context.Context) ([]DocumentType, error) {
	return exportList[DocumentType](ctx, c, "export_document_types")
}

// UpdateDocumentStatus sets a sales document's status; statusID nil clears
// it. The status must belong to the document's type (see
// ExportDocumentTypes). Unlike imports, this answer's Code 1 means success
// and 0 failure; a failure wraps ErrImportFailed with Repsly's message.
func (c *Client) UpdateDocumentStatus(ctx context.Context, documentID int64, statusID *int64) error {
	body := struct {
		DocumentID       int64  `json:"DocumentID"`
		DocumentStatusID *int64 `json:"DocumentStatusID"`
	}{documentID, statusID}
	ack, err := c.StartImport(ctx, "update_document_status", body)
	if err != nil {
		return err
	}
	if ack.Code != 1 {
		return &ImportError{Endpoint: "update_document_status",
			Reasons: []string{fmt.Sprintf("code %d: %s", ack.Code, ack.Message)}}
	}
	return nil
}
