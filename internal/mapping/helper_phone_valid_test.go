package mapping

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestValidNumberMatchesLibrary holds validE164 to the library over every
// region's example numbers of every type, mutated: digits changed, added
// and dropped, so that numbers fall between types, regions sharing a code
// (North America's, +44's, +7's) and lengths.
func TestValidNumberMatchesLibrary(t *testing.T) {
	t.Parallel()
	if r, known := regionValidity.get("US"); r == nil || !known {
		t.Fatal("the library's metadata did not load")
	}
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	type number struct {
		cc  int32
		nsn string
	}
	var examples []number
	for _, region := range slices.Sorted(func(yield func(string) bool) {
		for r := range phonenumbers.GetSupportedRegions() {
			if !yield(r) {
				return
			}
		}
	}) {
		for _, typ := range types {
			if num := phonenumbers.GetExampleNumberForType(region, typ); num != nil && !num.GetItalianLeadingZero() {
				examples = append(examples, number{num.GetCountryCode(), strconv.FormatUint(num.GetNationalNumber(), 10)})
			}
		}
	}
	if len(examples) < 1000 {
		t.Fatalf("only %d example numbers", len(examples))
	}
	r := rand.New(rand.NewPCG(21, 22))
	const digits = "0123456789"
	valid, invalid := 0, 0
	check := func(n number) {
		if n.nsn == "" || n.nsn[0] == '0' || len(n.nsn) > 17 {
			return
		}
		want := libraryE164(n.cc, n.nsn)
		if got := validE164(n.cc, []byte(n.nsn)); got != want {
			t.Errorf("validE164(%d, %s) = %q, the library says %q", n.cc, n.nsn, got, want)
		}
		if want != "" {
			valid++
		} else {
			invalid++
		}
	}
	for _, ex := range examples {
		check(ex)
	}
	for range 30_000 {
		ex := examples[r.IntN(len(examples))]
		b := []byte(ex.nsn)
		for i := range b {
			if i > 0 && r.IntN(4) == 0 {
				b[i] = digits[r.IntN(10)]
			}
		}
		switch r.IntN(4) {
		case 0:
			b = append(b, digits[r.IntN(10)])
		case 1:
			b = b[:len(b)-1]
		}
		check(number{ex.cc, string(b)})
	}
	// Both answers must be common, or the comparison proves little.
	if valid < 5_000 || invalid < 5_000 {
		t.Fatalf("%d valid and %d invalid numbers compared; want both over 5,000", valid, invalid)
	}
	t.Logf("%d valid and %d invalid numbers agree with the library", valid, invalid)
}

// FuzzValidNumber compares validE164 with the library for any calling code
// and national number.
func FuzzValidNumber(f *testing.F) {
	for _, seed := range []struct {
		cc  int32
		nsn uint64
	}{{1, 2125550143}, {1, 4165550123}, {44, 2079460123}, {44, 7624123456}, {7, 9123456789}, {7, 7012345678}, {49, 307224233}, {385, 17711478}, {262, 269611234}} {
		f.Add(seed.cc, seed.nsn)
	}
	f.Fuzz(func(t *testing.T, cc int32, national uint64) {
		if cc <= 0 || cc > 999 || national == 0 {
			return
		}
		nsn := strconv.FormatUint(national, 10)
		if len(nsn) > 17 {
			return
		}
		if got, want := validE164(cc, []byte(nsn)), libraryE164(cc, nsn); got != want {
			t.Fatalf("validE164(%d, %s) = %q, the library says %q", cc, nsn, got, want)
		}
	})
}
