package mapping

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// validE164 formats a parsed number as E.164 when libphonenumber would
// call it valid, for the phone fast paths: cc is a geographic country
// calling code and nsn the national significant number's digits, without
// a leading zero. It answers what phonenumbers.IsValidNumber answers
// (TestValidNumberMatchesLibrary), only faster: the library builds each
// pattern's anchored text, looks it up in a locked cache and runs it twice
// per number type; here every pattern is compiled once and run once.
func validE164(cc int32, nsn []byte) string {
	if ok, known := validNumber(cc, nsn); known {
		if !ok {
			return ""
		}
		b := make([]byte, 0, 1+4+len(nsn))
		b = append(b, '+')
		b = strconv.AppendInt(b, int64(cc), 10)
		return string(append(b, nsn...))
	}
	return libraryE164(cc, string(nsn))
}

// libraryE164 is the library's own answer: the number in E.164 when
// IsValidNumber says it is valid, else "".
func libraryE164(cc int32, nsn string) string {
	national, err := strconv.ParseUint(nsn, 10, 64)
	if err != nil {
		return ""
	}
	num := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &national}
	if !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// numberDesc is one of a region's number types: the lengths its numbers
// may have (any when empty) and its whole-number pattern.
type numberDesc struct {
	lengths []int32
	pattern *regexp.Regexp // anchored both ends; nil matches nothing
}

func (d numberDesc) match(nsn []byte) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.pattern != nil && d.pattern.Match(nsn)
}

// regionTypes is what validity needs of a region's metadata.
type regionTypes struct {
	leading *regexp.Regexp // leading digits that pick this region among its code's; nil when none
	general numberDesc
	types   []numberDesc // premium rate ... voicemail, fixed line, then mobile unless it is the fixed line's pattern
}

// known reports whether the number has a type in the region, as
// libphonenumber's getNumberTypeHelper does (anything but UNKNOWN).
func (r *regionTypes) known(nsn []byte) bool {
	if !r.general.match(nsn) {
		return false
	}
	for _, d := range r.types {
		if d.match(nsn) {
			return true
		}
	}
	return false
}

// validNumber follows phonenumbers.IsValidNumber: the number's region is
// its code's only region, or the first of them whose leading digits start
// it or, without leading digits, in which it has a type; then it must have
// a type there. known is false when a region's metadata is not at hand.
func validNumber(cc int32, nsn []byte) (ok, known bool) {
	codes := phonenumbers.GetRegionCodesForCountryCode(int(cc))
	if len(codes) == 0 {
		return false, true
	}
	var region *regionTypes
	for _, code := range codes {
		r, known := regionValidity.get(code)
		if !known || r == nil {
			return false, false
		}
		if len(codes) == 1 {
			region = r
			break
		}
		if r.leading != nil {
			if r.leading.Match(nsn) {
				region = r
				break
			}
		} else if r.known(nsn) {
			return true, true
		}
	}
	if region == nil {
		return false, true
	}
	return region.known(nsn), true
}

// regionValidity holds each geographic region's number types.
var regionValidity = newRegionTable(func(m *phonenumbers.PhoneMetadata) (*regionTypes, bool) {
	desc := func(d *phonenumbers.PhoneNumberDesc) (numberDesc, error) {
		out := numberDesc{lengths: d.GetPossibleLength()}
		var err error
		out.pattern, err = regexp.Compile("^(?:" + d.GetNationalNumberPattern() + ")$")
		return out, err
	}
	r := &regionTypes{}
	var err error
	if ld := m.GetLeadingDigits(); ld != "" {
		if r.leading, err = regexp.Compile("^(?:" + ld + ")"); err != nil {
			return nil, false
		}
	}
	if r.general, err = desc(m.GetGeneralDesc()); err != nil {
		return nil, false
	}
	types := []*phonenumbers.PhoneNumberDesc{m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(), m.GetVoip(),
		m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail(), m.GetFixedLine()}
	if !m.GetSameMobileAndFixedLinePattern() {
		types = append(types, m.GetMobile())
	}
	for _, t := range types {
		d, err := desc(t)
		if err != nil {
			return nil, false
		}
		r.types = append(r.types, d)
	}
	return r, true
})
