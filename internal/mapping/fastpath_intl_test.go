package mapping

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// example is an example number as text, with its region.
type example struct{ text, region string }

// exampleNumbers returns every region's fixed-line, mobile and toll-free
// example numbers in format, regions in order.
func exampleNumbers(format phonenumbers.PhoneNumberFormat) []example {
	var out []example
	for _, region := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions())) {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE} {
			if num := phonenumbers.GetExampleNumberForType(region, typ); num != nil {
				out = append(out, example{phonenumbers.Format(num, format), region})
			}
		}
	}
	return out
}

// genIntlPhones writes numbers in international form: every region's
// example numbers as libphonenumber formats them, with digits changed,
// added or dropped, with other separators, and with a trunk 0 or a
// carrier code where people write one.
func genIntlPhones(r *rand.Rand, n int) []string {
	examples := exampleNumbers(phonenumbers.INTERNATIONAL)
	for _, cc := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedGlobalNetworkCallingCodes())) {
		examples = append(examples, example{text: fmt.Sprintf("+%d 1234 5678", cc)})
	}
	const digits = "0123456789"
	out := make([]string, 0, n)
	for len(out) < n {
		b := []byte(examples[r.IntN(len(examples))].text)
		cut := strings.IndexByte(string(b), ' ') // after the country code
		if cut > 0 {
			changeDigits(r, b[cut+1:])
		}
		s := string(b)
		switch r.IntN(8) {
		case 0:
			s += string(digits[r.IntN(10)])
		case 1:
			s = s[:len(s)-1]
		case 2:
			if cut > 0 {
				s = s[:cut+1] + []string{"0", "(0)", "00", "15", "1", "8", "06"}[r.IntN(7)] + s[cut+1:]
			}
		case 3:
			s = strings.ReplaceAll(s, " ", []string{"-", ".", "", "  ", " - "}[r.IntN(5)])
		}
		if r.IntN(12) == 0 {
			s += []string{" x12", "#", ";ext=1", "a", ",,2", "/", " ", "\t"}[r.IntN(8)]
		}
		out = append(out, s)
	}
	return out
}

func TestIntlE164MatchesParser(t *testing.T) {
	t.Parallel()

	// The fast path does not look at the region; the parser reads a "+"
	// number the same in any, which a few regions show.
	phones := genIntlPhones(rand.New(rand.NewPCG(5, 6)), 4000)
	for _, region := range []string{"", "US", "GB", "AR"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			for _, p := range phones {
				if got, want := regionE164(p, region), libE164(p, region); got != want {
					t.Errorf("regionE164(%q, %q) = %q, parser gives %q", p, region, got, want)
				}
			}
		})
	}
	requireFastPath(t, len(phones), 4, func(i int) (string, bool) { return intlE164(phones[i]) })
}

// requireFastPath checks that a generator exercises a fast path: at least
// one in share of its n numbers takes it (fast(i) ok), and one in ten is
// valid there, not just refused.
func requireFastPath(t *testing.T, n, share int, fast func(i int) (string, bool)) {
	t.Helper()
	took, valid := 0, 0
	for i := range n {
		if v, ok := fast(i); ok {
			took++
			if v != "" {
				valid++
			}
		}
	}
	if took < n/share || valid < n/10 {
		t.Fatalf("only %d of %d generated numbers took the fast path, %d of them valid", took, n, valid)
	}
	t.Logf("%d of %d numbers took the fast path, %d of them valid", took, n, valid)
}

// genNationalPhones writes numbers in their region's national form: every
// region's example numbers as libphonenumber formats them for dialling
// inside the region, with digits changed, added or dropped, the trunk
// prefix dropped or doubled, and other separators. Each comes with its
// region.
func genNationalPhones(r *rand.Rand, n int) (phones, regions []string) {
	examples := exampleNumbers(phonenumbers.NATIONAL)
	const digits = "0123456789"
	for len(phones) < n {
		ex := examples[r.IntN(len(examples))]
		b := []byte(ex.text)
		if len(b) > 2 {
			changeDigits(r, b[2:])
		}
		s := string(b)
		cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(ex.region))
		switch r.IntN(11) {
		case 0:
			s += string(digits[r.IntN(10)])
		case 1:
			s = s[:len(s)-1]
		case 2:
			s = strings.TrimLeft(s, "0(")
		case 3:
			s = "0" + s
		case 4:
			s = strings.ReplaceAll(s, " ", []string{"-", ".", "", "  "}[r.IntN(4)])
		case 5: // dialled with an international prefix
			s = []string{"00", "011", "0011", "810", "001"}[r.IntN(5)] + " " + cc + " " + strings.TrimLeft(s, "0(")
		case 6: // the country code without a plus
			s = cc + " " + strings.TrimLeft(s, "0(")
		}
		if r.IntN(15) == 0 {
			s += []string{" x12", "#", "a", "/", "\t"}[r.IntN(5)]
		}
		phones = append(phones, s)
		regions = append(regions, ex.region)
	}
	return phones, regions
}

func TestNationalE164MatchesParser(t *testing.T) {
	t.Parallel()

	phones, regions := genNationalPhones(rand.New(rand.NewPCG(7, 8)), 5000)
	for i, p := range phones {
		// Its own region, and one that reads it differently.
		for _, region := range []string{regions[i], "GB"} {
			if got, want := regionE164(p, region), libE164(p, region); got != want {
				t.Errorf("regionE164(%q, %q) = %q, parser gives %q", p, region, got, want)
			}
		}
	}
	requireFastPath(t, len(phones), 5, func(i int) (string, bool) { return nationalE164(phones[i], regions[i]) })
}

// changeDigits changes about a third of the digits of b at random.
func changeDigits(r *rand.Rand, b []byte) {
	for i, c := range b {
		if c >= '0' && c <= '9' && r.IntN(3) == 0 {
			b[i] = byte('0' + r.IntN(10))
		}
	}
}
