package ghlsandbox

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// e164Kept reports, without libphonenumber's parser, that normalizePhone
// keeps raw as it is: raw is "+" and digits, already in E.164, the form
// every API client that normalises its numbers sends.
//
// For such text the parser takes the country code (the first one to three
// digits naming one), the rest as the national number, and strips nothing
// from it unless the national prefix for parsing of the code's main region
// starts it. Formatting that number in E.164 gives the text back, leading
// zeros included; and a number it cannot parse, or one not possible, is
// kept as entered too. So whenever a code is found, the national number
// has 2 to 17 digits and that prefix does not start it, the answer is raw
// whatever the rest of the parse says. Everything else takes the parser.
// TestE164KeptMatchesParser and FuzzNormalizePhone hold the two equal.
func e164Kept(raw string) bool {
	if len(raw) < 4 || len(raw) > 18 || raw[0] != '+' || raw[1] == '0' {
		return false
	}
	for i := 1; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return false
		}
	}
	digits := raw[1:]
	for i := 1; i <= 3 && i < len(digits); i++ {
		cc, _ := strconv.Atoi(digits[:i])
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) == 0 {
			continue
		}
		nsn := digits[i:]
		if len(nsn) < 2 || len(nsn) > 17 {
			return false
		}
		prefix, ok := parsingPrefixes.of(cc)
		return ok && (prefix == nil || !prefix.MatchString(nsn))
	}
	return false
}

// parsingPrefixes holds, per country code, the national prefix for
// parsing of the metadata the parser reads a "+" number of that code with
// (its main region's, or the non-geographic entity's), anchored at the
// start, compiled on first use; nil when there is none.
var parsingPrefixes = prefixTable{m: map[int]prefixEntry{}}

type prefixTable struct {
	mu sync.Mutex
	m  map[int]prefixEntry
}

type prefixEntry struct {
	re *regexp.Regexp
	ok bool // false: the metadata could not be read or compiled (take the parser)
}

func (t *prefixTable) of(cc int) (*regexp.Regexp, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.m[cc]; ok {
		return e.re, e.ok
	}
	e := compilePrefix(cc)
	t.m[cc] = e
	return e.re, e.ok
}

func compilePrefix(cc int) prefixEntry {
	region := phonenumbers.GetRegionCodeForCountryCode(cc)
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return prefixEntry{}
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() != region || (region == "001" && int(m.GetCountryCode()) != cc) {
			continue
		}
		p := m.GetNationalPrefixForParsing()
		if p == "" {
			return prefixEntry{ok: true}
		}
		re, err := regexp.Compile("^(?:" + p + ")")
		return prefixEntry{re: re, ok: err == nil}
	}
	return prefixEntry{}
}
