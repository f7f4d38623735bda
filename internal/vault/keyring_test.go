package vault

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

type testBundle struct {
	master MasterKey
	store  *MemoryKeyStore
	ring   *Keyring
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	master, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	store := &MemoryKeyStore{}
	ring, err := LoadKeyring(t.Context(), Config{Master: master, Store: store, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{master: master, store: store, ring: ring}
}

func fixedClock() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

func mustSeal(t *testing.T, ring *Keyring, aad, plaintext string) string {
	t.Helper()
	sealed, err := ring.Seal(aad, []byte(plaintext))
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func TestLoadKeyringBootstrap(t *testing.T) {
	t.Parallel()

	b := setup(t)
	keys, err := b.store.ListKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !keys[0].Primary || keys[0].ID != b.ring.PrimaryID() || !keys[0].CreatedAt.Equal(fixedClock()) {
		t.Fatalf("stored keys = %+v, primary %s", keys, b.ring.PrimaryID())
	}
	if !strings.HasPrefix(keys[0].Wrapped, "v1:"+b.master.ID()+":") {
		t.Fatalf("wrapped key %q lacks the master key id", keys[0].Wrapped)
	}

	// The data key is stored wrapped: its sealing key must not appear raw.
	if strings.Contains(keys[0].Wrapped, base64.StdEncoding.EncodeToString(make([]byte, 8))) {
		t.Fatal("wrapped key looks like zeros")
	}

	for name, cfg := range map[string]Config{
		"no master": {Store: b.store},
		"no store":  {Master: b.master},
	} {
		if _, err := LoadKeyring(t.Context(), cfg); err == nil {
			t.Errorf("%s: LoadKeyring succeeded", name)
		}
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()

	b := setup(t)
	for _, pt := range []string{"", "x", "hunter2", strings.Repeat("long token ", 1000), "\x00\xff binary"} {
		sealed := mustSeal(t, b.ring, "connection:1:token", pt)
		if !strings.HasPrefix(sealed, "v1:"+b.ring.PrimaryID()+":") {
			t.Fatalf("sealed = %q, want v1:<keyID>: prefix", sealed)
		}
		if len(pt) >= 6 && strings.Contains(sealed, pt) {
			t.Fatal("sealed value contains the plaintext")
		}
		got, err := b.ring.Open("connection:1:token", sealed)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != pt {
			t.Fatalf("Open = %q, want %q", got, pt)
		}
	}

	// Same plaintext twice gives different ciphertexts (random nonce).
	if mustSeal(t, b.ring, "a", "same") == mustSeal(t, b.ring, "a", "same") {
		t.Fatal("two seals of one plaintext are equal")
	}

	s, err := b.ring.SealSecret("connection:2:password", NewSecret("pw"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.ring.OpenSecret("connection:2:password", s)
	if err != nil || got.Reveal() != "pw" {
		t.Fatalf("OpenSecret = %v, %v", got.Reveal(), err)
	}

	// A second process loading the same store reads the value.
	other, err := LoadKeyring(t.Context(), Config{Master: b.master, Store: b.store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.OpenSecret("connection:2:password", s); err != nil {
		t.Fatalf("reload: %v", err)
	}
}

func TestOpenFailures(t *testing.T) {
	t.Parallel()

	b := setup(t)
	sealed := mustSeal(t, b.ring, "connection:1:token", "secret-value")
	_, id, payload, _ := splitSealed(sealed)
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	tamper := func(i int) string {
		c := bytes.Clone(raw)
		c[i] ^= 0x01
		return "v1:" + id + ":" + base64.StdEncoding.EncodeToString(c)
	}

	tests := []struct {
		name    string
		aad     string
		sealed  string
		wantErr error
	}{
		{"other row", "connection:2:token", sealed, ErrDecrypt},
		{"other field", "connection:1:password", sealed, ErrDecrypt},
		{"empty aad", "", sealed, ErrDecrypt},
		{"tampered nonce", "connection:1:token", tamper(0), ErrDecrypt},
		{"tampered ciphertext", "connection:1:token", tamper(13), ErrDecrypt},
		{"tampered tag", "connection:1:token", tamper(len(raw) - 1), ErrDecrypt},
		{"truncated", "connection:1:token", "v1:" + id + ":" + base64.StdEncoding.EncodeToString(raw[:10]), ErrDecrypt},
		{"empty", "connection:1:token", "", ErrMalformed},
		{"plaintext", "connection:1:token", "secret-value", ErrMalformed},
		{"other version", "connection:1:token", "v2" + sealed[2:], ErrMalformed},
		{"bad base64", "connection:1:token", "v1:" + id + ":***", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pt, err := b.ring.Open(tt.aad, tt.sealed)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open err = %v, want %v", err, tt.wantErr)
			}
			if pt != nil {
				t.Fatalf("Open returned plaintext %q with an error", pt)
			}
			if strings.Contains(err.Error(), "secret-value") || strings.Contains(err.Error(), payload) {
				t.Fatalf("error leaks data: %v", err)
			}
		})
	}

	t.Run("unknown key id", func(t *testing.T) {
		t.Parallel()
		_, err := b.ring.Open("connection:1:token", "v1:kdeadbeef:"+payload)
		unknown, ok := errors.AsType[*UnknownKeyError](err)
		if !ok || unknown.ID != "kdeadbeef" {
			t.Fatalf("err = %v, want *UnknownKeyError", err)
		}
		if !strings.Contains(err.Error(), `unknown key id "kdeadbeef"`) {
			t.Fatalf("unclear error: %v", err)
		}
	})

	t.Run("ciphertext relabelled to another key", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		sealed := mustSeal(t, b.ring, "a", "v")
		old := b.ring.PrimaryID()
		if _, err := b.ring.AddPrimaryKey(t.Context()); err != nil {
			t.Fatal(err)
		}
		relabelled := strings.Replace(sealed, old, b.ring.PrimaryID(), 1)
		if _, err := b.ring.Open("a", relabelled); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("err = %v, want ErrDecrypt", err)
		}
	})
}

func TestWrongMasterKey(t *testing.T) {
	t.Parallel()

	b := setup(t)
	other, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadKeyring(t.Context(), Config{Master: other, Store: b.store})
	if !errors.Is(err, ErrWrongMasterKey) || !strings.Contains(err.Error(), b.master.ID()) {
		t.Fatalf("err = %v, want ErrWrongMasterKey naming %s", err, b.master.ID())
	}

	// A wrapped key moved to another id does not unwrap.
	keys, _ := b.store.ListKeys(t.Context())
	moved := &MemoryKeyStore{}
	if err := moved.AddKey(t.Context(), WrappedKey{ID: "kother", Wrapped: keys[0].Wrapped}); err != nil {
		t.Fatal(err)
	}
	if err := moved.SetPrimary(t.Context(), "kother"); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeyring(t.Context(), Config{Master: b.master, Store: moved}); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("relabelled wrapped key: err = %v, want ErrDecrypt", err)
	}
}

func TestRefreshFollowsOtherProcess(t *testing.T) {
	t.Parallel()

	b := setup(t)
	other, err := LoadKeyring(t.Context(), Config{Master: b.master, Store: b.store})
	if err != nil {
		t.Fatal(err)
	}
	newID, err := other.AddPrimaryKey(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sealed := mustSeal(t, other, "row:1:f", "v")

	_, err = b.ring.Open("row:1:f", sealed)
	if _, ok := errors.AsType[*UnknownKeyError](err); !ok {
		t.Fatalf("before refresh: err = %v, want *UnknownKeyError", err)
	}
	if err := b.ring.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if b.ring.PrimaryID() != newID {
		t.Fatalf("primary = %s, want %s", b.ring.PrimaryID(), newID)
	}
	if got, err := b.ring.Open("row:1:f", sealed); err != nil || string(got) != "v" {
		t.Fatalf("after refresh: %q, %v", got, err)
	}
	if len(b.ring.KeyIDs()) != 2 {
		t.Fatalf("KeyIDs = %v", b.ring.KeyIDs())
	}
}

func TestNeedsRotation(t *testing.T) {
	t.Parallel()

	b := setup(t)
	old := mustSeal(t, b.ring, "a", "v")
	if b.ring.NeedsRotation(old) {
		t.Fatal("value under the primary needs rotation")
	}
	if _, err := b.ring.AddPrimaryKey(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !b.ring.NeedsRotation(old) {
		t.Fatal("value under the old key does not need rotation")
	}
	if b.ring.NeedsRotation(mustSeal(t, b.ring, "a", "v")) {
		t.Fatal("new value needs rotation")
	}
	for _, s := range []string{"", "garbage", "v2:x:y"} {
		if !b.ring.NeedsRotation(s) {
			t.Errorf("NeedsRotation(%q) = false", s)
		}
	}
}

type failingStore struct {
	MemoryKeyStore
	failAdd bool
}

func (s *failingStore) AddKey(ctx context.Context, k WrappedKey) error {
	if s.failAdd {
		return errors.New("disk full")
	}
	return s.MemoryKeyStore.AddKey(ctx, k)
}

func TestAddPrimaryKeyStoreFailure(t *testing.T) {
	t.Parallel()

	master, _ := GenerateKey()
	store := &failingStore{}
	ring, err := LoadKeyring(t.Context(), Config{Master: master, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	before := ring.PrimaryID()
	store.failAdd = true
	if _, err := ring.AddPrimaryKey(t.Context()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	// A key the store did not keep must not be used: it would be lost on restart.
	if ring.PrimaryID() != before || len(ring.KeyIDs()) != 1 {
		t.Fatalf("keyring changed after a failed store write: %v", ring.KeyIDs())
	}
}
