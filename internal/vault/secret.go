package vault

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
)

// Redacted is what a [Secret] prints instead of its value.
const Redacted = "REDACTED"

// Secret holds a sensitive string (a token, password or client secret). Every
// way of printing or marshalling it yields [Redacted]; only [Secret.Reveal]
// returns the value. The zero Secret is empty.
//
// The value sits behind a pointer on purpose: fmt cannot call methods on
// unexported struct fields, so a struct with an unexported Secret field
// printed with %+v would show a plain string field verbatim. Behind a pointer
// it shows an address instead.
type Secret struct {
	v *string
}

// NewSecret wraps value.
func NewSecret(value string) Secret {
	return Secret{v: &value}
}

// Reveal returns the plaintext value. Call it only where the value is sent to
// its destination (an Authorization header, the sealing of a column).
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool {
	return s.Reveal() == ""
}

// Equal reports whether s and other hold the same value, in constant time.
func (s Secret) Equal(other Secret) bool {
	return subtle.ConstantTimeCompare([]byte(s.Reveal()), []byte(other.Reveal())) == 1
}

// String returns [Redacted].
func (s Secret) String() string { return Redacted }

// GoString returns a redacted Go-syntax form, used by %#v.
func (s Secret) GoString() string { return "vault.Secret(" + strconv.Quote(Redacted) + ")" }

// Format prints [Redacted] for every verb, so no verb (%x, %d, %+v...) can
// fall through to the value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(s.GoString()))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(Redacted)))
	default:
		_, _ = f.Write([]byte(Redacted))
	}
}

// LogValue makes slog print [Redacted].
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON encodes the secret as the JSON string "REDACTED".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText encodes the secret as REDACTED (used by YAML and JSON map keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// UnmarshalJSON reads a secret from a JSON string (an API request carrying a
// password, for example). JSON null leaves the secret empty.
func (s *Secret) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*s = Secret{}
		return nil
	}
	var v string
	if err := json.Unmarshal(data, &v); err != nil {
		// The error of json.Unmarshal may quote the input; keep it out.
		return errors.New("vault: secret must be a JSON string")
	}
	*s = NewSecret(v)
	return nil
}

// UnmarshalText reads a secret from text.
func (s *Secret) UnmarshalText(text []byte) error {
	*s = NewSecret(string(text))
	return nil
}
