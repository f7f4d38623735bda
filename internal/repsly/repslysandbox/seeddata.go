package repslysandbox

import (
	"strings"
	"time"
)

// country is a country the seeded account has stores in. All names, streets
// and numbers are made up; phone numbers use fictional ranges where a
// country has one (US/Canada 555-01xx, UK 020 7946 0xxx, AU 5550 xxxx).
type country struct {
	names  []string // spellings seen in the Country field, first is canonical
	code   string   // ISO 3166-1 alpha-2
	region string   // territory root
	zone   zone
	cities []city
	street []string
	phone  func(r randSource, n int) string
	zip    func(r randSource, c city) string
}

type city struct {
	name, state, zip string
	lat, lng         float64
}

// zone is a named fixed offset. Guess: realizations carry an IANA zone name;
// the sandbox ignores daylight saving so it needs no tz database.
type zone struct {
	name   string
	offset time.Duration
}

// pair formats t as local time and UTC, or two nulls for a zero time.
func (z zone) pair(t time.Time) (local, utc *string) {
	if t.IsZero() {
		return nil, nil
	}
	l := t.UTC().Add(z.offset).Format(isoLocalLayout)
	u := t.UTC().Format(isoUTCLayout)
	return &l, &u
}

// randSource is the part of *rand.Rand the seed data needs.
type randSource interface {
	IntN(n int) int
	Float64() float64
}

func digits(r randSource, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func pick[T any](r randSource, xs []T) T { return xs[r.IntN(len(xs))] }

// countries returns the seed geography. It is a function, not a package
// variable, so the package holds no mutable globals.
func countries() []country {
	us := func(r randSource, n int) string {
		area := pick(r, []string{"617", "212", "312", "512", "206", "303"})
		line := "01" + digits(r, 2)
		switch n % 5 {
		case 0:
			return "(" + area + ") 555-" + line
		case 1:
			return area + "-555-" + line
		case 2:
			return "+1 " + area + " 555 " + line
		case 3:
			return area + "555" + line
		default:
			return area + ".555." + line + " x" + digits(r, 2)
		}
	}
	return []country{
		{names: []string{"USA", "United States", "US"}, code: "US", region: "US East", zone: zone{"America/New_York", -5 * time.Hour},
			cities: []city{{"Boston", "MA", "021", 42.36, -71.06}, {"New York", "NY", "100", 40.71, -74.0}, {"Chicago", "IL", "606", 41.88, -87.63},
				{"Austin", "TX", "787", 30.27, -97.74}, {"Seattle", "WA", "981", 47.61, -122.33}, {"Denver", "CO", "802", 39.74, -104.99}},
			street: []string{"Main St", "Elm Street", "Washington Ave", "2nd Avenue", "Oak Blvd", "Maple Dr"},
			phone:  us,
			zip:    func(r randSource, c city) string { return c.zip + digits(r, 2) }},
		{names: []string{"Canada"}, code: "CA", region: "Canada", zone: zone{"America/Toronto", -5 * time.Hour},
			cities: []city{{"Toronto", "ON", "M5V", 43.65, -79.38}, {"Vancouver", "BC", "V6B", 49.28, -123.12}},
			street: []string{"Queen St W", "King Street", "Granville St", "Yonge St"},
			phone: func(r randSource, n int) string {
				return pick(r, []string{"(416) 555-01", "604-555-01", "+1 416 555 01"}) + digits(r, 2)
			},
			zip: func(r randSource, c city) string { return c.zip + " " + digits(r, 1) + "A" + digits(r, 1) }},
		{names: []string{"United Kingdom", "UK"}, code: "GB", region: "UK", zone: zone{"Europe/London", 0},
			cities: []city{{"London", "Greater London", "SW1A", 51.51, -0.13}, {"Manchester", "Greater Manchester", "M1", 53.48, -2.24}},
			street: []string{"High Street", "Station Road", "Church Lane", "Victoria Road"},
			phone: func(r randSource, n int) string {
				if n%2 == 0 {
					return "+44 20 7946 0" + digits(r, 3)
				}
				return "020 7946 0" + digits(r, 3)
			},
			zip: func(r randSource, c city) string { return c.zip + " " + digits(r, 1) + "AA" }},
		{names: []string{"Germany", "Deutschland"}, code: "DE", region: "DACH", zone: zone{"Europe/Berlin", time.Hour},
			cities: []city{{"Berlin", "Berlin", "101", 52.52, 13.40}, {"München", "Bayern", "803", 48.14, 11.58}, {"Hamburg", "Hamburg", "200", 53.55, 9.99}},
			street: []string{"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße"},
			phone: func(r randSource, n int) string {
				if n%2 == 0 {
					return "+49 30 " + digits(r, 8)
				}
				return "030 " + digits(r, 7)
			},
			zip: func(r randSource, c city) string { return c.zip + digits(r, 2) }},
		{names: []string{"Croatia", "Hrvatska"}, code: "HR", region: "Adriatic", zone: zone{"Europe/Zagreb", time.Hour},
			cities: []city{{"Zagreb", "Grad Zagreb", "10000", 45.81, 15.98}, {"Split", "Splitsko-dalmatinska", "21000", 43.51, 16.44}},
			street: []string{"Ilica", "Vukovarska ulica", "Savska cesta", "Ulica kralja Zvonimira"},
			phone: func(r randSource, n int) string {
				if n%2 == 0 {
					return "+385 1 " + digits(r, 4) + " " + digits(r, 3)
				}
				return "01 " + digits(r, 4) + " " + digits(r, 3)
			},
			zip: func(r randSource, c city) string { return c.zip }},
		{names: []string{"Australia"}, code: "AU", region: "ANZ", zone: zone{"Australia/Sydney", 10 * time.Hour},
			cities: []city{{"Sydney", "NSW", "2000", -33.87, 151.21}, {"Melbourne", "VIC", "3000", -37.81, 144.96}},
			street: []string{"George St", "Collins Street", "Pitt St", "Flinders Lane"},
			phone: func(r randSource, n int) string {
				if n%2 == 0 {
					return "+61 2 5550 " + digits(r, 4)
				}
				return "(02) 5550 " + digits(r, 4)
			},
			zip: func(r randSource, c city) string { return c.zip }},
		{names: []string{"Mexico", "México"}, code: "MX", region: "LatAm", zone: zone{"America/Mexico_City", -6 * time.Hour},
			cities: []city{{"Ciudad de México", "CDMX", "066", 19.43, -99.13}, {"Guadalajara", "JAL", "441", 20.66, -103.35}},
			street: []string{"Av. Reforma", "Calle Juárez", "Av. Insurgentes Sur", "Calle Hidalgo"},
			phone:  func(r randSource, n int) string { return "+52 55 " + digits(r, 4) + " " + digits(r, 4) },
			zip:    func(r randSource, c city) string { return c.zip + digits(r, 2) }},
	}
}

// zoneFor finds the zone of a country name as clients spell it; unknown
// countries get UTC.
func zoneFor(geo []country, name string) zone {
	for _, c := range geo {
		for _, n := range c.names {
			if strings.EqualFold(n, name) || strings.EqualFold(c.code, name) {
				return c.zone
			}
		}
	}
	return zone{"UTC", 0}
}

// geoFor places a client near the first city of its country, jittered by n.
func geoFor(geo []country, name string, n uint64) [2]float64 {
	lat, lng := 40.0, -30.0
	for _, c := range geo {
		for _, cn := range c.names {
			if strings.EqualFold(cn, name) {
				lat, lng = c.cities[0].lat, c.cities[0].lng
			}
		}
	}
	h := splitmix64(n)
	return [2]float64{lat + float64(h%2000)/20000 - 0.05, lng + float64((h>>20)%2000)/20000 - 0.05}
}

// Word lists for names. Made up for the sandbox.
func storeWords() (adj, noun []string) {
	return []string{"Main St", "Corner", "Fresh", "Green Leaf", "Sunrise", "Harbor", "Old Town", "Blue Door", "Family", "Metro", "Village", "Lucky", "Golden", "North End", "Riverside"},
		[]string{"Market", "Grocery", "Pharmacy", "Deli", "Mart", "Foods", "Express", "Drugstore", "Convenience", "Supermarket", "Bodega", "Kiosk", "Provisions", "Wine & Spirits"}
}

func personNames() (first, last []string) {
	return []string{"Ana", "Bo", "Carlos", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jae", "Kofi", "Lena", "Marta", "Nikola", "Olivia", "Priya", "Quinn", "Rafael", "Sofia", "Tomás", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"},
		[]string{"Li", "Chan", "García", "Müller", "Novak", "Smith", "O'Brien", "Horvat", "Kowalski", "Nguyen", "Okafor", "Rossi", "Silva", "Tanaka", "Van der Berg", "Jones", "Kovačević", "Schmidt", "Brown", "Haddad"}
}
