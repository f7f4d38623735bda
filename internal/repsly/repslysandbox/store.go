package repslysandbox

import (
	"strings"
	"time"
)

// firstTimeStamp is where the global change counter starts. Guess: real
// values are opaque row versions; starting far from 0 and from every ID
// range catches clients that mix cursors up.
const firstTimeStamp = 500_000

// store is the sandbox's in-memory account. Every field is guarded by
// Server.mu.
type store struct {
	// ts is the one global change counter stamped on every client, visit,
	// user and note write.
	ts int64

	lastClientID, lastNoteID, lastVisitID, lastFormID, lastPhotoID     int64
	lastOrderID, lastAuditID, lastDWTID, lastProductID, lastJobID      int64
	lastPricelistID, lastPricelistItemID, lastPackageID, lastScheduleN int64

	clients       *idList[Client]
	clientsByCode map[string]*Client
	clientTS      *tsIndex[Client]
	territories   map[string]struct{}
	accounts      map[string]*Account

	notes   *idList[ClientNote]
	visits  *idList[Visit]
	visitTS *tsIndex[Visit]

	users       []*User
	usersByCode map[string]*User
	userTS      *tsIndex[User]

	forms  *idList[Form]
	photos *idList[Photo]
	orders *idList[PurchaseOrder]
	audits *idList[RetailAudit]
	dwt    *idList[DailyWorkingTime]

	products       *idList[Product]
	productsByCode map[string]*Product
	packages       map[string]*Package
	productLists   map[string]*ProductList
	pricelists     []*Pricelist
	pricelistItems []*PricelistItem
	docTypes       []DocumentType

	schedules       []*Schedule
	schedulesByCode map[string]*Schedule
	realizations    []*VisitRealization

	jobs      map[int64]*importJob
	pending   []*importJob
	jobsSwept time.Time
}

func newStore() *store {
	return &store{
		ts:              firstTimeStamp,
		lastClientID:    1000,
		lastNoteID:      5000,
		lastVisitID:     80000,
		lastFormID:      20000,
		lastPhotoID:     40000,
		lastOrderID:     60000,
		lastAuditID:     30000,
		lastDWTID:       9000,
		lastProductID:   100,
		lastJobID:       3_000_000,
		lastPricelistID: 10,
		clients:         newIDList(func(c *Client) int64 { return c.ClientID }),
		clientsByCode:   map[string]*Client{},
		clientTS:        newTSIndex(func(c *Client) int64 { return c.TimeStamp }),
		territories:     map[string]struct{}{},
		accounts:        map[string]*Account{},
		notes:           newIDList(func(n *ClientNote) int64 { return n.ClientNoteID }),
		visits:          newIDList(func(v *Visit) int64 { return v.VisitID }),
		visitTS:         newTSIndex(func(v *Visit) int64 { return v.TimeStamp }),
		usersByCode:     map[string]*User{},
		userTS:          newTSIndex(func(u *User) int64 { return u.ts }),
		forms:           newIDList(func(f *Form) int64 { return f.FormID }),
		photos:          newIDList(func(p *Photo) int64 { return p.PhotoID }),
		orders:          newIDList(func(o *PurchaseOrder) int64 { return o.PurchaseOrderID }),
		audits:          newIDList(func(a *RetailAudit) int64 { return a.RetailAuditID }),
		dwt:             newIDList(func(d *DailyWorkingTime) int64 { return d.DailyWorkingTimeID }),
		products:        newIDList(func(p *Product) int64 { return p.ProductID }),
		productsByCode:  map[string]*Product{},
		packages:        map[string]*Package{},
		productLists:    map[string]*ProductList{},
		schedulesByCode: map[string]*Schedule{},
		jobs:            map[int64]*importJob{},
	}
}

// tick advances the global change counter and returns the new value.
func (st *store) tick() int64 {
	st.ts++
	return st.ts
}

// addTerritory records a client territory path ("Parent>Child") and its
// ancestors; the import docs say unknown paths are created on the fly.
func (st *store) addTerritory(path string) {
	parts := strings.Split(path, ">")
	for i := range parts {
		st.territories[strings.Join(parts[:i+1], ">")] = struct{}{}
	}
}

// client looks a client up by code.
func (st *store) client(code string) (*Client, bool) {
	c, ok := st.clientsByCode[codeKey(code)]
	return c, ok
}

// user looks a user (or representative) up by code.
func (st *store) user(code string) (*User, bool) {
	u, ok := st.usersByCode[codeKey(code)]
	return u, ok
}
