package repslysandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// productInput is an imported product (key Code; Code, Name and UnitPrice
// required). Packaging.IsSet=true replaces the package codes, which must
// already exist.
type productInput struct {
	Code               *string   `json:"Code"`
	Name               *string   `json:"Name"`
	ProductGroupCode   *string   `json:"ProductGroupCode"`
	ProductGroupName   *string   `json:"ProductGroupName"`
	Active             *bool     `json:"Active"`
	Tag                *string   `json:"Tag"`
	UnitPrice          *float64  `json:"UnitPrice"`
	EAN                *string   `json:"EAN"`
	Note               *string   `json:"Note"`
	ImageUrl           *string   `json:"ImageUrl"`
	MasterProduct      *string   `json:"MasterProduct"`
	AdditionalBarcodes *[]string `json:"AdditionalBarcodes"`
	Packaging          *struct {
		IsSet bool     `json:"IsSet"`
		Codes []string `json:"Codes"`
	} `json:"Packaging"`
	CustomAttributes *[]struct {
		AttributeTitle string `json:"AttributeTitle"`
		Value          string `json:"Value"`
	} `json:"CustomAttributes"`
}

func (s *Server) applyProductLocked(in *productInput, i int, res *rowResult) {
	id := rowID(deref(in.Code), i)
	bad := false
	failIf := func(cond bool, field, msg string) {
		if cond {
			res.fail(id, field, msg)
			bad = true
		}
	}
	if msg := checkCode(in.Code, 20); msg != "" {
		failIf(true, "Code", msg)
	}
	failIf(in.Name == nil || strings.TrimSpace(*in.Name) == "", "Name", "Name is required.")
	failIf(tooLong(in.Name, 80), "Name", "Name is longer than 80 characters.")
	failIf(in.UnitPrice == nil, "UnitPrice", "UnitPrice is required.")
	failIf(in.UnitPrice != nil && *in.UnitPrice < 0, "UnitPrice", "UnitPrice must not be negative.")
	failIf(tooLong(in.EAN, 20), "EAN", "EAN is longer than 20 characters.")
	failIf(tooLong(in.Note, 1000), "Note", "Note is longer than 1000 characters.")
	if in.Packaging != nil && in.Packaging.IsSet {
		for _, code := range in.Packaging.Codes {
			_, ok := s.st.packages[codeKey(code)]
			failIf(!ok, "Packaging", fmt.Sprintf("Package type '%s' does not exist.", code))
		}
	}
	if bad {
		return
	}
	p, existing := s.st.productsByCode[codeKey(*in.Code)]
	if !existing {
		p = &Product{Code: *in.Code, Active: true}
	}
	p.Name, p.UnitPrice = *in.Name, *in.UnitPrice
	setStr(&p.ProductGroupCode, in.ProductGroupCode)
	setStr(&p.ProductGroupName, in.ProductGroupName)
	setStr(&p.Tag, in.Tag)
	setStr(&p.EAN, in.EAN)
	setStr(&p.Note, in.Note)
	setStr(&p.ImageUrl, in.ImageUrl)
	setStr(&p.MasterProduct, in.MasterProduct)
	if in.Active != nil {
		p.Active = *in.Active
	}
	if in.Packaging != nil && in.Packaging.IsSet {
		p.Packaging.Codes = append([]string{}, in.Packaging.Codes...)
	}
	s.putProductLocked(p)
	countRow(res, existing)
}

// packageInput is an imported package type. Guess: the fields beyond Code
// and Name are not documented; Conversion mirrors PackageTypeConversion on
// order lines.
type packageInput struct {
	Code       *string `json:"Code"`
	Name       *string `json:"Name"`
	Conversion *int    `json:"Conversion"`
	Active     *bool   `json:"Active"`
}

func (s *Server) applyPackageLocked(in *packageInput, i int, res *rowResult) {
	id := rowID(deref(in.Code), i)
	if msg := checkCode(in.Code, 45); msg != "" {
		res.fail(id, "Code", msg)
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" || tooLong(in.Name, 40) {
		res.fail(id, "Name", "Name is required and at most 40 characters.")
		return
	}
	p, existing := s.st.packages[codeKey(*in.Code)]
	if !existing {
		p = &Package{Code: *in.Code, Active: true, Conversion: 1}
		s.st.packages[codeKey(p.Code)] = p
	}
	p.Name = *in.Name
	if in.Conversion != nil {
		p.Conversion = *in.Conversion
	}
	if in.Active != nil {
		p.Active = *in.Active
	}
	countRow(res, existing)
}

// accountInput is an imported place-account (key Code).
type accountInput struct {
	Code    *string `json:"Code"`
	Name    *string `json:"Name"`
	Active  *bool   `json:"Active"`
	LogoUrl *string `json:"LogoUrl"`
}

func (s *Server) applyAccountLocked(in *accountInput, i int, res *rowResult) {
	id := rowID(deref(in.Code), i)
	if msg := checkCode(in.Code, 50); msg != "" {
		res.fail(id, "Code", msg)
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		res.fail(id, "Name", "Name is required.")
		return
	}
	a, existing := s.st.accounts[codeKey(*in.Code)]
	if !existing {
		a = &Account{Code: *in.Code, Active: true}
		s.st.accounts[codeKey(a.Code)] = a
	}
	a.Name = *in.Name
	setStr(&a.LogoUrl, in.LogoUrl)
	if in.Active != nil {
		a.Active = *in.Active
	}
	countRow(res, existing)
}

// pricelistItemInput is one item of import/pricelist (PricelistName,
// ProductCode and Price required; the pricelist must exist). Guess: items
// are keyed by pricelist, product and ClientID.
type pricelistItemInput struct {
	PricelistName     *string  `json:"PricelistName"`
	ProductCode       *string  `json:"ProductCode"`
	Price             *float64 `json:"Price"`
	Active            *bool    `json:"Active"`
	ClientID          *string  `json:"ClientID"`
	ManufactureID     *string  `json:"ManufactureID"`
	DateAvailableFrom *string  `json:"DateAvailableFrom"`
	DateAvailableTo   *string  `json:"DateAvailableTo"`
	MinQuantity       *int     `json:"MinQuantity"`
	MaxQuantity       *int     `json:"MaxQuantity"`
}

func (s *Server) applyPricelistItemLocked(in *pricelistItemInput, i int, res *rowResult) {
	id := rowID(deref(in.ProductCode), i)
	var pl *Pricelist
	if in.PricelistName == nil || *in.PricelistName == "" {
		res.fail(id, "PricelistName", "PricelistName is required.")
		return
	}
	if pl = s.pricelistByNameLocked(*in.PricelistName); pl == nil {
		res.fail(id, "PricelistName", fmt.Sprintf("Pricelist '%s' does not exist.", *in.PricelistName))
		return
	}
	if in.ProductCode == nil || *in.ProductCode == "" {
		res.fail(id, "ProductCode", "ProductCode is required.")
		return
	}
	prod, ok := s.st.productsByCode[codeKey(*in.ProductCode)]
	if !ok {
		res.fail(id, "ProductCode", fmt.Sprintf("Product '%s' does not exist.", *in.ProductCode))
		return
	}
	if in.Price == nil {
		res.fail(id, "Price", "Price is required.")
		return
	}
	var from, to time.Time
	for _, d := range []struct {
		name string
		v    *string
		t    *time.Time
	}{{"DateAvailableFrom", in.DateAvailableFrom, &from}, {"DateAvailableTo", in.DateAvailableTo, &to}} {
		if d.v == nil || *d.v == "" {
			continue
		}
		t, err := time.Parse(dayLayout, *d.v)
		if err != nil {
			res.fail(id, d.name, d.name+" must be a date like 2024-01-31.")
			return
		}
		*d.t = t
	}
	var it *PricelistItem
	for _, x := range s.st.pricelistItems {
		if x.pricelistID == pl.ID && x.ProductID == prod.ProductID && x.ClientID == deref(in.ClientID) {
			it = x
		}
	}
	existing := it != nil
	if !existing {
		s.st.lastPricelistItemID++
		it = &PricelistItem{ID: s.st.lastPricelistItemID, ProductID: prod.ProductID, ProductCode: prod.Code,
			ClientID: deref(in.ClientID), Active: true, pricelistID: pl.ID}
		s.st.pricelistItems = append(s.st.pricelistItems, it)
	}
	it.Price = *in.Price
	setStr(&it.ManufactureID, in.ManufactureID)
	it.DateAvailableFrom, it.DateAvailableTo = Date{from}, Date{to}
	it.MinQuantity, it.MaxQuantity = in.MinQuantity, in.MaxQuantity
	if in.Active != nil {
		it.Active = *in.Active
	}
	countRow(res, existing)
}

// productListInput is one import/productListEntity record. Guess: the member
// lists are [{"Code":..., "Action":"Add"|"Remove"}]; the docs name the
// actions but the element shape was not captured.
type productListInput struct {
	Name     *string            `json:"Name"`
	Active   *bool              `json:"Active"`
	Products []productListEntry `json:"Products"`
	Places   []productListEntry `json:"Places"`
	Accounts []productListEntry `json:"Accounts"`
}

type productListEntry struct {
	Code   string `json:"Code"`
	Action string `json:"Action"`
}

func (s *Server) applyProductListLocked(in *productListInput, i int, res *rowResult) {
	id := rowID(deref(in.Name), i)
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		res.fail(id, "Name", "Name is required.")
		return
	}
	for _, group := range [][]productListEntry{in.Products, in.Places, in.Accounts} {
		for _, e := range group {
			if e.Action != "Add" && e.Action != "Remove" {
				res.fail(id, "Action", fmt.Sprintf("Action '%s' must be Add or Remove.", e.Action))
				return
			}
		}
	}
	pl, existing := s.st.productLists[codeKey(*in.Name)]
	if !existing {
		pl = &ProductList{Name: *in.Name, Active: true}
		s.st.productLists[codeKey(pl.Name)] = pl
	}
	if in.Active != nil {
		pl.Active = *in.Active
	}
	pl.Products = applyActions(pl.Products, in.Products)
	pl.Places = applyActions(pl.Places, in.Places)
	pl.Accounts = applyActions(pl.Accounts, in.Accounts)
	countRow(res, existing)
}

// applyActions applies Add/Remove entries to a member list (partial update).
func applyActions(members []string, entries []productListEntry) []string {
	for _, e := range entries {
		idx := -1
		for j, m := range members {
			if codeKey(m) == codeKey(e.Code) {
				idx = j
			}
		}
		switch {
		case e.Action == "Add" && idx < 0:
			members = append(members, e.Code)
		case e.Action == "Remove" && idx >= 0:
			members = append(members[:idx:idx], members[idx+1:]...)
		}
	}
	return members
}

func countRow(res *rowResult, existing bool) {
	if existing {
		res.st.RowsUpdated++
	} else {
		res.st.RowsInserted++
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// importRoute builds the handler of an asynchronous import endpoint.
func importRoute[T any](s *Server, entity, key string, list bool, apply func(*T, int, *rowResult)) routeHandler {
	return func(w http.ResponseWriter, r *http.Request, _ []string) {
		if body, ok := readImportBody(w, r); ok {
			importBody(s, w, body, entity, key, list, apply)
		}
	}
}

// importBody decodes one record (or a batch under key), queues a job and
// applies the rows when the job finishes.
func importBody[T any](s *Server, w http.ResponseWriter, body []byte, entity, key string, list bool, apply func(*T, int, *rowResult)) {
	rows, ok := decodeRows[T](w, body, list, key)
	if !ok {
		return
	}
	s.enqueue(w, entity, func() ImportStatus {
		var res rowResult
		for i := range rows {
			apply(&rows[i], i, &res)
		}
		return res.done(len(rows))
	})
}
