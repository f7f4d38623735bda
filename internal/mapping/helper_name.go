package mapping

import "strings"

// splitFullName splits a full name on its last space, the way the default
// Repsly ContactName <-> HighLevel firstName/lastName mapping does: "Mary Ann
// Smith" is first "Mary Ann", last "Smith"; a single word is a first name.
func splitFullName(full string) (first, last string) {
	full = strings.Join(strings.Fields(full), " ")
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return full, ""
	}
	return full[:i], full[i+1:]
}

// joinFullName joins name parts with one space, skipping empty parts, so a
// split and a join give back the normalised input.
func joinFullName(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// titleCase upper-cases the first letter of every word and lower-cases the
// rest ("JOHN o'neil" -> "John O'neil"): good enough for names shouted in
// capitals, not a linguistic title case.
func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := true
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '-':
			start = true
			b.WriteRune(r)
		case start:
			b.WriteString(strings.ToUpper(string(r)))
			start = false
		default:
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}
