package flow

import (
	"strings"
)

// didYouMean returns " (did you mean "x"?)" when one of the candidates is
// close to s, else "". Close means a small edit distance relative to the
// length, compared case-insensitively, so typos and wrong casing are caught
// without suggesting unrelated names.
func didYouMean(s string, candidates []string) string {
	if g := suggestion(s, candidates); g != "" {
		return ` (did you mean "` + g + `"?)`
	}
	return ""
}

// suggestion returns the candidate close to s, or "".
func suggestion(s string, candidates []string) string {
	best, bestDist := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if d == 0 && c != s {
			return c
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(len(s), len(best))/3)
	if bestDist > 0 && bestDist <= limit {
		return best
	}
	return ""
}

// editDistance is the edit distance between a and b in bytes, counting a
// swap of two neighbours as one edit (optimal string alignment), so "emial"
// is one edit from "email". Inputs are short names; longer ones are cut to
// keep the work bounded.
func editDistance(a, b string) int {
	const maxLen = 64
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// quoteList renders names as `"a", "b" or "c"` for messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
