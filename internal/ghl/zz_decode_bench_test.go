package ghl

import (
	"encoding/json"
	"os"
	"testing"
)

func BenchmarkZZDecodeCreate(b *testing.B) {
	raw, _ := os.ReadFile("testdata_create.json")
	b.ReportAllocs()
	for b.Loop() {
		var out struct {
			Contact Contact `json:"contact"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			b.Fatal(err)
		}
	}
}
