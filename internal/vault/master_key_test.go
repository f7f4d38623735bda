package vault

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMasterKey(t *testing.T) {
	t.Parallel()

	raw := make([]byte, KeySize)
	for i := range raw {
		raw[i] = byte(i*7 + 250) // includes bytes that encode to '+', '/', '-', '_'
	}
	std := base64.StdEncoding.EncodeToString(raw)
	want, err := ParseMasterKey(std)
	if err != nil {
		t.Fatal(err)
	}

	valid := map[string]string{
		"std":        std,
		"raw std":    base64.RawStdEncoding.EncodeToString(raw),
		"url":        base64.URLEncoding.EncodeToString(raw),
		"raw url":    base64.RawURLEncoding.EncodeToString(raw),
		"whitespace": "  " + std + "\n",
	}
	for name, in := range valid {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			k, err := ParseMasterKey(in)
			if err != nil {
				t.Fatalf("ParseMasterKey: %v", err)
			}
			if k.ID() != want.ID() {
				t.Fatalf("ID = %s, want %s", k.ID(), want.ID())
			}
		})
	}

	invalid := []struct {
		name, in, wantErr string
	}{
		{"empty", "", "master key is empty"},
		{"blank", " \n", "master key is empty"},
		{"bad base64", "not*base64!!", "not valid base64"},
		{"short", base64.StdEncoding.EncodeToString(raw[:16]), "must be 32 bytes, got 16"},
		{"long", base64.StdEncoding.EncodeToString(append(raw, 1)), "must be 32 bytes, got 33"},
		{"hex instead of base64", fmt.Sprintf("%x", raw), "must be 32 bytes, got 48"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseMasterKey(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if len(strings.TrimSpace(tt.in)) > 4 && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Fatalf("error repeats the key: %v", err)
			}
		})
	}
}

func TestLoadMasterKeyFile(t *testing.T) {
	t.Parallel()

	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	encoded := key.Encode().Reveal() + "\n"

	tests := []struct {
		name    string
		mode    os.FileMode
		content string
		wantErr string
	}{
		{"0600", 0o600, encoded, ""},
		{"0400", 0o400, encoded, ""},
		{"0644", 0o644, encoded, "has mode 0644"},
		{"0640", 0o640, encoded, "has mode 0640"},
		{"0604", 0o604, encoded, "has mode 0604"},
		{"0620", 0o620, encoded, "has mode 0620"},
		{"bad content", 0o600, "aGVsbG8=", "must be 32 bytes, got 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			got, err := LoadMasterKeyFile(path)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("LoadMasterKeyFile: %v", err)
				}
				if got.ID() != key.ID() {
					t.Fatal("loaded a different key")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want %q and the path", err, tt.wantErr)
			}
		})
	}

	t.Run("mode error type", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "master.key")
		if err := os.WriteFile(path, []byte(encoded), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadMasterKeyFile(path)
		modeErr, ok := errors.AsType[*KeyFileModeError](err)
		if !ok || modeErr.Path != path || modeErr.Mode.Perm() != 0o644 {
			t.Fatalf("err = %#v, want *KeyFileModeError", err)
		}
		if !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Fatalf("error gives no fix: %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		_, err := LoadMasterKeyFile(filepath.Join(t.TempDir(), "nope"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want ErrNotExist", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := LoadMasterKeyFile(dir)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLoadMasterKey(t *testing.T) {
	t.Parallel()

	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(path, []byte(key.Encode().Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"value", map[string]string{EnvMasterKey: key.Encode().Reveal()}, ""},
		{"file", map[string]string{EnvMasterKeyFile: path}, ""},
		{"both", map[string]string{EnvMasterKey: key.Encode().Reveal(), EnvMasterKeyFile: path}, "only one"},
		{"none", map[string]string{}, "no master key"},
		{"bad value", map[string]string{EnvMasterKey: "c2hvcnQ="}, "(from FIELDBRIDGE_MASTER_KEY)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := LoadMasterKey(func(k string) string { return tt.env[k] })
			if tt.wantErr == "" {
				if err != nil || got.ID() != key.ID() {
					t.Fatalf("LoadMasterKey: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestMasterKeyRedacted(t *testing.T) {
	t.Parallel()

	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	encoded := key.Encode().Reveal()
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		out := fmt.Sprintf(format, key) + fmt.Sprintf(format, struct{ K MasterKey }{key})
		if strings.Contains(out, encoded) || !strings.Contains(out, Redacted) {
			t.Errorf("Sprintf(%q) = %s", format, out)
		}
	}
	if len(key.ID()) != 12 {
		t.Errorf("ID() = %q, want 12 hex digits", key.ID())
	}
	if fmt.Sprint(key.Encode()) != Redacted {
		t.Error("Encode() must return a redacting Secret")
	}
}
