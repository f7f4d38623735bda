package mapping

import (
	"encoding/json"
	"testing"
)

func BenchmarkApplyDefaultMapping(b *testing.B) {
	m, err := Compile(clientToContact(), Options{Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	in := decodeB(b, sampleClient)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Apply(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func decodeB(b *testing.B, s string) map[string]any {
	b.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		b.Fatal(err)
	}
	return m
}
