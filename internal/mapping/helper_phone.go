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
	// The result depends on the region only, so "USA" and "US" share
	// entries, and a struct key needs no concatenated string.
	key := e164Key{phone: phone, region: countryCode(country)}
	if v, ok := e164Cache.get(key); ok {
		return v
	}
	v := regionE164(key.phone, key.region)
	e164Cache.put(key, v)
	return v
}

type e164Key struct{ phone, region string }

// e164Cache remembers recent normalisations: libphonenumber's parse is
// the most expensive step of a typical mapping, and the same numbers come
// again on every poll of an unchanged record.
var e164Cache = newBoundedCache[e164Key, string](50_000)

// parseE164 is toE164 without the cache, for a trimmed, non-empty phone.
func parseE164(phone, country string) string {
	return regionE164(phone, countryCode(country))
}

// regionE164 is parseE164 with the country already turned into a region
// code ("" when unknown).
func regionE164(phone, region string) string {
	if v, ok := fastE164(phone, region); ok {
		return v
	}
	// The parser sets an extension aside and reads the rest as a number
	// of its own; E.164 has no extension.
	if rest, ok := cutExtension(phone); ok {
		if v, ok := fastE164(rest, region); ok {
			return v
		}
	}
	return libE164(phone, region)
}

// fastE164 tries the fast paths; ok is false when the parser must decide.
func fastE164(phone, region string) (string, bool) {
	if v, ok := nanpE164(phone, region); ok {
		return v, true
	}
	if v, ok := intlE164(phone); ok {
		return v, true
	}
	return nationalE164(phone, region)
}

// cutExtension splits "<number> x<digits>" (one space, x or X, one to nine
// digits, the number ending in a digit) into the number: libphonenumber
// reads that ending as an extension (its "x" form takes up to nine
// digits), and its match can start nowhere else in text the fast paths
// accept, which has no letters. TestExtensionMatchesParser holds it to
// the parser.
func cutExtension(phone string) (string, bool) {
	i := len(phone)
	for i > 0 && phone[i-1] >= '0' && phone[i-1] <= '9' {
		i--
	}
	digits := len(phone) - i
	if digits < 1 || digits > 9 || i < 3 || (phone[i-1] != 'x' && phone[i-1] != 'X') || phone[i-2] != ' ' {
		return "", false
	}
	rest := phone[:i-2]
	if c := rest[len(rest)-1]; c < '0' || c > '9' {
		return "", false
	}
	return rest, true
}

// libE164 normalises phone with libphonenumber's parser.
func libE164(phone, region string) string {
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
