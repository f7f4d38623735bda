package ghlsandbox

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// genE164 writes "+" numbers: every region's example numbers of every
// type in E.164, every calling code with a few lengths, mutated: digits
// changed, added or dropped, a trunk 0 or 1 or leading zeros after the
// code, and the code itself changed.
func genE164(r *rand.Rand, n int) []string {
	var examples []string
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.UAN}
	for _, region := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions())) {
		for _, typ := range types {
			if num := phonenumbers.GetExampleNumberForType(region, typ); num != nil {
				examples = append(examples, phonenumbers.Format(num, phonenumbers.E164))
			}
		}
	}
	for _, cc := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedGlobalNetworkCallingCodes())) {
		examples = append(examples, "+"+strconv.Itoa(cc)+"12345678")
	}
	const digits = "0123456789"
	out := make([]string, 0, n)
	for len(out) < n {
		b := []byte(examples[r.IntN(len(examples))])
		for i := 2; i < len(b); i++ {
			if r.IntN(4) == 0 {
				b[i] = digits[r.IntN(10)]
			}
		}
		at := 2 + r.IntN(3) // just after a one- to three-digit code
		if at > len(b) {
			at = len(b)
		}
		switch r.IntN(8) {
		case 0:
			b = slices.Insert(b, at, '0')
		case 1:
			b = slices.Insert(b, at, '1')
		case 2:
			b = slices.Insert(b, at, '0', '0')
		case 3:
			b = append(b, digits[r.IntN(10)])
		case 4:
			b = b[:len(b)-1]
		case 5:
			b[1] = digits[r.IntN(10)]
		}
		out = append(out, string(b))
	}
	return out
}

// TestE164KeptMatchesParser: whenever e164Kept takes a number, the parser
// keeps it too, in any default region.
func TestE164KeptMatchesParser(t *testing.T) {
	t.Parallel()
	regions := []string{"US", "CA", "GB", "DE", "FR", "IT", "BR", "IN", "AU", "JP", "MX", "HR"}
	phones := genE164(rand.New(rand.NewPCG(31, 32)), 6000)
	kept := 0
	for _, p := range phones {
		if !e164Kept(p) {
			continue
		}
		kept++
		for _, region := range regions {
			if got := parsePhone(p, region); got != p {
				t.Errorf("e164Kept(%q), but the parser makes it %q in %s", p, got, region)
			}
		}
	}
	// The fast path must be the common case, and not the only one.
	if kept < len(phones)/2 || kept == len(phones) {
		t.Fatalf("%d of %d numbers kept without the parser", kept, len(phones))
	}
	t.Logf("%d of %d numbers kept without the parser", kept, len(phones))
}

// FuzzNormalizePhone compares normalizePhone with the parser's path.
func FuzzNormalizePhone(f *testing.F) {
	for _, p := range genE164(rand.New(rand.NewPCG(33, 34)), 60) {
		f.Add(p, "US")
	}
	f.Add("+440201234567", "GB")
	f.Add("+0044201234567", "GB")
	f.Add("(617) 555-0100", "US")
	f.Fuzz(func(t *testing.T, raw, country string) {
		got := normalizePhone(raw, country, "")
		region := strings.ToUpper(country)
		if len(region) != 2 {
			region = "US"
		}
		want := strings.TrimSpace(raw)
		if want != "" {
			want = parsePhone(want, region)
		}
		if got != want {
			t.Fatalf("normalizePhone(%q, %q) = %q, the parser says %q", raw, country, got, want)
		}
	})
}
