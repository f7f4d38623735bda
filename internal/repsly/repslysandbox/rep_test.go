package repslysandbox

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestRepAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, 10, Options{})
	rep := b.s.Representatives()[0]

	c, err := b.s.RepCreateClient(rep.Code, Client{Code: "APP-1", Name: "Made in the app", Country: "Croatia", City: "Zagreb", Territory: "Adriatic>Zagreb"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID == 0 || c.TimeStamp == 0 || !c.Active || c.RepresentativeName != rep.Name {
		t.Errorf("created = %+v", c)
	}
	if _, err := b.s.RepCreateClient(rep.Code, Client{Code: "app-1", Name: "Dup"}); err == nil {
		t.Error("duplicate code (other case) was accepted")
	}
	var ve *ValidationError
	if _, err := b.s.RepCreateClient(rep.Code, Client{Code: "APP-2"}); !errors.As(err, &ve) || ve.Field != "Name" {
		t.Errorf("missing name: %v", err)
	}
	if _, err := b.s.RepCreateClient("NOBODY", Client{Code: "APP-3", Name: "X"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown rep: %v", err)
	}
	u, err := b.s.RepUpdateClient("APP-1", func(c *Client) { c.Code = "HIJACK"; c.Email = "new@example.com" })
	if err != nil || u.Code != "APP-1" || u.Email != "new@example.com" || u.TimeStamp <= c.TimeStamp {
		t.Errorf("update = %+v, %v", u, err)
	}
	if _, err := b.s.RepUpdateClient("NOPE", func(*Client) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}

	n, err := b.s.RepAddNote(rep.Code, "APP-1", "first note")
	if err != nil || n.ClientCode != "APP-1" || n.VisitID != nil || !n.DateAndTime.Equal(testNow) {
		t.Errorf("note = %+v, %v", n, err)
	}
	v, err := b.s.RepAddVisit(rep.Code, "APP-1", testNow.Add(-10*time.Minute), time.Time{})
	if err != nil || v.VisitEnded || !v.DateAndTimeEnd.IsZero() || v.VisitStatusBySchedule != VisitUnscheduled {
		t.Errorf("open visit = %+v, %v", v, err)
	}
	n2, _ := b.s.RepAddNote(rep.Code, "APP-1", "during the visit")
	if n2.VisitID == nil || *n2.VisitID != v.VisitID {
		t.Errorf("note during visit not linked: %+v", n2)
	}
	if _, err := b.s.RepEditNote(n.ClientNoteID, "changed"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.RepEditNote(1, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("edit unknown note: %v", err)
	}
	f, err := b.s.RepAddForm(rep.Code, "APP-1", "Store Check", []FormItem{{Field: "Q?", Value: "A"}})
	if err != nil || f.FormID == 0 || len(f.Items) != 1 {
		t.Errorf("form = %+v, %v", f, err)
	}
	if p, err := b.s.RepAddPhoto(rep.Code, "APP-1", "shelf"); err != nil || p.PhotoID == 0 {
		t.Errorf("photo = %+v, %v", p, err)
	}
	o, err := b.s.RepAddOrder(rep.Code, "APP-1", []OrderItem{{ProductCode: "P-0001", Quantity: 2}})
	if err != nil || len(o.Items) != 1 || o.Items[0].Amount == 0 {
		t.Errorf("order = %+v, %v", o, err)
	}
	if _, err := b.s.RepAddOrder(rep.Code, "APP-1", []OrderItem{{ProductCode: "NOPE", Quantity: 1}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("order with unknown product: %v", err)
	}

	// A visit on a scheduled day counts as scheduled and realizes the plan.
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if _, err := b.s.RepScheduleVisit(rep.Code, "APP-1", at, "bring samples"); err != nil {
		t.Fatal(err)
	}
	sv, err := b.s.RepAddVisit(rep.Code, "APP-1", at.Add(5*time.Minute), at.Add(35*time.Minute))
	if err != nil || sv.VisitStatusBySchedule != VisitScheduled {
		t.Errorf("scheduled visit = %+v, %v", sv, err)
	}
	last := b.s.st.realizations[len(b.s.st.realizations)-1]
	if last.Status != RealizationPlanned || last.PlaceCode != "APP-1" || last.ScheduleNote != "bring samples" || last.TimeZone != "Europe/Zagreb" {
		t.Errorf("realization = %+v", last)
	}

	if c, err := b.s.RepDeactivateClient("APP-1"); err != nil || c.Active {
		t.Errorf("deactivate = %+v, %v", c, err)
	}
	if _, err := b.s.AddRepresentative("R-NEW", "New Rep", "new@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.s.AddRepresentative("R-BAD", "No Mail", ""); err == nil {
		t.Error("rep without e-mail accepted")
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	mk := func() *Server {
		s := New(Options{Clock: func() time.Time { return testNow }})
		if err := s.Seed(SeedOptions{Clients: 300, Seed: 9}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := mk(), mk()
	if !reflect.DeepEqual(a.Clients(), b.Clients()) || !reflect.DeepEqual(a.Notes(), b.Notes()) ||
		!reflect.DeepEqual(a.Visits(), b.Visits()) || !reflect.DeepEqual(a.Users(), b.Users()) ||
		!reflect.DeepEqual(a.Schedules(), b.Schedules()) {
		t.Error("two seeds with the same options differ")
	}
	if err := a.Seed(SeedOptions{Clients: 1}); !errors.Is(err, ErrAlreadySeeded) {
		t.Errorf("second Seed: %v", err)
	}
	c := New(Options{Clock: func() time.Time { return testNow }})
	if err := c.Seed(SeedOptions{Clients: 300, Seed: 10}); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Clients(), c.Clients()) {
		t.Error("another seed gave the same clients")
	}
	countries := map[string]bool{}
	for _, cl := range a.Clients() {
		countries[cl.Country] = true
	}
	if len(countries) < 5 {
		t.Errorf("clients in %d countries: %v", len(countries), countries)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	b := setup(t, 200, Options{PendingPolls: NoPendingPolls})
	codes := b.s.Clients()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				c := codes[(w*25+i)%len(codes)]
				if _, err := b.s.RepUpdateClient(c.Code, func(c *Client) { c.Note = fmt.Sprint(w, i) }); err != nil {
					t.Error(err)
				}
				if _, err := b.s.RepAddNote(c.RepresentativeCode, c.Code, "n"); err != nil && !errors.Is(err, ErrNotFound) {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			var cursor int64
			for range 10 {
				p := b.clientsAfter(cursor)
				cursor = p.MetaCollectionResult.LastTimeStamp
			}
			b.importJob("/v3/import/client", `{"Code":"W-`+strconv.Itoa(w)+`","Name":"Worker"}`)
		})
	}
	wg.Wait()
	// After the dust settles a full export still has every client once.
	seen := map[string]int{}
	for cursor := int64(0); ; {
		p := b.clientsAfter(cursor)
		if p.MetaCollectionResult.TotalCount == 0 {
			break
		}
		for _, c := range p.Clients {
			seen[c.Code]++
		}
		cursor = p.MetaCollectionResult.LastTimeStamp
	}
	if len(seen) != b.s.ClientCount() {
		t.Errorf("exported %d clients, have %d", len(seen), b.s.ClientCount())
	}
	for code, n := range seen {
		if n != 1 {
			t.Errorf("%s exported %d times", code, n)
		}
	}
}
