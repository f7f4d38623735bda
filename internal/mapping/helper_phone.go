package mapping

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// toE164 normalises a phone number to E.164 ("+14155552671"). country is the
// region for numbers written without a country code: an ISO alpha-2 code or
// any name countryCode understands. It returns "" when the number is not a
// valid number, so a mapping writes nothing rather than garbage.
func toE164(phone, country string) string {
	phone = strings.TrimSpace(phone)
	if phone == "" {
		return ""
	}
	key := phone + "\x00" + country
	if v, ok := e164Cache.get(key); ok {
		return v
	}
	v := parseE164(phone, country)
	e164Cache.put(key, v)
	return v
}

// e164Cache remembers recent normalisations: libphonenumber's parse is
// the most expensive step of a typical mapping, and the same numbers come
// again on every poll of an unchanged record.
var e164Cache = newStringCache(50_000)

func parseE164(phone, country string) string {
	region := countryCode(country)
	if region == "" {
		region = "ZZ" // unknown region: only "+..." numbers parse
	}
	// "00" is the international prefix in most of the world; libphonenumber
	// only understands it relative to a region that uses it.
	if strings.HasPrefix(phone, "00") && region == "ZZ" {
		phone = "+" + phone[2:]
	}
	num, err := phonenumbers.Parse(phone, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return ""
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}
