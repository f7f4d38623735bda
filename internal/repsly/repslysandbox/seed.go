package repslysandbox

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// ErrAlreadySeeded is returned by Seed on an account that already holds data.
var ErrAlreadySeeded = errors.New("repslysandbox: account already seeded")

// SeedOptions sizes the seeded account.
type SeedOptions struct {
	// Clients is the number of clients; activity scales with it.
	Clients int
	// Seed makes the account deterministic: the same options (and Now)
	// always give the same data.
	Seed int64
	// Representatives is the number of field reps; zero picks one per 250
	// clients, between 10 and 200.
	Representatives int
	// Days is how many days of history (visits, notes, forms...) to create;
	// zero means 60.
	Days int
	// Now anchors the history; zero uses the server clock.
	Now time.Time
}

// seeder carries the state of one Seed run.
type seeder struct {
	s     *Server
	r     *rand.Rand
	reps  []*User
	homes []home // reps[i] works in homes[i]
	today time.Time
}

type home struct {
	country *country
	city    city
	name    string // the Country spelling of this rep's clients
}

// Seed fills an empty account with a realistic, deterministic data set:
// users and representatives, territories, opts.Clients clients in several
// countries (varied phone formats, tags, custom fields, a few inactive),
// products, packages, pricelists, document types, and opts.Days days of
// visits, client notes, forms, photos, purchase orders, retail audits,
// working days, visit schedules and their realizations. It is fast enough
// for 100,000 clients.
func (s *Server) Seed(opts SeedOptions) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded || s.st.clients.len() > 0 || len(s.st.users) > 0 {
		return ErrAlreadySeeded
	}
	s.seeded = true
	if opts.Days <= 0 {
		opts.Days = 60
	}
	if opts.Now.IsZero() {
		opts.Now = s.now()
	}
	nReps := opts.Representatives
	if nReps <= 0 {
		nReps = min(200, max(10, opts.Clients/250))
	}
	sd := &seeder{s: s, r: rand.New(rand.NewPCG(uint64(opts.Seed), 0xc11e47)), today: opts.Now.UTC().Truncate(24 * time.Hour)}
	sd.users(nReps)
	sd.catalog()
	sd.clients(opts.Clients)
	sd.history(opts.Days)
	return nil
}

func (sd *seeder) users(nReps int) {
	s := sd.s
	first, last := personNames()
	owner := &User{Code: "ADMIN", Name: "Account Owner", Email: "owner@sandbox.example.com", Active: true,
		Role: RoleAccountOwner + "|" + RoleAdmin, SendEmailEnabled: true, Country: "USA", CountryCode: "US",
		Permissions: []string{"Clients", "Products", "Exports", "Settings"}}
	s.putUserLocked(owner)
	s.putUserLocked(&User{Code: "OPS1", Name: "Back Office", Email: "ops@sandbox.example.com", Active: true,
		Role: RoleAdmin, Permissions: []string{"Clients", "Exports"}})
	geo := s.geo
	abroad := 0
	for i := range nReps {
		// A third of the reps work in the US; the others spread over the
		// other countries in turn.
		ci := 0
		if i%3 != 0 {
			ci = 1 + abroad%(len(geo)-1)
			abroad++
		}
		c := &geo[ci]
		h := home{country: c, city: c.cities[(i/len(geo))%len(c.cities)], name: c.names[(i/7)%len(c.names)]}
		code := "R" + pad(i+1, 2)
		name := first[(i*7)%len(first)] + " " + last[(i*3)%len(last)]
		u := &User{
			Code: code, Name: name, Active: i%17 != 16,
			Email: strings.ToLower(strings.NewReplacer(" ", ".", "'", "").Replace(name)) + strconv.Itoa(i+1) + "@sandbox.example.com",
			Role:  RoleRepresentative, Phone: c.phone(sd.r, i), SendEmailEnabled: true,
			Territories: []string{h.country.region + "/" + h.city.name},
			City:        h.city.name, State: h.city.state, Country: c.names[0], CountryCode: c.code,
			Attributes: []UserAttribute{{Title: "Vehicle", Value: pick(sd.r, []string{"Car", "Van", "Bike"}), Type: "Select"},
				{Title: "Start year", Value: strconv.Itoa(2015 + i%10), Type: "Numeric"}},
			Permissions: []string{"Clients"},
		}
		s.putUserLocked(u)
		if u.Active {
			sd.reps = append(sd.reps, u)
			sd.homes = append(sd.homes, h)
		}
	}
}

func (sd *seeder) catalog() {
	s := sd.s
	for _, p := range []Package{{"EA", "Each", 1, true}, {"CS12", "Case of 12", 12, true}, {"PAL", "Pallet", 480, true}} {
		s.st.packages[codeKey(p.Code)] = &p
	}
	for _, a := range []Account{{"ACME", "Acme Retail Group", true, ""}, {"FRESHCO", "FreshCo Stores", true, ""}, {"METRO", "Metro Holdings", true, ""}} {
		s.st.accounts[codeKey(a.Code)] = &a
	}
	groups := []struct{ code, name string }{{"BEV", "Beverages"}, {"SNK", "Snacks"}, {"DRY", "Dry goods"}, {"HBC", "Health & beauty"}, {"FRZ", "Frozen"}, {"HOM", "Home care"}}
	items := []string{"Sparkling Water", "Cola", "Cold Brew", "Sea Salt Chips", "Pretzels", "Granola Bar", "Pasta", "Rice", "Olive Oil", "Hand Soap", "Toothpaste", "Sunscreen", "Ice Cream", "Frozen Pizza", "Dish Soap", "Laundry Pods"}
	for i := range 60 {
		g := groups[i%len(groups)]
		p := &Product{Code: "P-" + pad(i+1, 4), Name: items[i%len(items)] + " " + []string{"330ml", "500g", "Family", "Mini", "XL"}[i%5],
			ProductGroupCode: g.code, ProductGroupName: g.name, Active: i%23 != 22, Tag: strings.ToLower(g.name),
			UnitPrice: float64(99+sd.r.IntN(2000)) / 100, EAN: "400" + pad(1000000000+i*7919, 10),
			Packaging: ProductPackaging{Codes: []string{"EA", "CS12"}}}
		s.putProductLocked(p)
	}
	for i, name := range []string{"Retail 2024", "Wholesale", "Key Accounts"} {
		s.st.lastPricelistID++
		pl := &Pricelist{ID: s.st.lastPricelistID, Name: name, IsDefault: i == 0, Active: true, UsesPrices: true}
		s.st.pricelists = append(s.st.pricelists, pl)
		for _, p := range s.st.products.rows {
			s.st.lastPricelistItemID++
			s.st.pricelistItems = append(s.st.pricelistItems, &PricelistItem{ID: s.st.lastPricelistItemID, ProductID: p.ProductID,
				ProductCode: p.Code, Price: p.UnitPrice * (1 - 0.1*float64(i)), Active: true, pricelistID: pl.ID})
		}
	}
	refs := []PricelistRef{}
	for _, pl := range s.st.pricelists {
		refs = append(refs, PricelistRef{PricelistID: pl.ID, PricelistName: pl.Name})
	}
	s.st.docTypes = []DocumentType{
		{DocumentTypeID: 1, DocumentTypeName: "Sales Order", Pricelists: refs, Statuses: []DocumentStatus{{1, "New"}, {2, "Approved"}, {3, "Shipped"}, {4, "Cancelled"}}},
		{DocumentTypeID: 2, DocumentTypeName: "Return", Pricelists: refs[:1], Statuses: []DocumentStatus{{5, "Requested"}, {6, "Accepted"}, {7, "Rejected"}}},
	}
}

// pad formats n with at least width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (sd *seeder) clients(n int) {
	s, r := sd.s, sd.r
	if len(sd.reps) == 0 {
		return
	}
	adj, noun := storeWords()
	first, last := personNames()
	tags := []string{"grocery", "pharmacy", "convenience", "tier1", "tier2", "key-account", "new", "promo-q3"}
	statuses := []string{"Active Account", "Active Account", "Active Account", "Prospect", "Lead", "Lost"}
	for i := range n {
		ri := r.IntN(len(sd.reps))
		rep, h := sd.reps[ri], sd.homes[ri]
		name := adj[r.IntN(len(adj))] + " " + noun[r.IntN(len(noun))]
		if i%4 == 0 {
			name += " " + h.city.name
		}
		var code string
		switch i % 3 {
		case 0:
			code = "C-" + pad(i+1, 6)
		case 1:
			code = strconv.Itoa(1000000 + i + 1)
		default:
			code = h.country.code + "-" + pad(i+1, 5)
		}
		sl := slug(name)
		c := &Client{
			Code: code, Name: name, Active: r.IntN(25) != 0,
			Territory:          h.country.region + ">" + h.city.name,
			RepresentativeCode: rep.Code, RepresentativeName: rep.Name,
			StreetAddress: strconv.Itoa(1+r.IntN(400)) + " " + h.country.street[r.IntN(len(h.country.street))],
			ZIP:           h.country.zip(r, h.city), City: h.city.name, State: h.city.state, Country: h.name,
			Phone:        h.country.phone(r, i),
			ContactName:  first[r.IntN(len(first))] + " " + last[r.IntN(len(last))],
			ContactTitle: pick(r, []string{"Manager", "Owner", "Buyer", "Store Manager", ""}),
			Status:       statuses[r.IntN(len(statuses))],
			CustomFields: []CustomField{{Field: "Chain", Value: pick(r, []string{"Indie", "Acme", "FreshCo"})},
				{Field: "Store size", Value: pick(r, []string{"S", "M", "L"})}},
			PriceLists: []string{s.st.pricelists[i%len(s.st.pricelists)].Name},
		}
		switch i % 10 {
		case 0: // no e-mail on file
		case 1:
			c.Email = "Info" + strconv.Itoa(i+1) + "@" + strings.ReplaceAll(name, " ", "") + ".example.com"
		default:
			c.Email = "store" + strconv.Itoa(i+1) + "@" + sl + ".example." + pick(r, []string{"com", "net", "org"})
		}
		if i%3 == 0 {
			c.Mobile = h.country.phone(r, i+1)
		}
		if i%4 == 1 {
			c.Website = "https://www." + sl + ".example.com"
		}
		if h.country.code == "US" && i%6 == 0 {
			c.ZIPExt = digits(r, 4)
		}
		var t []string
		for k := r.IntN(4); k > 0; k-- {
			t = append(t, tags[r.IntN(len(tags))])
		}
		c.Tag = strings.Join(t, ",")
		if i%9 == 0 {
			c.AccountCode = pick(r, []string{"ACME", "FRESHCO", "METRO"})
		}
		c.geo = [2]float64{h.city.lat + (r.Float64()-0.5)/10, h.city.lng + (r.Float64()-0.5)/10}
		s.putClientLocked(c)
	}
}
