package mapping

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestExtensionMatchesParser: numbers of every fast path's generator with
// an extension written after them, in the form cutExtension takes and in
// forms near it, normalise as the parser normalises them.
func TestExtensionMatchesParser(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(41, 42))
	type phone struct{ text, region string }
	var base []phone
	for _, p := range genPhones(r, 1500) {
		base = append(base, phone{p, []string{"US", "CA", "PR", "GB"}[r.IntN(4)]})
	}
	for _, p := range genIntlPhones(r, 1500) {
		base = append(base, phone{p, ""})
	}
	national, regions := genNationalPhones(r, 1500)
	for i, p := range national {
		base = append(base, phone{p, regions[i]})
	}
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	cut := 0
	for _, p := range base {
		var ext string
		switch r.IntN(8) {
		case 0:
			ext = " X" + digits(1+r.IntN(9))
		case 1:
			ext = "  x" + digits(3) // two spaces
		case 2:
			ext = " x" + digits(10) // longer than the x form takes
		case 3:
			ext = "x" + digits(2) // no space
		case 4:
			ext = " x"
		default:
			ext = " x" + digits(1+r.IntN(9))
		}
		text := p.text + ext
		if _, ok := cutExtension(text); ok {
			cut++
		}
		if got, want := regionE164(text, p.region), libE164(text, p.region); got != want {
			t.Errorf("regionE164(%q, %q) = %q, the parser gives %q", text, p.region, got, want)
		}
	}
	if cut < len(base)/3 {
		t.Fatalf("only %d of %d numbers had their extension cut", cut, len(base))
	}
	t.Log(strconv.Itoa(cut) + " of " + strconv.Itoa(len(base)) + " numbers had their extension cut")
}
