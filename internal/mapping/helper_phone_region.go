package mapping

import (
	"regexp"
	"slices"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// phoneRegion is what the phone fast paths (intlE164, nationalE164) need of
// a region's libphonenumber metadata, with its patterns compiled as the
// parser compiles them.
type phoneRegion struct {
	cc        int32
	ccText    string
	idd       *regexp.Regexp // international prefix, anchored; nil when none
	prefix    *regexp.Regexp // national prefix for parsing, anchored; nil when none
	transform bool           // the prefix has a transform rule
	nsn       *regexp.Regexp // a whole national number
	lengths   []int32        // possible lengths, ascending
	local     []int32        // lengths possible only locally
}

// possible reports whether libphonenumber's length test lets the parser
// strip the national prefix from a remainder of n digits: anything but too
// short, local-only or a length between the possible ones.
func (r *phoneRegion) possible(n int) bool {
	l := int32(n)
	if len(r.lengths) == 0 || r.lengths[0] == -1 || slices.Contains(r.local, l) || l < r.lengths[0] {
		return false
	}
	return l > r.lengths[len(r.lengths)-1] || slices.Contains(r.lengths, l)
}

// phoneRegions maps each geographic region to its metadata; nil when the
// metadata cannot be read or a pattern does not compile (every number then
// takes the parser).
var phoneRegions = sync.OnceValue(func() map[string]*phoneRegion {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	anchored := func(p, suffix string) (*regexp.Regexp, error) {
		if p == "" {
			return nil, nil
		}
		return regexp.Compile("^(?:" + p + ")" + suffix)
	}
	out := map[string]*phoneRegion{}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" { // non-geographic codes: the parser's
			continue
		}
		gd := m.GetGeneralDesc()
		idd, err1 := anchored(m.GetInternationalPrefix(), "")
		prefix, err2 := anchored(m.GetNationalPrefixForParsing(), "")
		nsn, err3 := anchored(gd.GetNationalNumberPattern(), "$")
		if err1 != nil || err2 != nil || err3 != nil {
			return nil
		}
		out[m.GetId()] = &phoneRegion{
			cc: m.GetCountryCode(), ccText: strconv.Itoa(int(m.GetCountryCode())),
			idd: idd, prefix: prefix, transform: m.GetNationalPrefixTransformRule() != "", nsn: nsn,
			lengths: gd.GetPossibleLength(), local: gd.GetPossibleLengthLocalOnly(),
		}
	}
	return out
})
