package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// WrappedKey is a data key as stored in the database: encrypted under the
// master key, never in plaintext.
type WrappedKey struct {
	// ID names the key; it appears in every value sealed under it.
	ID string
	// Wrapped is the key material sealed under the master key, in the form
	// v1:<masterKeyID>:<base64(nonce|ciphertext|tag)>, with the key ID as
	// associated data.
	Wrapped string
	// Primary is true for the one key new secrets are sealed under.
	Primary bool
	// CreatedAt is when the key was created.
	CreatedAt time.Time
}

// KeyStore persists wrapped data keys. The store package implements it on
// the vault_key table; [MemoryKeyStore] is an in-memory implementation.
type KeyStore interface {
	// ListKeys returns every stored key, with Primary set on at most one.
	ListKeys(ctx context.Context) ([]WrappedKey, error)
	// AddKey stores a new key (not primary yet). Adding an existing ID is an
	// error.
	AddKey(ctx context.Context, key WrappedKey) error
	// SetPrimary makes the key with this ID the only primary key.
	SetPrimary(ctx context.Context, id string) error
}

// MemoryKeyStore is a KeyStore kept in memory, for tests and one-shot tools.
// The zero value is ready to use and safe for concurrent use.
type MemoryKeyStore struct {
	mu   sync.Mutex
	keys []WrappedKey
}

// ListKeys returns a copy of the stored keys.
func (s *MemoryKeyStore) ListKeys(context.Context) ([]WrappedKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.keys), nil
}

// AddKey appends key; the ID must be new.
func (s *MemoryKeyStore) AddKey(_ context.Context, key WrappedKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.ID == key.ID {
			return fmt.Errorf("vault: key %s already exists", key.ID)
		}
	}
	key.Primary = false
	s.keys = append(s.keys, key)
	return nil
}

// SetPrimary marks the key with id as the only primary key.
func (s *MemoryKeyStore) SetPrimary(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.ContainsFunc(s.keys, func(k WrappedKey) bool { return k.ID == id }) {
		return &UnknownKeyError{ID: id}
	}
	for i := range s.keys {
		s.keys[i].Primary = s.keys[i].ID == id
	}
	return nil
}

// wrapKey seals a data key under the master key. The key id is associated
// data, so a wrapped key moved to another id does not unwrap.
func wrapKey(master MasterKey, id string, material []byte) (string, error) {
	aead, err := wrapAEAD(master)
	if err != nil {
		return "", err
	}
	ct := aead.Seal(nil, nil, material, []byte("vault_key:"+id))
	return version + ":" + master.ID() + ":" + base64.StdEncoding.EncodeToString(ct), nil
}

// unwrapKey opens a wrapped data key.
func unwrapKey(master MasterKey, w WrappedKey) ([]byte, error) {
	ver, masterID, payload, ok := splitSealed(w.Wrapped)
	if !ok || ver != version {
		return nil, fmt.Errorf("vault: data key %s: %w", w.ID, ErrMalformed)
	}
	if masterID != master.ID() {
		return nil, fmt.Errorf("vault: data key %s is wrapped by master key %s, but the loaded master key is %s: %w",
			w.ID, masterID, master.ID(), ErrWrongMasterKey)
	}
	ct, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("vault: data key %s: %w", w.ID, ErrMalformed)
	}
	aead, err := wrapAEAD(master)
	if err != nil {
		return nil, err
	}
	material, err := aead.Open(nil, nil, ct, []byte("vault_key:"+w.ID))
	if err != nil {
		return nil, fmt.Errorf("vault: data key %s: %w", w.ID, ErrDecrypt)
	}
	if len(material) != KeySize {
		return nil, fmt.Errorf("vault: data key %s has %d bytes: %w", w.ID, len(material), ErrMalformed)
	}
	return material, nil
}

func wrapAEAD(master MasterKey) (cipher.AEAD, error) {
	if master.IsZero() {
		return nil, errors.New("vault: no master key")
	}
	return newAEAD(master.derive(infoWrap, KeySize))
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return aead, nil
}

// splitSealed splits "v1:<id>:<payload>".
func splitSealed(s string) (ver, id, payload string, ok bool) {
	ver, rest, ok1 := strings.Cut(s, ":")
	id, payload, ok2 := strings.Cut(rest, ":")
	return ver, id, payload, ok1 && ok2
}
