package mapping

// nanpE164 handles the phone numbers a Repsly-HighLevel sync sees most,
// North American numbers, without libphonenumber's parser, which costs
// more than the rest of a mapping together; ok is false for any other
// input, which then takes the parser.
//
// It accepts only text made of ASCII digits and the separators ( ) . - and
// space, written
//   - "+1" and ten digits, the first of them 2-9, for any region; or
//   - ten digits, the first 2-9, or "1" and such ten digits, for region US
//     or CA (nanpHome).
//
// For such text the parser extracts no extension and strips no prefix
// beyond the country code 1 or the national prefix 1, so the number it
// returns is country code 1 with those ten digits. Validity is
// libphonenumber's metadata read as its IsValidNumber reads it
// (validE164). TestNANPE164MatchesParser and FuzzE164 check
// that the result is always the parser's.
func nanpE164(phone, region string) (string, bool) {
	var buf [11]byte
	plus := len(phone) > 0 && phone[0] == '+'
	start := 0
	if plus {
		start = 1
	}
	digits, ok := plainDigits(buf[:0], phone[start:])
	if !ok {
		return "", false
	}
	n := len(digits)
	var nsn []byte
	switch {
	case plus || n == 11:
		if n != 11 || digits[0] != '1' || (!plus && !nanpHome(region)) {
			return "", false
		}
		nsn = digits[1:11]
	case n == 10 && nanpHome(region):
		nsn = digits[:10]
	default:
		return "", false
	}
	if nsn[0] < '2' {
		return "", false
	}
	return validE164(1, nsn), true
}

// plainDigits appends the digits of s to buf, which must have the capacity
// for the most digits accepted. ok is false when s holds more digits than
// that or anything but ASCII digits and the separators ( ) . - and space:
// text the fast paths leave to the parser.
func plainDigits(buf []byte, s string) (digits []byte, ok bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			if len(buf) == cap(buf) {
				return nil, false
			}
			buf = append(buf, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return nil, false
		}
	}
	return buf, true
}

// nanpHome reports whether the parser reads a North American number
// written without "+1" in region as nanpE164 does: the national prefix 1
// and nothing else to strip (US and CA; other regions of code 1 add their
// area code to seven digits, or name their own leading digits).
func nanpHome(region string) bool { return region == "US" || region == "CA" }
