package ghl

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKeys are generated once per test binary: RSA key generation is slow.
type testKeys struct {
	ed, otherEd ed25519.PrivateKey
	rsa         *rsa.PrivateKey
}

var loadTestKeys = sync.OnceValues(func() (*testKeys, error) {
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	_, other, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return &testKeys{ed: ed, otherEd: other, rsa: rk}, nil
})

func keys(t testing.TB) *testKeys {
	t.Helper()
	k, err := loadTestKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func signEd(key ed25519.PrivateKey, body []byte) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(key, body))
}

func signRSA(t testing.TB, key *rsa.PrivateKey, body []byte) string {
	digest := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// sigHeader builds request headers as net/http would deliver them.
func sigHeader(ed, legacy string) http.Header {
	h := http.Header{}
	if ed != "" {
		h.Set(HeaderSignature, ed)
	}
	if legacy != "" {
		h.Set(HeaderLegacySignature, legacy)
	}
	return h
}

// delivery builds a signed-looking body with the given timestamp.
func delivery(ts string) []byte {
	return []byte(`{"type":"ContactCreate","locationId":"ve9EPM428h8vShlRW1KT","webhookId":"wh-1","timestamp":"` + ts +
		`","id":"c1","email":"ada@example.com"}`)
}

func newVerifier(t *testing.T, mod func(*VerifierOptions)) *WebhookVerifier {
	t.Helper()
	k := keys(t)
	opts := VerifierOptions{
		Keys:    []crypto.PublicKey{k.ed.Public(), &k.rsa.PublicKey},
		Clock:   func() time.Time { return testNow },
		Deduper: NewMemoryDeduper(0, func() time.Time { return testNow }),
	}
	if mod != nil {
		mod(&opts)
	}
	v, err := NewWebhookVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerifyWebhook(t *testing.T) {
	t.Parallel()
	k := keys(t)
	fresh := delivery(testNow.Add(-30 * time.Second).Format(time.RFC3339Nano))
	tests := []struct {
		name       string
		opts       func(*VerifierOptions)
		body       []byte
		header     func(body []byte) http.Header
		wantErr    error
		wantScheme string
	}{
		{name: "ed25519", body: fresh, wantScheme: "ed25519",
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "legacy rsa", body: fresh, wantScheme: "rsa-sha256",
			header: func(b []byte) http.Header { return sigHeader("", signRSA(t, k.rsa, b)) }},
		{name: "legacy rsa refused", body: fresh, opts: func(o *VerifierOptions) { o.DisableLegacyRSA = true }, wantErr: ErrMissingSignature,
			header: func(b []byte) http.Header { return sigHeader("", signRSA(t, k.rsa, b)) }},
		{name: "stale ed25519 key, valid rsa", body: fresh, wantScheme: "rsa-sha256",
			header: func(b []byte) http.Header {
				return sigHeader(signEd(k.otherEd, b), signRSA(t, k.rsa, b))
			}},
		{name: "unpadded signature", body: fresh, wantScheme: "ed25519",
			header: func(b []byte) http.Header {
				return sigHeader(base64.RawStdEncoding.EncodeToString(ed25519.Sign(k.ed, b)), "")
			}},
		{name: "forged body", body: fresh, wantErr: ErrBadSignature,
			header: func(b []byte) http.Header {
				return sigHeader(signEd(k.ed, []byte(strings.Replace(string(b), "ada@", "eve@", 1))), "")
			}},
		{name: "other key", body: fresh, wantErr: ErrBadSignature,
			header: func(b []byte) http.Header { return sigHeader(signEd(k.otherEd, b), "") }},
		{name: "garbage signature", body: fresh, wantErr: ErrBadSignature,
			header: func([]byte) http.Header { return sigHeader("!!not base64!!", "") }},
		{name: "unsigned", body: fresh, wantErr: ErrMissingSignature,
			header: func([]byte) http.Header { return http.Header{} }},
		{name: "stale", body: delivery(testNow.Add(-6 * time.Minute).Format(time.RFC3339)), wantErr: ErrStaleDelivery,
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "from the future", body: delivery(testNow.Add(6 * time.Minute).Format(time.RFC3339)), wantErr: ErrStaleDelivery,
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "wider tolerance", body: delivery(testNow.Add(-6 * time.Minute).Format(time.RFC3339)), wantScheme: "ed25519",
			opts:   func(o *VerifierOptions) { o.Tolerance = 10 * time.Minute },
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "no timestamp", body: []byte(`{"type":"NoteCreate","webhookId":"wh-2"}`), wantErr: ErrStaleDelivery,
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "no timestamp allowed", body: []byte(`{"type":"NoteCreate","webhookId":"wh-2"}`), wantScheme: "ed25519",
			opts:   func(o *VerifierOptions) { o.AllowMissingTimestamp = true },
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
		{name: "signed garbage", body: []byte(`not json`), wantErr: ErrMalformedEvent,
			header: func(b []byte) http.Header { return sigHeader(signEd(k.ed, b), "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newVerifier(t, tt.opts)
			d, err := v.Verify(t.Context(), tt.header(tt.body), tt.body)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Verify = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if d.Scheme != tt.wantScheme {
				t.Errorf("scheme = %q, want %q", d.Scheme, tt.wantScheme)
			}
		})
	}
}

func TestVerifyWebhookReplay(t *testing.T) {
	t.Parallel()
	v := newVerifier(t, nil)
	body := delivery(testNow.Format(time.RFC3339))
	h := sigHeader(signEd(keys(t).ed, body), "")
	d, err := v.Verify(t.Context(), h, body)
	if err != nil {
		t.Fatal(err)
	}
	// Not marked yet (the body was not stored): a redelivery still passes.
	if _, err := v.Verify(t.Context(), h, body); err != nil {
		t.Fatalf("second Verify before MarkDelivered: %v", err)
	}
	if err := v.MarkDelivered(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(t.Context(), h, body); !errors.Is(err, ErrDuplicateDelivery) {
		t.Fatalf("replayed Verify = %v, want ErrDuplicateDelivery", err)
	}
}

func TestPublishedKeys(t *testing.T) {
	t.Parallel()
	ks, err := PublishedKeys()
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 2 {
		t.Fatalf("%d keys", len(ks))
	}
	if _, ok := ks[0].(ed25519.PublicKey); !ok {
		t.Errorf("first key is %T", ks[0])
	}
	if r, ok := ks[1].(*rsa.PublicKey); !ok || r.N.BitLen() != 4096 {
		t.Errorf("second key is %T", ks[1])
	}
	// The default verifier trusts only HighLevel's keys.
	v, err := NewWebhookVerifier(VerifierOptions{Clock: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	body := delivery(testNow.Format(time.RFC3339))
	if _, err := v.Verify(t.Context(), sigHeader(signEd(keys(t).ed, body), ""), body); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Verify with a test key = %v, want ErrBadSignature", err)
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "not pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublicKeyPEM([]byte(bad)); err == nil {
			t.Errorf("ParsePublicKeyPEM(%q): no error", bad)
		}
	}
	if _, err := NewWebhookVerifier(VerifierOptions{Keys: []crypto.PublicKey{"nope"}}); err == nil {
		t.Error("verifier accepted a string key")
	}
}

func FuzzVerifyWebhook(f *testing.F) {
	f.Add([]byte(`{"type":"ContactCreate","timestamp":"2026-03-04T12:00:00Z"}`), "AAAA", "")
	f.Add([]byte(`{}`), "", "////")
	f.Add([]byte{}, "=", "-_")
	f.Fuzz(func(t *testing.T, body []byte, edSig, rsaSig string) {
		v := newVerifier(t, nil)
		_, err := v.Verify(t.Context(), sigHeader(edSig, rsaSig), body)
		if err == nil {
			t.Fatal("random signature verified")
		}
	})
}
