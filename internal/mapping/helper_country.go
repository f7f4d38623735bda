package mapping

import (
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// countryNames maps normalised common country names and ISO alpha-3 codes to
// ISO 3166-1 alpha-2. Repsly's Country is free text ("USA", "United
// States", "Deutschland"); HighLevel wants alpha-2. It is read-only.
var countryNames = map[string]string{
	"united states": "US", "united states of america": "US", "usa": "US", "us": "US", "america": "US", "u s": "US", "u s a": "US",
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
	"wales": "GB", "northern ireland": "GB", "gbr": "GB",
	"germany": "DE", "deutschland": "DE", "deu": "DE",
	"france": "FR", "fra": "FR",
	"canada": "CA", "can": "CA", "mexico": "MX", "méxico": "MX", "mex": "MX",
	"australia": "AU", "aus": "AU", "new zealand": "NZ", "nzl": "NZ",
	"ireland": "IE", "republic of ireland": "IE", "irl": "IE",
	"spain": "ES", "españa": "ES", "espana": "ES", "esp": "ES",
	"italy": "IT", "italia": "IT", "ita": "IT",
	"netherlands": "NL", "holland": "NL", "nederland": "NL", "nld": "NL",
	"belgium": "BE", "belgique": "BE", "belgië": "BE", "bel": "BE",
	"switzerland": "CH", "schweiz": "CH", "suisse": "CH", "che": "CH",
	"austria": "AT", "österreich": "AT", "osterreich": "AT", "aut": "AT",
	"luxembourg": "LU", "portugal": "PT", "prt": "PT",
	"sweden": "SE", "sverige": "SE", "swe": "SE", "norway": "NO", "norge": "NO", "nor": "NO",
	"denmark": "DK", "danmark": "DK", "dnk": "DK", "finland": "FI", "suomi": "FI", "fin": "FI", "iceland": "IS",
	"poland": "PL", "polska": "PL", "pol": "PL", "czech republic": "CZ", "czechia": "CZ", "cze": "CZ",
	"slovakia": "SK", "hungary": "HU", "romania": "RO", "bulgaria": "BG", "greece": "GR", "croatia": "HR",
	"slovenia": "SI", "serbia": "RS", "bosnia and herzegovina": "BA", "estonia": "EE", "latvia": "LV",
	"lithuania": "LT", "ukraine": "UA", "russia": "RU", "russian federation": "RU", "turkey": "TR", "türkiye": "TR",
	"turkiye": "TR", "cyprus": "CY", "malta": "MT",
	"brazil": "BR", "brasil": "BR", "bra": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO", "peru": "PE",
	"venezuela": "VE", "ecuador": "EC", "uruguay": "UY", "paraguay": "PY", "bolivia": "BO", "costa rica": "CR",
	"panama": "PA", "guatemala": "GT", "dominican republic": "DO", "puerto rico": "PR", "jamaica": "JM",
	"india": "IN", "ind": "IN", "china": "CN", "chn": "CN", "japan": "JP", "jpn": "JP", "south korea": "KR",
	"korea": "KR", "republic of korea": "KR", "taiwan": "TW", "hong kong": "HK", "singapore": "SG", "sgp": "SG",
	"philippines": "PH", "indonesia": "ID", "malaysia": "MY", "thailand": "TH", "vietnam": "VN", "viet nam": "VN",
	"pakistan": "PK", "bangladesh": "BD", "sri lanka": "LK",
	"united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA", "israel": "IL", "qatar": "QA", "egypt": "EG",
	"south africa": "ZA", "zaf": "ZA", "nigeria": "NG", "kenya": "KE", "morocco": "MA", "ghana": "GH",
}

// countryCode returns the ISO 3166-1 alpha-2 code for a country name,
// alpha-3 code or alpha-2 code, or "" when it does not know the country.
func countryCode(name string) string {
	var buf [maxASCIICountry]byte
	n, ok := asciiCountryKey(name, buf[:0])
	if !ok {
		n = []byte(slowCountryKey(name))
	}
	// Indexing with a converted []byte does not allocate.
	if code, ok := countryNames[string(n)]; ok {
		return code
	}
	if len(n) == 2 {
		code := strings.ToUpper(string(n))
		// libphonenumber knows every assigned region code.
		if phonenumbers.GetCountryCodeForRegion(code) != 0 {
			return code
		}
	}
	return ""
}

// slowCountryKey is the lookup key for a country name: lower case, dots
// and runs of white space turned into single spaces, without "the ".
func slowCountryKey(name string) string {
	n := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(name, ".", " ")), " "))
	return strings.TrimPrefix(n, "the ")
}

// maxASCIICountry bounds the names asciiCountryKey handles: longer ones
// are no country we know and take the slow path.
const maxASCIICountry = 48

// asciiCountryKey appends slowCountryKey(name) to buf without allocating,
// when name is short and ASCII (ASCII has no other white space or case
// rules); ok is false otherwise.
func asciiCountryKey(name string, buf []byte) (key []byte, ok bool) {
	if len(name) > maxASCIICountry {
		return nil, false
	}
	space := false // a space is pending before the next word
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= utf8.RuneSelf:
			return nil, false
		case c == '.' || c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			space = len(buf) > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		buf = append(buf, c)
	}
	if len(buf) >= 4 && string(buf[:4]) == "the " {
		buf = buf[4:]
	}
	return buf, true
}
