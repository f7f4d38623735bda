package ghlsandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Seed fills the first location with n realistic contacts and some tasks,
// notes and appointments; see SeedLocation.
func (s *Server) Seed(n int) error {
	return s.SeedLocation(s.DefaultLocationID(), n)
}

// SeedLocation fills a location with n contacts (names, emails, phones,
// companies, addresses, tags), about half of them with a note, a third with
// a task and a fifth with an upcoming appointment. The data depends only on
// Options.Seed and on how many Seed calls came before, so the same program
// gets the same data on every run. Seeding is the state before an
// integration connects: it emits no webhooks. Emails use the reserved
// .example domain and phones the 555 exchange, so nothing reaches anyone.
func (s *Server) SeedLocation(locationID string, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.locs[locationID]
	if !ok {
		return ErrNotFound
	}
	s.seedSerial++
	r := rand.New(rand.NewPCG(s.opts.Seed, 0x5eed_0000+uint64(s.seedSerial)))
	s.muted = true
	defer func() { s.muted = false }()

	now := s.clock()
	usedEmail, usedPhone := map[string]bool{}, map[string]bool{}
	for _, ct := range s.contacts {
		usedEmail[strings.ToLower(ct.Email)], usedPhone[ct.Phone] = true, true
	}
	for range n {
		first := pick(r, firstNames)
		last := pick(r, lastNames)
		company := pick(r, companyHeads) + " " + pick(r, companyTails)
		domain := slug(company) + ".example"
		domain = strings.ReplaceAll(domain, "_", "-")
		local := asciiFold.Replace(strings.ToLower(first + "." + last))
		email := local + "@" + domain
		for i := 2; usedEmail[email]; i++ {
			email = fmt.Sprintf("%s%d@%s", local, i, domain)
		}
		usedEmail[email] = true
		phone := ""
		for phone == "" || usedPhone[phone] {
			phone = fmt.Sprintf("+1%s555%04d", pick(r, areaCodes), r.IntN(10000))
		}
		usedPhone[phone] = true
		city := cities[r.IntN(len(cities))]
		added := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Millisecond)
		ct := &Contact{
			FirstName: first, LastName: last, Email: email, Phone: phone, CompanyName: company,
			Address1: fmt.Sprintf("%d %s", 10+r.IntN(9990), pick(r, streets)),
			City:     city.name, State: city.state, PostalCode: city.zip, Country: "US",
			Website: "https://www." + domain, Source: pick(r, sources), DateAdded: added,
		}
		if r.IntN(3) == 0 {
			ct.AdditionalPhones = []string{fmt.Sprintf("+1%s555%04d", pick(r, areaCodes), r.IntN(10000))}
		}
		for range r.IntN(3) {
			ct.Tags = mergeTags(ct.Tags, []string{pick(r, seedTags)})
		}
		if err := s.insertContact(ls, ct, added, false); err != nil {
			return fmt.Errorf("ghlsandbox: seed contact: %w", err)
		}
		ct.DateUpdated = added.Add(time.Duration(r.Int64N(int64(now.Sub(added)) + 1))).Truncate(time.Millisecond)
		if r.IntN(2) == 0 {
			s.insertNote(ct, &Note{Body: pick(r, noteBodies), UserID: s.seedUser()}, ct.DateUpdated)
		}
		if r.IntN(3) == 0 {
			t := &Task{Title: pick(r, taskTitles), Body: "Created by the sandbox seed.",
				DueDate: now.Add(time.Duration(r.IntN(21)-7) * 24 * time.Hour).Truncate(time.Hour)}
			s.insertTask(ct, t, ct.DateUpdated)
			t.Completed = t.DueDate.Before(now) && r.IntN(2) == 0
		}
		if r.IntN(5) == 0 {
			s.seedAppointment(r, ls, ct, now)
		}
	}
	return nil
}

// seedAppointment books a free slot in the next two weeks, if one is found.
func (s *Server) seedAppointment(r *rand.Rand, ls *locState, ct *Contact, now time.Time) {
	cal := &ls.loc.Calendars[0]
	z := s.zone(cal.Timezone)
	for range 10 {
		d := now.In(z).AddDate(0, 0, 1+r.IntN(14))
		y, m, day := d.Date()
		start := time.Date(y, m, day, 9, 0, 0, 0, z).Add(time.Duration(r.IntN(16)) * 30 * time.Minute)
		end := start.Add(time.Duration(cal.SlotMinutes) * time.Minute)
		if !s.slotFree(cal, start, end, "") {
			continue
		}
		s.insertAppointment(&Appointment{
			LocationID: ls.loc.ID, CalendarID: cal.ID, ContactID: ct.ID, GroupID: cal.GroupID,
			Title: "Intro call with " + ct.fullName(), Status: "confirmed", Source: "booking_widget",
			StartTime: start, EndTime: end, AssignedUserID: s.seedUser(),
		}, ct.DateUpdated)
		return
	}
}

// seedUser is the one sandbox user seeded records are assigned to.
func (s *Server) seedUser() string { return "sbxUser0000000000001" }

// asciiFold keeps seeded email addresses ASCII.
var asciiFold = strings.NewReplacer("ü", "u", "á", "a", "é", "e", "ó", "o", "í", "i")

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

var (
	firstNames = []string{"Maria", "James", "Aisha", "Chen", "Sofia", "Liam", "Fatima", "Noah", "Elena",
		"Mateo", "Priya", "Lucas", "Hannah", "Omar", "Grace", "Diego", "Yuki", "Ethan", "Zara", "Samuel",
		"Olivia", "Ravi", "Chloe", "Andre", "Mei", "Gabriel", "Leah", "Tomás", "Ingrid", "Kwame"}
	lastNames = []string{"Garcia", "Smith", "Khan", "Wang", "Rossi", "Johnson", "Okafor", "Müller", "Silva",
		"Nguyen", "Patel", "Brown", "Kowalski", "Hernandez", "Kim", "Dubois", "Andersen", "Taylor",
		"Cohen", "Mensah", "Lopez", "Walker", "Sato", "Murphy", "Ivanova", "Clark", "Haddad", "Young"}
	companyHeads = []string{"Bright", "North", "Blue", "Summit", "Green", "Harbor", "Iron", "Maple",
		"Silver", "Pioneer", "Cedar", "Golden", "River", "Urban", "Prairie", "Coastal"}
	companyTails = []string{"Market", "Grocers", "Supply", "Foods", "Pharmacy", "Hardware", "Outfitters",
		"Wholesale", "Deli", "Provisions", "Trading Co", "Corner Store"}
	streets = []string{"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Blvd", "Elm St", "Lakeview Rd",
		"Washington Ave", "Hill St", "Sunset Blvd", "River Rd", "Market St"}
	cities = []struct{ name, state, zip string }{
		{"Austin", "TX", "78701"}, {"Denver", "CO", "80202"}, {"Portland", "OR", "97205"},
		{"Columbus", "OH", "43215"}, {"Raleigh", "NC", "27601"}, {"Madison", "WI", "53703"},
		{"Tucson", "AZ", "85701"}, {"Boise", "ID", "83702"}, {"Richmond", "VA", "23219"},
		{"Omaha", "NE", "68102"}, {"Savannah", "GA", "31401"}, {"Spokane", "WA", "99201"},
	}
	areaCodes  = []string{"202", "212", "305", "312", "404", "415", "512", "602", "617", "702", "720", "919"}
	sources    = []string{"website form", "trade show", "referral", "cold call", "facebook ad", "import"}
	seedTags   = []string{"customer", "prospect", "vip", "newsletter", "territory:north", "territory:south"}
	noteBodies = []string{
		"Called to introduce the spring catalogue; asked for a price list.",
		"Store manager prefers visits on Tuesday mornings.",
		"Interested in the promo display; follow up in two weeks.",
		"Reorder expected at the end of the month.",
		"Left a voicemail, no answer yet.",
	}
	taskTitles = []string{"Send price list", "Follow-up call", "Schedule store visit", "Confirm order",
		"Share promo materials"}
)
