// Package vault encrypts secrets (tokens, passwords, client secrets) before
// they reach the database, and keeps them out of logs and error messages.
//
// # Scheme
//
// There are two layers of keys:
//
//   - The master key: 32 random bytes given to the process through
//     FIELDBRIDGE_MASTER_KEY (base64) or FIELDBRIDGE_MASTER_KEY_FILE (a file
//     only its owner may read). It is never written to the database. It only
//     wraps data keys: the wrapping key is derived from it with HKDF-SHA256, so
//     the raw master key never touches a cipher directly.
//   - Data keys: 32 random bytes each, with a short id. They are stored in the
//     database (the vault_key table, through the [KeyStore] interface) wrapped
//     with AES-256-GCM under the master key, with the key id as associated
//     data, so a wrapped key row cannot be relabelled. Exactly one data key is
//     primary: new secrets are sealed under it.
//
// A secret is sealed with AES-256-GCM under an AES key derived (HKDF-SHA256)
// from a data key and its id, with a random 12-byte nonce per secret. The
// associated data names the owning row and field, for example
// "connection:42:refresh_token", so a ciphertext copied into another row or
// column fails to decrypt instead of silently handing one connection's token
// to another. The sealed form is text, so it fits a TEXT column on SQLite and
// PostgreSQL alike:
//
//	v1:<keyID>:<base64(nonce | ciphertext | tag)>
//
// # Rotation
//
// [Keyring.Rotate] creates a new data key, stores it wrapped, makes it primary
// and then re-encrypts every secret through a [SecretIterator] that the store
// implements row by row, each in its own short transaction, so rotation runs
// while the server keeps serving. Old data keys are kept, so ciphertexts that
// were not re-encrypted yet (or that another process sealed under the old
// primary meanwhile) stay readable; [Keyring.NeedsRotation] tells which ones a
// later [Keyring.Reencrypt] pass still has to touch. A process that meets a key
// id it has not loaded yet (another process rotated) gets an
// [*UnknownKeyError] and can call [Keyring.Refresh] and retry.
//
// Replacing the master key itself (re-wrapping the data keys) is not
// implemented yet.
//
// # Secrets in memory
//
// [Secret] holds a plaintext value and prints as REDACTED through fmt, JSON,
// text marshalling and slog; only [Secret.Reveal] returns the value.
package vault
