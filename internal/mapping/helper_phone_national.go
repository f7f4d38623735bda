package mapping

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

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
	r := nationalRegions()[region]
	if r == nil {
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
	national, err := strconv.ParseUint(string(rest), 10, 64)
	if err != nil {
		return "", false
	}
	num := &phonenumbers.PhoneNumber{CountryCode: &r.cc, NationalNumber: &national}
	if !phonenumbers.IsValidNumber(num) {
		return "", true
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// nationalRegion is what nationalE164 needs of a region's metadata.
type nationalRegion struct {
	cc        int32
	ccText    string
	idd       *regexp.Regexp // international prefix, anchored at the start
	prefix    *regexp.Regexp // national prefix for parsing, anchored
	transform bool           // the prefix has a transform rule
	nsn       *regexp.Regexp // a whole national number
	lengths   []int32        // possible lengths, ascending
	local     []int32        // lengths possible only locally
}

// possible reports whether libphonenumber's length test lets the parser
// strip the national prefix from a remainder of n digits: anything but too
// short, local-only or a length between the possible ones.
func (r *nationalRegion) possible(n int) bool {
	l := int32(n)
	if len(r.lengths) == 0 || r.lengths[0] == -1 || slices.Contains(r.local, l) || l < r.lengths[0] {
		return false
	}
	return l > r.lengths[len(r.lengths)-1] || slices.Contains(r.lengths, l)
}

// nationalRegions maps each region with a national prefix, other than
// North America's, to its metadata; nil when the metadata cannot be read
// (every number then takes the parser).
var nationalRegions = sync.OnceValue(func() map[string]*nationalRegion {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	out := map[string]*nationalRegion{}
	for _, m := range coll.GetMetadata() {
		pfp := m.GetNationalPrefixForParsing()
		if pfp == "" || m.GetCountryCode() == 1 || m.GetInternationalPrefix() == "" {
			continue
		}
		gd := m.GetGeneralDesc()
		idd, err1 := regexp.Compile("^(?:" + m.GetInternationalPrefix() + ")")
		prefix, err2 := regexp.Compile("^(?:" + pfp + ")")
		nsn, err3 := regexp.Compile("^(?:" + gd.GetNationalNumberPattern() + ")$")
		if err1 != nil || err2 != nil || err3 != nil {
			return nil
		}
		out[m.GetId()] = &nationalRegion{
			cc: m.GetCountryCode(), ccText: strconv.Itoa(int(m.GetCountryCode())),
			idd: idd, prefix: prefix, transform: m.GetNationalPrefixTransformRule() != "", nsn: nsn,
			lengths: gd.GetPossibleLength(), local: gd.GetPossibleLengthLocalOnly(),
		}
	}
	return out
})
