package vault

import (
	"errors"
	"strconv"
)

// Errors callers branch on. Messages never contain key material, plaintext or
// ciphertext.
var (
	// ErrMalformed means a sealed value is not of the form v1:<keyID>:<base64>.
	ErrMalformed = errors.New("malformed sealed value")
	// ErrDecrypt means authentication failed: the value was tampered with,
	// belongs to another row or field (associated data mismatch), or was
	// sealed under a different key with the same id.
	ErrDecrypt = errors.New("decryption failed (tampered value, wrong row or field, or wrong key)")
	// ErrWrongMasterKey means the stored data keys were wrapped by another
	// master key than the one loaded.
	ErrWrongMasterKey = errors.New("wrong master key")
)

// UnknownKeyError reports a sealed value whose key id the keyring does not
// hold. Another process may have rotated the key: call [Keyring.Refresh] and
// retry.
type UnknownKeyError struct {
	ID string
}

// Error names the key id.
func (e *UnknownKeyError) Error() string {
	return "vault: unknown key id " + strconv.Quote(e.ID) + " (not in the keyring; refresh it if another process rotated keys)"
}
