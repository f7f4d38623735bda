package ghlsandbox

import (
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// normalizePhone stores phone numbers in E.164 (reference §5.1: phone is
// E.164), reading national numbers in the contact's country, else the
// location's. A number that cannot be parsed is kept as entered.
func normalizePhone(raw, country, locationCountry string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	region := strings.ToUpper(country)
	if len(region) != 2 {
		region = strings.ToUpper(locationCountry)
	}
	if len(region) != 2 {
		region = "US"
	}
	if e164Kept(raw) {
		return raw
	}
	key := phoneKey{raw: raw, region: region}
	if out, ok := phones.get(key); ok {
		return out
	}
	out := parsePhone(raw, region)
	phones.put(key, out)
	return out
}

// parsePhone is normalizePhone's libphonenumber path, for a trimmed phone
// and a region.
func parsePhone(raw, region string) string {
	if n, err := phonenumbers.Parse(raw, region); err == nil && phonenumbers.IsPossibleNumber(n) {
		return phonenumbers.Format(n, phonenumbers.E164)
	}
	return raw
}

// phones memoises normalizePhone, a pure function of the number and the
// region that costs tens of microseconds (phonenumbers parses with
// regular expressions). ServeHTTP calls it once before taking s.mu
// (warmPhone), so the parse under the lock is a lookup.
var phones = phoneMemo{m: map[phoneKey]string{}}

type phoneKey struct{ raw, region string }

// phoneMemoMax bounds the memo; it is emptied when full.
const phoneMemoMax = 1 << 14

type phoneMemo struct {
	mu sync.Mutex
	m  map[phoneKey]string
}

func (pm *phoneMemo) get(k phoneKey) (string, bool) {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	v, ok := pm.m[k]
	return v, ok
}

func (pm *phoneMemo) put(k phoneKey, v string) {
	pm.mu.Lock()
	defer pm.mu.Unlock()
	if len(pm.m) >= phoneMemoMax {
		clear(pm.m)
	}
	pm.m[k] = v
}

// warmPhone normalises the phone of a bound contact body before s.mu is
// taken, in the region normalizeContact will most likely use: the body's
// country, else its location's. A wrong guess costs a parse under the lock.
func (s *Server) warmPhone(in input) {
	phone, _ := in.str("phone")
	if strings.TrimSpace(phone) == "" {
		return
	}
	country, _ := in.str("country")
	locID, _ := in.str("locationId")
	country = strings.TrimSpace(country)
	locCountry, known := s.locCountry[locID]
	if len(country) != 2 && !known {
		return
	}
	normalizePhone(phone, country, locCountry)
}

// normalizeEmail trims an email; HighLevel keeps its case and matches on
// the lower-case form (emailLowerCase).
func normalizeEmail(raw string) string { return strings.TrimSpace(raw) }

// normalizeTag trims and lower-cases a tag: HighLevel shows and matches tags
// in lower case.
func normalizeTag(raw string) string { return strings.ToLower(strings.TrimSpace(raw)) }

// mergeTags appends the tags of add that tags lacks.
func mergeTags(tags []string, add []string) []string {
	for _, t := range add {
		t = normalizeTag(t)
		if t != "" && !containsFold(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

// normalizeTags returns tags normalised and without duplicates.
func normalizeTags(tags []string) []string { return mergeTags([]string{}, tags) }

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}
