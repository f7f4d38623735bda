package repslysandbox

import (
	"fmt"
	"net/http"
)

// PurchaseOrder is a sales document as export/purchaseorders returns it.
// Guess: the line array is named Items (as on forms, where docs and code
// agree); one third-party client reads Item. DocumentStatusID is null when no
// status is set.
type PurchaseOrder struct {
	PurchaseOrderID              int64              `json:"PurchaseOrderID"`
	TransactionType              string             `json:"TransactionType"`
	DocumentTypeID               int64              `json:"DocumentTypeID"`
	DocumentTypeName             string             `json:"DocumentTypeName"`
	DocumentStatus               string             `json:"DocumentStatus"`
	DocumentStatusID             *int64             `json:"DocumentStatusID"`
	DocumentItemAttributeCaption string             `json:"DocumentItemAttributeCaption"`
	DateAndTime                  Date               `json:"DateAndTime"`
	DocumentNo                   string             `json:"DocumentNo"`
	ClientCode                   string             `json:"ClientCode"`
	ClientName                   string             `json:"ClientName"`
	DocumentDate                 Date               `json:"DocumentDate"`
	DueDate                      Date               `json:"DueDate"`
	RepresentativeCode           string             `json:"RepresentativeCode"`
	RepresentativeName           string             `json:"RepresentativeName"`
	Items                        []OrderItem        `json:"Items"`
	SignatureURL                 string             `json:"SignatureURL"`
	Note                         string             `json:"Note"`
	Taxable                      bool               `json:"Taxable"`
	VisitID                      int64              `json:"VisitID"`
	StreetAddress                string             `json:"StreetAddress"`
	ZIP                          string             `json:"ZIP"`
	ZIPExt                       string             `json:"ZIPExt"`
	City                         string             `json:"City"`
	State                        string             `json:"State"`
	Country                      string             `json:"Country"`
	CountryCode                  string             `json:"CountryCode"`
	OriginalDocumentNumber       string             `json:"OriginalDocumentNumber"`
	CustomFields                 []OrderCustomField `json:"CustomFields"`
}

// OrderItem is one line of a purchase order.
type OrderItem struct {
	LineNo                    int     `json:"LineNo"`
	ProductCode               string  `json:"ProductCode"`
	ProductName               string  `json:"ProductName"`
	UnitAmount                float64 `json:"UnitAmount"`
	UnitPrice                 float64 `json:"UnitPrice"`
	PackageTypeCode           string  `json:"PackageTypeCode"`
	PackageTypeName           string  `json:"PackageTypeName"`
	PackageTypeConversion     int     `json:"PackageTypeConversion"`
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

// OrderCustomField is a custom field of a sales document.
type OrderCustomField struct {
	CustomAttributeInfoID string `json:"CustomAttributeInfoID"`
	Title                 string `json:"Title"`
	Type                  string `json:"Type"`
	Value                 string `json:"Value"`
}

// RetailAudit is a shelf audit as export/retailaudits returns it.
type RetailAudit struct {
	RetailAuditID      int64         `json:"RetailAuditID"`
	RetailAuditName    string        `json:"RetailAuditName"`
	Cancelled          bool          `json:"Cancelled"`
	ClientCode         string        `json:"ClientCode"`
	ClientName         string        `json:"ClientName"`
	DateAndTime        Date          `json:"DateAndTime"`
	RepresentativeCode string        `json:"RepresentativeCode"`
	RepresentativeName string        `json:"RepresentativeName"`
	Items              []AuditItem   `json:"Items"`
	CustomFields       []CustomField `json:"CustomFields"`
	Note               string        `json:"Note"`
	VisitID            int64         `json:"VisitID"`
}

// AuditItem is one product line of a retail audit.
type AuditItem struct {
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
	Stock             int     `json:"Stock"`
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

// PricelistRef names a pricelist inside a document type.
type PricelistRef struct {
	PricelistID   int64  `json:"PricelistID"`
	PricelistName string `json:"PricelistName"`
}

func (s *Server) handleExportOrders(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "PurchaseOrders", s.st.orders)
}

func (s *Server) handleExportAudits(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "RetailAudits", s.st.audits)
}

// handleExportDocumentTypes serves export/documentTypes (full list; its doc
// page pastes the ID-paging text, but the path takes no cursor).
func (s *Server) handleExportDocumentTypes(w http.ResponseWriter, r *http.Request, _ []string) {
	s.mu.RLock()
	rows := append([]DocumentType{}, s.st.docTypes...)
	s.mu.RUnlock()
	writeEnvelope(w, nil, "DocumentTypes", rows)
}

// documentStatusUpdate is the body of the document status update.
type documentStatusUpdate struct {
	DocumentID       *int64 `json:"DocumentID"`
	DocumentStatusID *int64 `json:"DocumentStatusID"`
}

// handleDocumentStatus updates a sales document's status. It is synchronous
// and answers Code 1 on success and Code 0 on failure, the opposite of the
// import convention, as documented. Guess: the path was cut off in every
// source; the sandbox serves import/documentStatus and the generated spec's
// import/sales-document-status. Failures answer HTTP 400. The order is not
// re-exported (orders are ID-paged).
func (s *Server) handleDocumentStatus(w http.ResponseWriter, r *http.Request, _ []string) {
	body, ok := readImportBody(w, r)
	if !ok {
		return
	}
	var in documentStatusUpdate
	if err := decodeExact(body, &in); err != nil {
		writeRequestError(w, http.StatusBadRequest, "The request body could not be deserialized.")
		return
	}
	if in.DocumentID == nil {
		writeJSON(w, http.StatusBadRequest, Result{Code: 0, Message: "DocumentID is required."})
		return
	}
	s.mu.Lock()
	msg, ok := s.setDocumentStatusLocked(*in.DocumentID, in.DocumentStatusID)
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusBadRequest, Result{Code: 0, Message: msg})
		return
	}
	writeJSON(w, http.StatusOK, Result{Code: 1, Message: msg})
}

// setDocumentStatusLocked sets (or, with nil, clears) an order's status; the
// status must belong to the order's document type. Callers hold s.mu.
func (s *Server) setDocumentStatusLocked(docID int64, statusID *int64) (string, bool) {
	o, ok := s.st.orders.get(docID)
	if !ok {
		return fmt.Sprintf("Document with ID %d does not exist.", docID), false
	}
	if statusID == nil {
		o.DocumentStatusID, o.DocumentStatus = nil, ""
		return "Document status cleared.", true
	}
	for _, dt := range s.st.docTypes {
		if dt.DocumentTypeID != o.DocumentTypeID {
			continue
		}
		for _, st := range dt.Statuses {
			if st.DocumentStatusID == *statusID {
				id := *statusID
				o.DocumentStatusID, o.DocumentStatus = &id, st.DocumentStatusName
				return "Document status updated.", true
			}
		}
	}
	return fmt.Sprintf("Status %d does not belong to document type %d.", *statusID, o.DocumentTypeID), false
}
