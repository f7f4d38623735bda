package vault

import (
	"testing"
)

func FuzzOpen(f *testing.F) {
	master, err := GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	ring, err := LoadKeyring(f.Context(), Config{Master: master, Store: &MemoryKeyStore{}})
	if err != nil {
		f.Fatal(err)
	}
	valid, err := ring.Seal("row:1:f", []byte("value"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{valid, "", "v1::", "v1:" + ring.PrimaryID() + ":", "v1:x:AAAA", "::::", "v1:" + ring.PrimaryID() + ":" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		f.Add("row:1:f", s)
	}
	f.Fuzz(func(t *testing.T, aad, sealed string) {
		pt, err := ring.Open(aad, sealed)
		if err == nil && (sealed != valid || aad != "row:1:f" || string(pt) != "value") {
			t.Fatalf("Open(%q, %q) succeeded with %q", aad, sealed, pt)
		}
		_ = ring.NeedsRotation(sealed)
	})
}

func FuzzParseMasterKey(f *testing.F) {
	for _, s := range []string{"", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "-_-_", "  \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseMasterKey(s)
		if err == nil && k.IsZero() {
			t.Fatal("nil error with a zero key")
		}
	})
}
