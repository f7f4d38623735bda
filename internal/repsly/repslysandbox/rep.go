package repslysandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrNotFound is wrapped by errors for unknown clients, reps, notes...
var ErrNotFound = errors.New("not found")

// ValidationError is returned when a rep API call would store an invalid
// record; it carries the same reason an import would report.
type ValidationError struct {
	Field  string
	Reason string
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return "repslysandbox: invalid " + e.Field + ": " + e.Reason
}

// The methods below act on the account "as a rep in the Repsly app would":
// changes show up in exports exactly as app edits do (new client, note and
// visit rows; edited clients and visits get a new TimeStamp; edited notes
// keep their ID and are not exported again).

// RepCreateClient creates a client as rep repCode would in the app. The
// rep becomes the client's representative unless c names another. Only the
// editable fields of c are used (not ClientID or TimeStamp), and the client
// starts active whatever c.Active says, as in the app.
func (s *Server) RepCreateClient(repCode string, c Client) (Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, ok := s.st.user(repCode)
	if !ok {
		return Client{}, fmt.Errorf("repslysandbox: rep %q: %w", repCode, ErrNotFound)
	}
	if _, exists := s.st.client(c.Code); exists {
		return Client{}, &ValidationError{Field: "Code", Reason: "a client with code " + strconv.Quote(c.Code) + " already exists"}
	}
	if c.RepresentativeCode == "" {
		c.RepresentativeCode = rep.Code
	}
	c.Active = true
	return s.writeClientLocked(c)
}

// RepUpdateClient edits the client with the given code: edit receives a copy
// and changes it; Code, ClientID and TimeStamp cannot change. The client gets
// a new TimeStamp and so comes again in the next clients export page.
func (s *Server) RepUpdateClient(code string, edit func(*Client)) (Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.st.client(code)
	if !ok {
		return Client{}, fmt.Errorf("repslysandbox: client %q: %w", code, ErrNotFound)
	}
	c := *cur
	c.CustomFields = append([]CustomField{}, cur.CustomFields...)
	c.PriceLists = append([]string{}, cur.PriceLists...)
	edit(&c)
	c.Code = cur.Code
	return s.writeClientLocked(c)
}

// RepDeactivateClient sets Active=false, the only "delete" Repsly has.
func (s *Server) RepDeactivateClient(code string) (Client, error) {
	return s.RepUpdateClient(code, func(c *Client) { c.Active = false })
}

// writeClientLocked validates and upserts c through the import path, so the
// rep API and imports share one set of rules.
func (s *Server) writeClientLocked(c Client) (Client, error) {
	in := clientInput{Code: &c.Code, Name: &c.Name, Active: &c.Active, Tag: &c.Tag, Territory: &c.Territory,
		RepresentativeCode: &c.RepresentativeCode, StreetAddress: &c.StreetAddress, ZIP: &c.ZIP, ZIPExt: &c.ZIPExt,
		City: &c.City, State: &c.State, Country: &c.Country, Email: &c.Email, Phone: &c.Phone, Mobile: &c.Mobile,
		Website: &c.Website, ContactName: &c.ContactName, ContactTitle: &c.ContactTitle, Note: &c.Note,
		Status: &c.Status, AccountCode: &c.AccountCode}
	if c.CustomFields != nil {
		in.CustomFields = &c.CustomFields
	}
	names := make([]json.RawMessage, 0, len(c.PriceLists))
	for _, n := range c.PriceLists {
		b, _ := json.Marshal(n)
		names = append(names, b)
	}
	in.PriceLists = &names
	var res rowResult
	s.applyClientLocked(&in, 0, &res)
	if len(res.st.Errors) > 0 {
		e := res.st.Errors[0]
		return Client{}, &ValidationError{Field: e.ItemName, Reason: e.ItemStatus}
	}
	stored, _ := s.st.client(c.Code)
	return *stored, nil
}

// RepAddNote adds a client note by rep repCode, dated now. A note taken while
// the rep has an open visit at the client is linked to that visit.
func (s *Server) RepAddNote(repCode, clientCode, text string) (ClientNote, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return ClientNote{}, err
	}
	var visitID int64
	for i := len(s.st.visits.rows) - 1; i >= 0 && i >= len(s.st.visits.rows)-200; i-- {
		v := s.st.visits.rows[i]
		if !v.VisitEnded && v.RepresentativeCode == rep.Code && v.ClientCode == c.Code {
			visitID = v.VisitID
			break
		}
	}
	return *s.addNoteLocked(rep, c, s.now(), text, visitID, c.geo), nil
}

// RepEditNote changes a note's text. The note gets a new TimeStamp but keeps
// its ID, so the ID-paged notes export never delivers it again: a client
// only sees the edit by re-reading from 0.
func (s *Server) RepEditNote(noteID int64, text string) (ClientNote, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.st.notes.get(noteID)
	if !ok {
		return ClientNote{}, fmt.Errorf("repslysandbox: note %d: %w", noteID, ErrNotFound)
	}
	n.Note = text
	n.TimeStamp = s.st.tick()
	return *n, nil
}

// RepAddVisit records a visit by repCode at clientCode from start to end; a
// zero end leaves the visit open (end it with RepEndVisit). A visit on a day
// the client is scheduled for this rep counts as scheduled and realizes the
// schedule; any other visit is unscheduled.
func (s *Server) RepAddVisit(repCode, clientCode string, start, end time.Time) (Visit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return Visit{}, err
	}
	day := start.UTC().Truncate(24 * time.Hour)
	var plan *Schedule
	var planAt time.Time
	for _, sc := range s.st.schedules {
		if sc.UserID == rep.Code && codeKey(sc.ClientCode) == codeKey(c.Code) {
			sc.occurrences(day, day, func(at time.Time) { plan, planAt = sc, at })
		}
	}
	v := s.addVisitLocked(rep, c, start, end, plan != nil, c.geo)
	sp := realizationSpec{status: RealizationUnplanned, rep: rep, client: c, start: start, end: end, modified: s.now()}
	if plan != nil {
		sp.status, sp.schedule, sp.plan, sp.completedTask = RealizationPlanned, plan, planAt, !end.IsZero()
	}
	s.addRealizationLocked(sp)
	return *v, nil
}

// RepEndVisit checks the rep out of an open visit. The visit gets a new
// TimeStamp and is exported again.
func (s *Server) RepEndVisit(visitID int64, end time.Time) (Visit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.st.visits.get(visitID)
	if !ok {
		return Visit{}, fmt.Errorf("repslysandbox: visit %d: %w", visitID, ErrNotFound)
	}
	c, _ := s.st.client(v.ClientCode)
	geo := [2]float64{v.LatitudeStart, v.LongitudeStart}
	if c != nil {
		geo = c.geo
	}
	endVisit(v, end, geo)
	v.TimeStamp = s.st.tick()
	s.st.visitTS.add(v, true)
	return *v, nil
}

// RepAddForm records a submitted form at the client, dated now.
func (s *Server) RepAddForm(repCode, clientCode, formName string, items []FormItem) (Form, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return Form{}, err
	}
	now := s.now()
	s.st.lastFormID++
	f := &Form{FormID: s.st.lastFormID, FormName: formName, ClientCode: c.Code, ClientName: c.Name,
		DateAndTime: wcfDate(now), RepresentativeCode: rep.Code, RepresentativeName: rep.Name,
		StreetAddress: c.StreetAddress, ZIP: c.ZIP, ZIPExt: c.ZIPExt, City: c.City, State: c.State,
		Country: c.Country, Email: c.Email, Phone: c.Phone, Mobile: c.Mobile, Territory: c.Territory,
		Latitude: c.geo[0], Longitude: c.geo[1], Items: append([]FormItem{}, items...)}
	s.st.forms.add(f)
	return *f, nil
}

// RepAddPhoto records a photo's metadata at the client, dated now.
func (s *Server) RepAddPhoto(repCode, clientCode, note string) (Photo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return Photo{}, err
	}
	s.st.lastPhotoID++
	p := &Photo{PhotoID: s.st.lastPhotoID, ClientCode: c.Code, ClientName: c.Name, Note: note,
		DateAndTime: wcfDate(s.now()), RepresentativeCode: rep.Code, RepresentativeName: rep.Name,
		PhotoURL: "https://files.sandbox.example.com/photos/" + strconv.FormatInt(s.st.lastPhotoID, 10) + ".jpg"}
	s.st.photos.add(p)
	return *p, nil
}

// RepAddOrder records a sales order at the client, dated now. Each line
// needs ProductCode and Quantity; names and prices come from the product.
func (s *Server) RepAddOrder(repCode, clientCode string, lines []OrderItem) (PurchaseOrder, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return PurchaseOrder{}, err
	}
	if len(s.st.docTypes) == 0 {
		return PurchaseOrder{}, fmt.Errorf("repslysandbox: document types: %w (seed the account first)", ErrNotFound)
	}
	now := s.now()
	dt := s.st.docTypes[0]
	s.st.lastOrderID++
	o := &PurchaseOrder{PurchaseOrderID: s.st.lastOrderID, TransactionType: "PurchaseOrder", DocumentTypeID: dt.DocumentTypeID,
		DocumentTypeName: dt.DocumentTypeName, DateAndTime: wcfDate(now), DocumentNo: "SO-" + pad(int(s.st.lastOrderID), 7),
		ClientCode: c.Code, ClientName: c.Name, DocumentDate: wcfDate(now.UTC().Truncate(24 * time.Hour)),
		RepresentativeCode: rep.Code, RepresentativeName: rep.Name, StreetAddress: c.StreetAddress, ZIP: c.ZIP,
		ZIPExt: c.ZIPExt, City: c.City, State: c.State, Country: c.Country, CustomFields: []OrderCustomField{}}
	for i, l := range lines {
		p, ok := s.st.productsByCode[codeKey(l.ProductCode)]
		if !ok {
			s.st.lastOrderID--
			return PurchaseOrder{}, fmt.Errorf("repslysandbox: product %q: %w", l.ProductCode, ErrNotFound)
		}
		l.LineNo, l.ProductCode, l.ProductName = i+1, p.Code, p.Name
		if l.UnitPrice == 0 {
			l.UnitPrice = p.UnitPrice
		}
		l.Amount = l.Quantity * l.UnitPrice
		l.TotalAmount = l.Amount - l.DiscountAmount + l.TaxAmount
		o.Items = append(o.Items, l)
	}
	s.st.orders.add(o)
	return *o, nil
}

// RepScheduleVisit plans a one-off visit by repCode at clientCode.
func (s *Server) RepScheduleVisit(repCode, clientCode string, at time.Time, note string) (Schedule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, c, err := s.repAndClientLocked(repCode, clientCode)
	if err != nil {
		return Schedule{}, err
	}
	at = at.UTC()
	sc := &Schedule{UserID: rep.Code, RepresentativeName: rep.Name, start: at, ScheduledDuration: 30, VisitNote: note,
		ScheduledDate: at.Format(dayLayout), ScheduledTime: at.Format(clockLayout)}
	fillScheduleClient(sc, c)
	s.addScheduleLocked(sc)
	return *sc, nil
}

// AddRepresentative adds an active field rep, for tests that do not Seed.
func (s *Server) AddRepresentative(code, name, email string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := userInput{Code: &code, Name: &name, Email: &email}
	sum := UserImportSummary{ValidationErrors: map[string][]string{}}
	s.applyUserLocked(&in, 0, &sum)
	if errs := sum.ValidationErrors[rowID(code, 0)]; len(errs) > 0 {
		return User{}, &ValidationError{Field: "User", Reason: errs[0]}
	}
	u, _ := s.st.user(code)
	return *u, nil
}

func (s *Server) repAndClientLocked(repCode, clientCode string) (*User, *Client, error) {
	rep, ok := s.st.user(repCode)
	if !ok {
		return nil, nil, fmt.Errorf("repslysandbox: rep %q: %w", repCode, ErrNotFound)
	}
	c, ok := s.st.client(clientCode)
	if !ok {
		return nil, nil, fmt.Errorf("repslysandbox: client %q: %w", clientCode, ErrNotFound)
	}
	return rep, c, nil
}
