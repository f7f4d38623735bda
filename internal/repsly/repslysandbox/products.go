package repslysandbox

import (
	"net/http"
	"strconv"
)

// Product is a product as export/products returns it. The export page was
// not found; the fields come from the import doc and third-party code.
// Products are ID-paged, so an edited product is only seen again by a full
// re-pull from 0. Guess: the row carries its ID as ProductID (the name
// pricelist items use for it; the export table was not found), and
// Packaging is {"Codes":[...]}.
type Product struct {
	ProductID        int64            `json:"ProductID"`
	Code             string           `json:"Code"`
	Name             string           `json:"Name"`
	ProductGroupCode string           `json:"ProductGroupCode"`
	ProductGroupName string           `json:"ProductGroupName"`
	Active           bool             `json:"Active"`
	Tag              string           `json:"Tag"`
	UnitPrice        float64          `json:"UnitPrice"`
	EAN              string           `json:"EAN"`
	Note             string           `json:"Note"`
	ImageUrl         string           `json:"ImageUrl"`
	MasterProduct    string           `json:"MasterProduct"`
	Packaging        ProductPackaging `json:"Packaging"`
}

// ProductPackaging lists the package type codes a product comes in.
type ProductPackaging struct {
	Codes []string `json:"Codes"`
}

// Package is a package type (case, pallet...) imported with import/package.
// There is no export for package types.
type Package struct {
	Code       string `json:"Code"`
	Name       string `json:"Name"`
	Conversion int    `json:"Conversion"`
	Active     bool   `json:"Active"`
}

// Account is a place-account imported with import/account; clients refer to
// it by AccountCode. There is no export for accounts.
type Account struct {
	Code    string `json:"Code"`
	Name    string `json:"Name"`
	Active  bool   `json:"Active"`
	LogoUrl string `json:"LogoUrl"`
}

// ProductList is a named list of products, places and accounts maintained
// with import/productListEntity. There is no export for product lists.
type ProductList struct {
	Name     string
	Active   bool
	Products []string
	Places   []string
	Accounts []string
}

// Pricelist is a pricelist header as export/pricelists returns it.
// Guess: third-party code disagrees on the fields; ID, Name, IsDefault,
// Active and UsesPrices are served.
type Pricelist struct {
	ID         int64  `json:"ID"`
	Name       string `json:"Name"`
	IsDefault  bool   `json:"IsDefault"`
	Active     bool   `json:"Active"`
	UsesPrices bool   `json:"UsesPrices"`
}

// PricelistItem is a product price in a pricelist, as
// export/pricelistsItems/{pricelistID} returns it. Null dates and quantities
// mean "open". Guess: the dates are served in the WCF form like the other
// older exports.
type PricelistItem struct {
	ID                int64   `json:"ID"`
	ProductID         int64   `json:"ProductID"`
	ProductCode       string  `json:"ProductCode"`
	Price             float64 `json:"Price"`
	Active            bool    `json:"Active"`
	ClientID          string  `json:"ClientID"`
	ManufactureID     string  `json:"ManufactureID"`
	DateAvailableFrom Date    `json:"DateAvailableFrom"`
	DateAvailableTo   Date    `json:"DateAvailableTo"`
	MinQuantity       *int    `json:"MinQuantity"`
	MaxQuantity       *int    `json:"MaxQuantity"`

	pricelistID int64
}

// pricelistItemsKey is the array key of the pricelist items export.
// Guess: undocumented; third-party code tries both PricelistsItems and
// PricelistItems. The sandbox picks PricelistItems.
const pricelistItemsKey = "PricelistItems"

func (s *Server) pricelistByNameLocked(name string) *Pricelist {
	for _, p := range s.st.pricelists {
		if codeKey(p.Name) == codeKey(name) {
			return p
		}
	}
	return nil
}

// putProductLocked stores a new product or keeps the ID of a changed one.
// Callers hold s.mu.
func (s *Server) putProductLocked(p *Product) {
	if p.Packaging.Codes == nil {
		p.Packaging.Codes = []string{}
	}
	if p.ProductID == 0 {
		s.st.lastProductID++
		p.ProductID = s.st.lastProductID
		s.st.products.add(p)
		s.st.productsByCode[codeKey(p.Code)] = p
	}
}

func (s *Server) handleExportProducts(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "Products", s.st.products)
}

// handleExportPricelists serves export/pricelists (full list, no meta).
func (s *Server) handleExportPricelists(w http.ResponseWriter, r *http.Request, _ []string) {
	s.mu.RLock()
	rows := make([]Pricelist, len(s.st.pricelists))
	for i, p := range s.st.pricelists {
		rows[i] = *p
	}
	s.mu.RUnlock()
	writeEnvelope(w, nil, "Pricelists", rows)
}

// handleExportPricelistItems serves export/pricelistsItems/{pricelistID}.
// Guess: an unknown pricelist answers an empty list.
func (s *Server) handleExportPricelistItems(w http.ResponseWriter, r *http.Request, p []string) {
	id, err := strconv.ParseInt(p[0], 10, 64)
	if err != nil {
		writeRequestError(w, http.StatusBadRequest, "The pricelist ID must be a number.")
		return
	}
	s.mu.RLock()
	rows := []PricelistItem{}
	for _, it := range s.st.pricelistItems {
		if it.pricelistID == id {
			rows = append(rows, *it)
		}
	}
	s.mu.RUnlock()
	writeEnvelope(w, nil, pricelistItemsKey, rows)
}
