package vault

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// Environment variables that carry the master key.
const (
	EnvMasterKey     = "FIELDBRIDGE_MASTER_KEY"
	EnvMasterKeyFile = "FIELDBRIDGE_MASTER_KEY_FILE"
)

// KeySize is the size in bytes of the master key and of every data key.
const KeySize = 32

// HKDF info strings. They separate the keys derived from one secret by
// purpose, so the wrapping key, the fingerprint and a sealing key can never
// coincide.
const (
	infoMasterID = "fieldbridge vault v1 master key id"
	infoWrap     = "fieldbridge vault v1 key wrapping"
	infoSeal     = "fieldbridge vault v1 secret sealing "
)

// MasterKey is the key that wraps the data keys. It is loaded from the
// environment or a file and never stored in the database. Like [Secret] it
// prints as REDACTED. The zero MasterKey is invalid.
type MasterKey struct {
	// Behind a pointer for the same reason as Secret.v.
	k *[KeySize]byte
}

// GenerateKey returns a new random master key (for the demo and for
// `fieldbridge vault` tooling; production keys come from the operator).
func GenerateKey() (MasterKey, error) {
	var k [KeySize]byte
	if _, err := rand.Read(k[:]); err != nil {
		return MasterKey{}, fmt.Errorf("vault: generate key: %w", err)
	}
	return MasterKey{k: &k}, nil
}

// ParseMasterKey decodes a base64 master key (standard or URL alphabet, with
// or without padding, surrounding whitespace ignored). Errors never include
// the input.
func ParseMasterKey(s string) (MasterKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return MasterKey{}, errors.New("vault: master key is empty")
	}
	raw, err := decodeBase64(s)
	if err != nil {
		return MasterKey{}, fmt.Errorf("vault: master key is not valid base64: %w", err)
	}
	if len(raw) != KeySize {
		return MasterKey{}, fmt.Errorf("vault: master key must be %d bytes, got %d (generate one with: head -c 32 /dev/urandom | base64)", KeySize, len(raw))
	}
	var k [KeySize]byte
	copy(k[:], raw)
	clear(raw)
	return MasterKey{k: &k}, nil
}

func decodeBase64(s string) ([]byte, error) {
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if !strings.HasSuffix(s, "=") {
		enc = enc.WithPadding(base64.NoPadding)
	}
	return enc.DecodeString(s)
}

// KeyFileModeError reports a master key file that group or others may access.
type KeyFileModeError struct {
	Path string
	Mode fs.FileMode
}

// Error names the file, its mode and the fix.
func (e *KeyFileModeError) Error() string {
	return fmt.Sprintf("vault: master key file %s has mode %04o: it must not be accessible by group or others (chmod 600 %s)",
		e.Path, e.Mode.Perm(), e.Path)
}

// LoadMasterKeyFile reads a base64 master key from path. The file must be a
// regular file that neither group nor others can access (mode 0600 or
// stricter), because anyone who can read it can decrypt every secret.
func LoadMasterKeyFile(path string) (MasterKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return MasterKey{}, fmt.Errorf("vault: master key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return MasterKey{}, fmt.Errorf("vault: master key file %s is not a regular file", path)
	}
	// Windows has no POSIX mode bits to check.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return MasterKey{}, &KeyFileModeError{Path: path, Mode: info.Mode()}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return MasterKey{}, fmt.Errorf("vault: master key file: %w", err)
	}
	defer clear(data)
	k, err := ParseMasterKey(string(data))
	if err != nil {
		return MasterKey{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return k, nil
}

// LoadMasterKey loads the master key from FIELDBRIDGE_MASTER_KEY or
// FIELDBRIDGE_MASTER_KEY_FILE, looked up with getenv (os.Getenv in main, a
// map in tests). Exactly one of them must be set.
func LoadMasterKey(getenv func(string) string) (MasterKey, error) {
	value, file := getenv(EnvMasterKey), getenv(EnvMasterKeyFile)
	switch {
	case value != "" && file != "":
		return MasterKey{}, fmt.Errorf("vault: set only one of %s and %s", EnvMasterKey, EnvMasterKeyFile)
	case value != "":
		k, err := ParseMasterKey(value)
		if err != nil {
			return MasterKey{}, fmt.Errorf("%w (from %s)", err, EnvMasterKey)
		}
		return k, nil
	case file != "":
		return LoadMasterKeyFile(file)
	default:
		return MasterKey{}, fmt.Errorf("vault: no master key: set %s (base64 of 32 random bytes) or %s", EnvMasterKey, EnvMasterKeyFile)
	}
}

// ID returns a short fingerprint of the key: it tells which master key wrapped
// a data key without revealing anything about the key.
func (m MasterKey) ID() string {
	if m.k == nil {
		return ""
	}
	return hex.EncodeToString(m.derive(infoMasterID, 6))
}

// Encode returns the key in base64, the form FIELDBRIDGE_MASTER_KEY and the
// key file take. The result is a Secret so it cannot be logged by accident.
func (m MasterKey) Encode() Secret {
	if m.k == nil {
		return Secret{}
	}
	return NewSecret(base64.StdEncoding.EncodeToString(m.k[:]))
}

// IsZero reports whether m holds no key.
func (m MasterKey) IsZero() bool { return m.k == nil }

// derive returns n bytes derived from the master key for one purpose.
func (m MasterKey) derive(info string, n int) []byte {
	out, err := hkdf.Key(sha256.New, m.k[:], nil, info, n)
	if err != nil {
		// Only possible for n > 255*32, which no caller asks for.
		panic("vault: hkdf: " + err.Error())
	}
	return out
}

// String returns a redacted form; use ID to tell keys apart.
func (m MasterKey) String() string { return "vault.MasterKey(" + Redacted + ")" }

// GoString returns the same as String.
func (m MasterKey) GoString() string { return m.String() }

// Format prints the redacted form for every verb.
func (m MasterKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(m.String())) }

// LogValue makes slog print the redacted form.
func (m MasterKey) LogValue() slog.Value { return slog.StringValue(m.String()) }
