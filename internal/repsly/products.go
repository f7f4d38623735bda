package repsly

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Product is a catalog product. The export page was not found; the fields
// come from the import docs and third-party code.
type Product struct {
	ProductID        int64     `json:"ProductID,omitempty"`
	Code             string    `json:"Code"`
	Name             string    `json:"Name"`
	ProductGroupCode string    `json:"ProductGroupCode"`
	ProductGroupName string    `json:"ProductGroupName"`
	Active           bool      `json:"Active"`
	Tag              string    `json:"Tag"`
	UnitPrice        float64   `json:"UnitPrice"`
	EAN              string    `json:"EAN"`
	Note             string    `json:"Note"`
	ImageURL         string    `json:"ImageUrl"`
	MasterProduct    Text      `json:"MasterProduct"`
	Packaging        Packaging `json:"Packaging"`
}

// Packaging lists a product's package type codes. On import, IsSet=true
// replaces the product's codes with Codes (which must already exist).
type Packaging struct {
	IsSet bool     `json:"IsSet,omitempty"`
	Codes []string `json:"Codes"`
}

// ExportProducts returns products after an ID cursor. Products are ID-paged,
// so edits to known products only show in a full re-pull from the zero
// cursor.
func (c *Client) ExportProducts(ctx context.Context, cursor Cursor) (Page[Product], error) {
	return exportPage[Product](ctx, c, "export_products", cursor)
}

// ProductImport is a product as posted to import/product; Code is the key,
// Code, Name and UnitPrice are required.
type ProductImport struct {
	Code               string            `json:"Code"`
	Name               string            `json:"Name"`
	UnitPrice          float64           `json:"UnitPrice"`
	ProductGroupCode   string            `json:"ProductGroupCode,omitempty"`
	ProductGroupName   string            `json:"ProductGroupName,omitempty"`
	Active             *bool             `json:"Active,omitempty"`
	Tag                string            `json:"Tag,omitempty"`
	EAN                string            `json:"EAN,omitempty"`
	Note               string            `json:"Note,omitempty"`
	ImageURL           string            `json:"ImageUrl,omitempty"`
	MasterProduct      string            `json:"MasterProduct,omitempty"`
	Packaging          *Packaging        `json:"Packaging,omitempty"`
	AdditionalBarcodes []string          `json:"AdditionalBarcodes,omitempty"`
	CustomAttributes   []CustomAttribute `json:"CustomAttributes,omitempty"`
}

// CustomAttribute is a product custom attribute on import.
type CustomAttribute struct {
	AttributeTitle string `json:"AttributeTitle"`
	Value          string `json:"Value"`
}

// ImportProducts upserts products and waits for the job(s).
func (c *Client) ImportProducts(ctx context.Context, products []ProductImport) (ImportResult, error) {
	for _, p := range products {
		if strings.TrimSpace(p.Code) == "" || strings.TrimSpace(p.Name) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import products: product %q: Code and Name are required: %w", p.Code, ErrValidation)
		}
	}
	return runImport(ctx, c, "import_product", "import_products", products)
}

// PackageImport is a package type as posted to import/package. The docs do
// not list its fields; these mirror the package fields of order lines.
type PackageImport struct {
	Code       string  `json:"Code"`
	Name       string  `json:"Name"`
	Conversion float64 `json:"Conversion,omitempty"`
	Active     *bool   `json:"Active,omitempty"`
}

// ImportPackages upserts package types and waits for the job(s).
func (c *Client) ImportPackages(ctx context.Context, packages []PackageImport) (ImportResult, error) {
	for _, p := range packages {
		if strings.TrimSpace(p.Code) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import packages: Code is required: %w", ErrValidation)
		}
	}
	return runImport(ctx, c, "import_package", "import_packages", packages)
}

// Pricelist is a pricelist header. One third-party client spells
// UsesPrices "UsePrices"; both are read.
type Pricelist struct {
	ID         int64  `json:"ID"`
	Name       string `json:"Name"`
	IsDefault  bool   `json:"IsDefault"`
	Active     bool   `json:"Active"`
	UsesPrices bool   `json:"UsesPrices"`
	UsePrices  bool   `json:"UsePrices,omitempty"`
}

// ExportPricelists returns all pricelist headers.
func (c *Client) ExportPricelists(ctx context.Context) ([]Pricelist, error) {
	items, err := exportList[Pricelist](ctx, c, "export_pricelists")
	for i := range items {
		items[i].UsesPrices = items[i].UsesPrices || items[i].UsePrices
	}
	return items, err
}

// PricelistItem is a product price in a pricelist. Nil availability dates
// and quantities mean "no limit".
type PricelistItem struct {
	ID                int64   `json:"ID"`
	ProductID         int64   `json:"ProductID"`
	ProductCode       string  `json:"ProductCode"`
	Price             float64 `json:"Price"`
	Active            bool    `json:"Active"`
	ClientID          string  `json:"ClientID"`
	ManufactureID     string  `json:"ManufactureID"`
	DateAvailableFrom Time    `json:"DateAvailableFrom"`
	DateAvailableTo   Time    `json:"DateAvailableTo"`
	MinQuantity       *int    `json:"MinQuantity"`
	MaxQuantity       *int    `json:"MaxQuantity"`
}

// ExportPricelistItems returns the items of one pricelist.
func (c *Client) ExportPricelistItems(ctx context.Context, pricelistID int64) ([]PricelistItem, error) {
	return exportList[PricelistItem](ctx, c, "export_pricelist_items", strconv.FormatInt(pricelistID, 10))
}

// PricelistItemImport is a price posted to import/pricelist, into a
// pricelist that must already exist. PricelistName, ProductCode and Price
// are required; availability dates are written as "2006-01-02".
type PricelistItemImport struct {
	PricelistName     string  `json:"PricelistName"`
	ProductCode       string  `json:"ProductCode"`
	Price             float64 `json:"Price"`
	Active            *bool   `json:"Active,omitempty"`
	ClientID          string  `json:"ClientID,omitempty"`
	ManufactureID     string  `json:"ManufactureID,omitempty"`
	DateAvailableFrom Time    `json:"DateAvailableFrom,omitzero"`
	DateAvailableTo   Time    `json:"DateAvailableTo,omitzero"`
	MinQuantity       *int    `json:"MinQuantity,omitempty"`
	MaxQuantity       *int    `json:"MaxQuantity,omitempty"`
}

// ImportPricelistItems upserts pricelist items and waits for the job(s).
func (c *Client) ImportPricelistItems(ctx context.Context, items []PricelistItemImport) (ImportResult, error) {
	norm := make([]PricelistItemImport, len(items))
	for i, it := range items {
		if strings.TrimSpace(it.PricelistName) == "" || strings.TrimSpace(it.ProductCode) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import pricelist items: PricelistName and ProductCode are required: %w", ErrValidation)
		}
		if !it.DateAvailableFrom.IsZero() {
			it.DateAvailableFrom.Layout = LayoutDate
		}
		if !it.DateAvailableTo.IsZero() {
			it.DateAvailableTo.Layout = LayoutDate
		}
		norm[i] = it
	}
	return runImport(ctx, c, "import_pricelist_item", "import_pricelist_items", norm)
}

// ProductListEntity is a product list posted to import/productListEntity,
// keyed by Name. Each member carries an Action, so a post may add or
// remove only some members.
type ProductListEntity struct {
	Name     string              `json:"Name"`
	Active   *bool               `json:"Active,omitempty"`
	Products []ProductListMember `json:"Products,omitempty"`
	Places   []ProductListMember `json:"Places,omitempty"`
	Accounts []ProductListMember `json:"Accounts,omitempty"`
}

// Product list member actions.
const (
	ActionAdd    = "Add"
	ActionRemove = "Remove"
)

// ProductListMember adds or removes one product, place (client) or account
// by Code. The element shape is not documented beyond Action.
type ProductListMember struct {
	Code   string `json:"Code"`
	Action string `json:"Action"`
}

// ImportProductLists posts product lists one at a time and waits for any
// job Repsly starts.
func (c *Client) ImportProductLists(ctx context.Context, lists []ProductListEntity) (ImportResult, error) {
	for _, l := range lists {
		if strings.TrimSpace(l.Name) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import product lists: Name is required: %w", ErrValidation)
		}
	}
	return runImport(ctx, c, "import_product_lists", "", lists)
}
