package mapping

import (
	"strings"
	"unicode/utf8"
)

// splitFullName splits a full name on its last space, the way the default
// Repsly ContactName <-> HighLevel firstName/lastName mapping does: "Mary Ann
// Smith" is first "Mary Ann", last "Smith"; a single word is a first name.
func splitFullName(full string) (first, last string) {
	full = collapseSpaces(full)
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return full, ""
	}
	return full[:i], full[i+1:]
}

// joinFullName joins name parts with one space, skipping empty parts, so a
// split and a join give back the normalised input.
func joinFullName(parts ...string) string {
	if len(parts) == 2 {
		// The joinName helper's case, without the slice of kept parts.
		first, last := collapseSpaces(parts[0]), collapseSpaces(parts[1])
		switch {
		case first == "":
			return last
		case last == "":
			return first
		}
		return first + " " + last
	}
	var kept []string
	for _, p := range parts {
		if p = collapseSpaces(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// collapseSpaces is strings.Join(strings.Fields(s), " "): s without leading
// and trailing white space, with every run of white space inside turned
// into one space. Names usually are like that already, so it returns s
// itself, without allocating, when it can tell so from ASCII alone.
func collapseSpaces(s string) string {
	prevSpace := true // at the start, a space would be leading
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.Join(strings.Fields(s), " ") // Unicode white space
		}
		switch c {
		case ' ':
			if prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		case '\t', '\n', '\v', '\f', '\r':
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ") // trailing space
	}
	return s
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
