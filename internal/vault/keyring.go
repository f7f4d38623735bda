package vault

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// version prefixes every sealed value so the format can change later.
const version = "v1"

// maxKeyIDLen bounds key ids (they are stored in every sealed value).
const maxKeyIDLen = 64

// Config configures [LoadKeyring].
type Config struct {
	// Master wraps the data keys. Required.
	Master MasterKey
	// Store holds the wrapped data keys. Required.
	Store KeyStore
	// Now stamps new keys. Defaults to time.Now.
	Now func() time.Time
}

// Keyring holds the unwrapped data keys of the process and seals and opens
// secrets. It is safe for concurrent use, including during rotation.
type Keyring struct {
	master MasterKey
	store  KeyStore
	now    func() time.Time

	mu      sync.RWMutex
	aeads   map[string]cipher.AEAD
	primary string
}

// LoadKeyring unwraps every data key in cfg.Store. If the store holds no key
// yet, it creates the first one and makes it primary, so a fresh database
// needs no separate setup step.
func LoadKeyring(ctx context.Context, cfg Config) (*Keyring, error) {
	if cfg.Master.IsZero() {
		return nil, errors.New("vault: no master key")
	}
	if cfg.Store == nil {
		return nil, errors.New("vault: no key store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	k := &Keyring{master: cfg.Master, store: cfg.Store, now: cfg.Now, aeads: map[string]cipher.AEAD{}}
	if err := k.Refresh(ctx); err != nil {
		return nil, err
	}
	if k.PrimaryID() == "" {
		if _, err := k.AddPrimaryKey(ctx); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Refresh re-reads the key store: it adds keys created by other processes and
// follows the primary. Keys are never dropped, so nothing sealed earlier
// becomes unreadable.
func (k *Keyring) Refresh(ctx context.Context) error {
	stored, err := k.store.ListKeys(ctx)
	if err != nil {
		return fmt.Errorf("vault: list keys: %w", err)
	}
	k.mu.RLock()
	var missing []WrappedKey
	for _, w := range stored {
		if _, ok := k.aeads[w.ID]; !ok {
			missing = append(missing, w)
		}
	}
	k.mu.RUnlock()

	added := make(map[string]cipher.AEAD, len(missing))
	for _, w := range missing {
		aead, err := k.unwrap(w)
		if err != nil {
			return err
		}
		added[w.ID] = aead
	}

	k.mu.Lock()
	defer k.mu.Unlock()
	for id, aead := range added {
		k.aeads[id] = aead
	}
	for _, w := range stored {
		if w.Primary {
			k.primary = w.ID
		}
	}
	return nil
}

func (k *Keyring) unwrap(w WrappedKey) (cipher.AEAD, error) {
	if err := checkKeyID(w.ID); err != nil {
		return nil, err
	}
	material, err := unwrapKey(k.master, w)
	if err != nil {
		return nil, err
	}
	defer clear(material)
	return sealingAEAD(w.ID, material)
}

// sealingAEAD derives the AES key for sealing secrets from a data key. The key
// id is part of the derivation so two ids never share an AES key.
func sealingAEAD(id string, material []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, material, nil, infoSeal+id, KeySize)
	if err != nil {
		return nil, fmt.Errorf("vault: derive key %s: %w", id, err)
	}
	defer clear(key)
	return newAEAD(key)
}

func checkKeyID(id string) error {
	if id == "" || len(id) > maxKeyIDLen {
		return fmt.Errorf("vault: key id must have 1 to %d characters", maxKeyIDLen)
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return fmt.Errorf("vault: key id %q may hold only letters, digits, '-' and '_'", id)
		}
	}
	return nil
}

// AddPrimaryKey creates a new random data key, stores it wrapped and makes it
// primary, in the store and in this keyring. It returns the new key's id.
// Secrets sealed before stay readable; see [Keyring.Reencrypt].
func (k *Keyring) AddPrimaryKey(ctx context.Context) (string, error) {
	var idBytes [6]byte
	material := make([]byte, KeySize)
	defer clear(material)
	if _, err := rand.Read(idBytes[:]); err != nil {
		return "", fmt.Errorf("vault: new key: %w", err)
	}
	if _, err := rand.Read(material); err != nil {
		return "", fmt.Errorf("vault: new key: %w", err)
	}
	id := "k" + hex.EncodeToString(idBytes[:])
	wrapped, err := wrapKey(k.master, id, material)
	if err != nil {
		return "", err
	}
	aead, err := sealingAEAD(id, material)
	if err != nil {
		return "", err
	}
	// Store first: a key only in memory would make secrets sealed under it
	// unreadable after a restart.
	if err := k.store.AddKey(ctx, WrappedKey{ID: id, Wrapped: wrapped, CreatedAt: k.now().UTC()}); err != nil {
		return "", fmt.Errorf("vault: add key %s: %w", id, err)
	}
	if err := k.store.SetPrimary(ctx, id); err != nil {
		return "", fmt.Errorf("vault: set primary key %s: %w", id, err)
	}
	k.mu.Lock()
	k.aeads[id] = aead
	k.primary = id
	k.mu.Unlock()
	return id, nil
}

// PrimaryID returns the id of the key new secrets are sealed under.
func (k *Keyring) PrimaryID() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.primary
}

// KeyIDs returns the ids of every loaded key, sorted.
func (k *Keyring) KeyIDs() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	ids := make([]string, 0, len(k.aeads))
	for id := range k.aeads {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Seal encrypts plaintext under the primary key. aad names the owning row and
// field ("connection:42:refresh_token"); Open must be given the same aad.
func (k *Keyring) Seal(aad string, plaintext []byte) (string, error) {
	k.mu.RLock()
	id := k.primary
	aead := k.aeads[id]
	k.mu.RUnlock()
	if aead == nil {
		return "", errors.New("vault: seal: keyring has no primary key")
	}
	ct := aead.Seal(nil, nil, plaintext, associatedData(id, aad))
	return version + ":" + id + ":" + base64.StdEncoding.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with the same aad. It fails with
// [ErrMalformed], [*UnknownKeyError] or [ErrDecrypt].
func (k *Keyring) Open(aad, sealed string) ([]byte, error) {
	ver, id, payload, ok := splitSealed(sealed)
	if !ok || ver != version {
		return nil, fmt.Errorf("vault: open %s: %w", aad, ErrMalformed)
	}
	ct, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: %w", aad, ErrMalformed)
	}
	k.mu.RLock()
	aead := k.aeads[id]
	k.mu.RUnlock()
	if aead == nil {
		return nil, &UnknownKeyError{ID: id}
	}
	pt, err := aead.Open(nil, nil, ct, associatedData(id, aad))
	if err != nil {
		return nil, fmt.Errorf("vault: open %s under key %s: %w", aad, id, ErrDecrypt)
	}
	return pt, nil
}

// SealSecret seals the value of s.
func (k *Keyring) SealSecret(aad string, s Secret) (string, error) {
	return k.Seal(aad, []byte(s.Reveal()))
}

// OpenSecret opens a sealed value into a Secret.
func (k *Keyring) OpenSecret(aad, sealed string) (Secret, error) {
	pt, err := k.Open(aad, sealed)
	if err != nil {
		return Secret{}, err
	}
	return NewSecret(string(pt)), nil
}

// NeedsRotation reports whether sealed is not under the primary key (or is
// not a sealed value at all), so a re-encryption pass should rewrite it.
func (k *Keyring) NeedsRotation(sealed string) bool {
	ver, id, _, ok := splitSealed(sealed)
	return !ok || ver != version || id != k.PrimaryID()
}

// associatedData binds a ciphertext to its format version, key id and owning
// row, so none of them can be swapped.
func associatedData(id, aad string) []byte {
	return []byte(version + "\x00" + id + "\x00" + aad)
}
