package mapping

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The helpers' fast paths must return exactly what the general code
// returns. These tests compare the two over generated inputs; the fuzz
// targets below keep looking.

// phoneShapes writes ten digits d the ways people write phone numbers.
var phoneShapes = []string{
	"%s%s%s", "(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s %s %s", "(%s)%s-%s", " %s - %s - %s ",
	"((%s)) %s..%s", "%s-%s-%s-", "-%s%s%s", "(%s %s %s)", "%s)(%s(%s",
}

// phonePrefixes come before a formatted number.
var phonePrefixes = []string{"", "1", "1 ", "1-", "+1", "+1 ", "+1-", "+ 1 ", "+", "++1", "0", "01", "011 ", "00", "001 ", "+44 ", "11", "+11"}

func genPhones(r *rand.Rand, n int) []string {
	const digits = "0123456789"
	num := func(k int) string {
		b := make([]byte, k)
		for i := range b {
			b[i] = digits[r.IntN(10)]
		}
		return string(b)
	}
	areas := []string{"415", "617", "212", "416", "604", "868", "787", "671", "684", "345", "800", "900", "555", "011", "123", "999", "211", "289"}
	out := make([]string, 0, n)
	for len(out) < n {
		area := areas[r.IntN(len(areas))]
		if r.IntN(3) == 0 {
			area = num(3)
		}
		exch, line := num(3), num(4)
		switch r.IntN(8) {
		case 0:
			line = num(3) // too short
		case 1:
			line = num(5) // too long
		case 2:
			exch = string(digits[r.IntN(2)]) + num(2) // exchange 0xx/1xx
		}
		s := phonePrefixes[r.IntN(len(phonePrefixes))] + fmt.Sprintf(phoneShapes[r.IntN(len(phoneShapes))], area, exch, line)
		if r.IntN(10) == 0 {
			s += []string{" x12", " ext. 7", "#", ";ext=1", "a", ",,2", "/", " ", "\t"}[r.IntN(9)]
		}
		out = append(out, s)
	}
	return out
}

func TestNANPE164MatchesParser(t *testing.T) {
	t.Parallel()

	regions := []string{"US", "CA", "ZZ", "", "GB", "DE", "AG", "PR"}
	phones := genPhones(rand.New(rand.NewPCG(1, 2)), 3000)
	for _, region := range regions {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			for _, p := range phones {
				if got, want := regionE164(p, region), libE164(p, region); got != want {
					t.Errorf("regionE164(%q, %q) = %q, parser gives %q", p, region, got, want)
				}
			}
		})
	}
	requireFastPath(t, len(phones), 4, func(i int) (string, bool) { return nanpE164(phones[i], "US") })
}

func TestCollapseSpacesMatchesFields(t *testing.T) {
	t.Parallel()

	tests := []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "Mary Ann Smith", "é b", "a\u00a0b", "a\u0085", "\u2003x", "x\n"}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "ab \t\n\r\v\fé\u00a0\u2003."
	runes := []rune(alphabet)
	for range 2000 {
		b := make([]rune, r.IntN(8))
		for i := range b {
			b[i] = runes[r.IntN(len(runes))]
		}
		tests = append(tests, string(b))
	}
	for _, s := range tests {
		if got, want := collapseSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpaces(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestCountryKeyMatchesSlowPath(t *testing.T) {
	t.Parallel()

	tests := []string{"", "USA", "U.S.A.", " the  United States ", "The Netherlands", "the", "thE uk", "méxico", "UK\t", "..us..",
		strings.Repeat("a", maxASCIICountry), strings.Repeat("a", maxASCIICountry+1), "Bosnia and  Herzegovina", "de", "xx"}
	r := rand.New(rand.NewPCG(5, 6))
	const alphabet = "usaUSAthe .\t\né"
	runes := []rune(alphabet)
	for range 2000 {
		b := make([]rune, r.IntN(10))
		for i := range b {
			b[i] = runes[r.IntN(len(runes))]
		}
		tests = append(tests, string(b))
	}
	for _, s := range tests {
		key, ok := asciiCountryKey(s, nil)
		if ok && string(key) != slowCountryKey(s) {
			t.Errorf("asciiCountryKey(%q) = %q, want %q", s, key, slowCountryKey(s))
		}
	}
}

// oldMergeTags is mergeTags as it was before tagMerger, the reference for
// the faster version.
func oldMergeTags(args []any) []any {
	seen := map[string]bool{}
	var out []string
	for _, a := range args {
		var tags []string
		switch x := a.(type) {
		case []any:
			for _, e := range x {
				tags = append(tags, e.(string))
			}
		case string:
			tags = strings.Split(x, ",")
		}
		for _, tag := range tags {
			tag = strings.TrimSpace(tag)
			if tag != "" && !seen[strings.ToLower(tag)] {
				seen[strings.ToLower(tag)] = true
				out = append(out, tag)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	res := make([]any, len(out))
	for i, t := range out {
		res[i] = t
	}
	return res
}

func TestMergeTagsMatchesReference(t *testing.T) {
	t.Parallel()

	words := []string{"a", "A", "b", " B ", "vip", "VIP", "Vip", "territory:x", "", "ä", "Ä", "c,d", "ß", "SS"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 500 {
		var args []any
		for range r.IntN(4) {
			if r.IntN(2) == 0 {
				l := make([]any, r.IntN(40))
				for i := range l {
					l[i] = words[r.IntN(len(words))] + strings.Repeat("x", r.IntN(3))
				}
				args = append(args, l)
			} else {
				var parts []string
				for range r.IntN(30) {
					parts = append(parts, words[r.IntN(len(words))]+fmt.Sprint(r.IntN(20)))
				}
				args = append(args, strings.Join(parts, ","))
			}
		}
		got, err := mergeTags(args)
		if want := oldMergeTags(args); err != nil || !slices.Equal(got, want) {
			t.Fatalf("mergeTags(%q) = %q, %v; want %q", args, got, err, want)
		}
	}
}

// FuzzE164 checks the phone fast paths (North American, international,
// national) against libphonenumber's parser for any text and country.
func FuzzE164(f *testing.F) {
	for _, p := range genPhones(rand.New(rand.NewPCG(9, 10)), 60) {
		f.Add(p, "US")
	}
	f.Add("+1 (415) 555-2671", "")
	f.Add("1 415 555 2671", "Canada")
	f.Add("0044 7911 123456", "")
	f.Add("212.555.0132 x41", "US")
	f.Add("416-555-0123 X7", "Canada")
	f.Add("+44 20 7946 0185 x123456789", "")
	for _, p := range genIntlPhones(rand.New(rand.NewPCG(11, 12)), 60) {
		f.Add(p, "")
	}
	phones, regions := genNationalPhones(rand.New(rand.NewPCG(13, 14)), 60)
	for i, p := range phones {
		f.Add(p, regions[i])
	}
	f.Fuzz(func(t *testing.T, phone, country string) {
		region := countryCode(country)
		if got, want := regionE164(phone, region), libE164(phone, region); got != want {
			t.Fatalf("regionE164(%q, %q) = %q, parser gives %q", phone, region, got, want)
		}
	})
}

// FuzzTextFastPaths checks the allocation-free name and country paths
// against the general code.
func FuzzTextFastPaths(f *testing.F) {
	for _, s := range []string{"Mary Ann  Smith", " the U.S.A. ", "méxico", "a\u00a0b", "\tuk"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapseSpaces(%q) = %q, want %q", s, got, want)
		}
		if key, ok := asciiCountryKey(s, nil); ok && string(key) != slowCountryKey(s) {
			t.Fatalf("asciiCountryKey(%q) = %q, want %q", s, key, slowCountryKey(s))
		}
	})
}
