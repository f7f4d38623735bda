package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const plain = "tok-3f9a-very-secret"

type credential struct {
	User     string
	Password Secret
	hidden   Secret
	Ptr      *Secret
}

func newCredential() credential {
	s := NewSecret(plain)
	return credential{User: "ana", Password: NewSecret(plain), hidden: NewSecret(plain), Ptr: &s}
}

func TestSecretReveal(t *testing.T) {
	t.Parallel()

	s := NewSecret(plain)
	if got := s.Reveal(); got != plain {
		t.Fatalf("Reveal() = %q, want %q", got, plain)
	}
	var zero Secret
	if zero.Reveal() != "" || !zero.IsZero() {
		t.Fatalf("zero Secret: Reveal() = %q, IsZero() = %v", zero.Reveal(), zero.IsZero())
	}
	if !s.Equal(NewSecret(plain)) || s.Equal(NewSecret("other")) {
		t.Fatal("Equal compares values")
	}
}

func TestSecretFmt(t *testing.T) {
	t.Parallel()

	s := NewSecret(plain)
	c := newCredential()
	tests := []struct {
		format string
		arg    any
	}{
		{"%v", s}, {"%+v", s}, {"%#v", s}, {"%s", s}, {"%q", s}, {"%x", s}, {"%X", s},
		{"%d", s}, {"%10s", s}, {"%v", &s}, {"%s", []Secret{s}}, {"%v", map[string]Secret{"k": s}},
		{"%v", c}, {"%+v", c}, {"%#v", c}, {"%s", c}, {"%v", &c}, {"%+v", &c}, {"%x", c},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			out := fmt.Sprintf(tt.format, tt.arg)
			if strings.Contains(out, plain) || strings.Contains(out, fmt.Sprintf("%x", plain)) {
				t.Fatalf("Sprintf(%q) leaked the secret: %s", tt.format, out)
			}
			if _, isCred := tt.arg.(credential); !isCred && !strings.Contains(strings.ToUpper(out), Redacted) &&
				!strings.Contains(out, fmt.Sprintf("%X", Redacted)) {
				t.Fatalf("Sprintf(%q) = %s, want %s in it", tt.format, out, Redacted)
			}
		})
	}

	if got := fmt.Sprintf("%q", s); got != `"REDACTED"` {
		t.Errorf("%%q = %s", got)
	}
	if got := fmt.Sprintf("%#v", s); got != `vault.Secret("REDACTED")` {
		t.Errorf("%%#v = %s", got)
	}
	if got := s.String(); got != Redacted {
		t.Errorf("String() = %s", got)
	}
}

func TestSecretJSON(t *testing.T) {
	t.Parallel()

	c := newCredential()
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"User":"ana","Password":"REDACTED","Ptr":"REDACTED"}`
	if string(out) != want {
		t.Fatalf("json.Marshal = %s, want %s", out, want)
	}
	out, err = json.Marshal(map[Secret]Secret{NewSecret(plain): NewSecret(plain)})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), plain) {
		t.Fatalf("map marshal leaked: %s", out)
	}
	text, err := NewSecret(plain).MarshalText()
	if err != nil || string(text) != Redacted {
		t.Fatalf("MarshalText = %s, %v", text, err)
	}
}

func TestSecretUnmarshal(t *testing.T) {
	t.Parallel()

	var in struct {
		Token Secret `json:"token"`
		Empty Secret `json:"empty"`
	}
	if err := json.Unmarshal([]byte(`{"token":"abc\u00e9","empty":null}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.Token.Reveal() != "abcé" || !in.Empty.IsZero() {
		t.Fatalf("got %q, %q", in.Token.Reveal(), in.Empty.Reveal())
	}
	err := json.Unmarshal([]byte(`{"token":12345678}`), &in)
	if err == nil || strings.Contains(err.Error(), "12345678") {
		t.Fatalf("non-string: err = %v", err)
	}
	var s Secret
	if err := s.UnmarshalText([]byte(plain)); err != nil || s.Reveal() != plain {
		t.Fatalf("UnmarshalText: %v", err)
	}
}

func TestSecretSlog(t *testing.T) {
	t.Parallel()

	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	}
	for name, newHandler := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			s := NewSecret(plain)
			c := newCredential()
			log.Info("msg", "token", s, "ptr", &s, "cred", c, slog.Group("g", "token", s),
				"err", fmt.Errorf("call failed with %v", s))
			log.With("token", s).Info("with")
			out := buf.String()
			if strings.Contains(out, plain) {
				t.Fatalf("log leaked the secret: %s", out)
			}
			if !strings.Contains(out, Redacted) {
				t.Fatalf("log lacks %s: %s", Redacted, out)
			}
		})
	}
}

func TestSecretInErrors(t *testing.T) {
	t.Parallel()

	s := NewSecret(plain)
	base := errors.New("401 unauthorized")
	errs := []error{
		fmt.Errorf("ghl: token %v: %w", s, base),
		fmt.Errorf("ghl: token %s: %w", s, base),
		fmt.Errorf("ghl: token %q: %w", s, base),
		fmt.Errorf("ghl: credential %+v: %w", newCredential(), base),
		fmt.Errorf("outer: %w", fmt.Errorf("inner %v", s)),
		errors.Join(fmt.Errorf("a %v", s), base),
	}
	for _, err := range errs {
		if strings.Contains(err.Error(), plain) {
			t.Errorf("error leaked the secret: %v", err)
		}
	}
}
