package mapping

import "strings"

// nationalE164 handles numbers written in a region's national form ("020
// 7946 0123" in GB) without libphonenumber's parser, as intlE164 does for
// international ones; ok is false for anything it does not handle, which
// then takes the parser.
//
// It accepts only ASCII digits and the separators ( ) . - and space. The
// parser reads such a number as national when it starts with neither the
// region's international prefix nor its country code, strips the
// region's national prefix (the trunk "0") when what remains is a
// national number of a possible length, and keeps the rest. This follows
// those steps with the parser's own metadata and patterns, and leaves to
// the parser every case where they branch otherwise: no national prefix,
// a prefix rewritten by a transform rule, a remainder the region's
// pattern or lengths refuse, leading zeros, North America (nanpE164's).
// TestNationalE164MatchesParser and FuzzE164 hold the result to the
// parser's.
func nationalE164(phone, region string) (string, bool) {
	r, _ := phoneRegions.get(region)
	// North America is nanpE164's; without a national or international
	// prefix the parser takes other branches.
	if r == nil || r.prefix == nil || r.idd == nil || r.nsn == nil || r.cc == 1 {
		return "", false
	}
	var buf [20]byte
	d, ok := plainDigits(buf[:0], phone)
	if !ok || len(d) < 3 || r.idd.Match(d) || strings.HasPrefix(string(d), r.ccText) {
		return "", false
	}
	m := r.prefix.FindSubmatchIndex(d)
	if m == nil || (r.transform && m[len(m)-2] >= 0) {
		return "", false
	}
	rest := d[m[1]:]
	if r.nsn.Match(d) && !r.nsn.Match(rest) {
		return "", false // the parser keeps the prefix
	}
	if !r.possible(len(rest)) || len(rest) < 2 || len(rest) > 17 || rest[0] == '0' {
		return "", false
	}
	return validE164(r.cc, rest), true
}
