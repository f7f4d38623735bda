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

// phoneRegions holds each geographic region's phoneRegion.
var phoneRegions = newRegionTable(func(m *phonenumbers.PhoneMetadata) (*phoneRegion, bool) {
	anchored := func(p, suffix string) (*regexp.Regexp, error) {
		if p == "" {
			return nil, nil
		}
		return regexp.Compile("^(?:" + p + ")" + suffix)
	}
	gd := m.GetGeneralDesc()
	idd, err1 := anchored(m.GetInternationalPrefix(), "")
	prefix, err2 := anchored(m.GetNationalPrefixForParsing(), "")
	nsn, err3 := anchored(gd.GetNationalNumberPattern(), "$")
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, false
	}
	return &phoneRegion{
		cc: m.GetCountryCode(), ccText: strconv.Itoa(int(m.GetCountryCode())),
		idd: idd, prefix: prefix, transform: m.GetNationalPrefixTransformRule() != "", nsn: nsn,
		lengths: gd.GetPossibleLength(), local: gd.GetPossibleLengthLocalOnly(),
	}, true
})

// regionTable compiles what a phone fast path needs of a region's
// libphonenumber metadata when a number of the region first needs it: a
// process compiles the patterns of the countries it sees, not all ~250.
type regionTable[T any] struct {
	compile func(*phonenumbers.PhoneMetadata) (*T, bool)
	entries func() map[string]*regionEntry[T]
}

type regionEntry[T any] struct {
	meta *phonenumbers.PhoneMetadata
	once sync.Once
	v    *T
	ok   bool
}

func newRegionTable[T any](compile func(*phonenumbers.PhoneMetadata) (*T, bool)) *regionTable[T] {
	return &regionTable[T]{compile: compile, entries: sync.OnceValue(func() map[string]*regionEntry[T] {
		coll, err := phonenumbers.MetadataCollection()
		if err != nil {
			return nil
		}
		out := map[string]*regionEntry[T]{}
		for _, m := range coll.GetMetadata() {
			if m.GetId() == "001" { // non-geographic codes: the parser's
				continue
			}
			out[m.GetId()] = &regionEntry[T]{meta: m}
		}
		return out
	})}
}

// get returns the region's compiled form. known is false when the
// metadata cannot be read or a pattern of the region does not compile: the
// caller then leaves the number to the parser. A region the metadata does
// not have is nil and known.
func (t *regionTable[T]) get(region string) (v *T, known bool) {
	entries := t.entries()
	if entries == nil {
		return nil, false
	}
	e := entries[region]
	if e == nil {
		return nil, true
	}
	e.once.Do(func() { e.v, e.ok = t.compile(e.meta) })
	return e.v, e.ok
}
