package mapping

import (
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// intlE164 handles numbers written in international form ("+44 20 7946
// 0123") without libphonenumber's parser, whose generic checks (is this a
// phone number at all, does it end in an extension) are regular
// expressions that cost more than the rest of a mapping together; ok is
// false for anything it does not handle, which then takes the parser.
//
// It accepts only a "+" followed by ASCII digits and the separators
// ( ) . - and space. For such text the parser finds no extension, reads the
// country code as the shortest known code the digits start with, and keeps
// the remaining digits as the national number unless the country's
// national prefix (a trunk "0", a carrier code) matches at their start.
// Those cases, leading zeros, North American and non-geographic codes,
// and lengths the parser refuses all go to the parser, so the number
// built here is the parser's. Validity is libphonenumber's metadata read
// as its IsValidNumber reads it (validE164). TestIntlE164MatchesParser and
// FuzzE164 hold the result to the parser's.
func intlE164(phone string) (string, bool) {
	if len(phone) < 2 || phone[0] != '+' {
		return "", false
	}
	var buf [20]byte
	d, ok := plainDigits(buf[:0], phone[1:])
	n := len(d)
	if !ok || n < 3 || d[0] == '0' {
		return "", false
	}
	cc, region := 0, ""
	for i := 1; i <= 3 && i < n; i++ {
		code, _ := strconv.Atoi(string(d[:i]))
		if r := phonenumbers.GetRegionCodeForCountryCode(code); r != "ZZ" {
			cc, region, d = code, r, d[i:]
			break
		}
	}
	// 1 is North America's (nanpE164's), 001 the non-geographic codes'.
	if cc == 0 || cc == 1 || region == "001" || len(d) < 2 || len(d) > 17 || d[0] == '0' {
		return "", false
	}
	r, known := phoneRegions.get(region)
	if !known || (r != nil && r.prefix != nil && r.prefix.Match(d)) {
		return "", false
	}
	return validE164(int32(cc), d), true
}
