package vault

import (
	"context"
	"fmt"
)

// SecretIterator visits every sealed secret. The store implements it: for
// each row and field it calls fn (one call at a time, not concurrently) with
// the row's aad and sealed value, and if
// the returned value differs it writes it back, each row in its own short
// transaction (re-reading the row there, so a concurrent write is not lost).
// It stops at the first error fn or the write returns.
type SecretIterator func(ctx context.Context, fn func(aad, sealed string) (newSealed string, err error)) error

// RotateResult counts what a re-encryption pass did.
type RotateResult struct {
	// PrimaryID is the key everything was re-encrypted under.
	PrimaryID string
	// Reencrypted counts values rewritten under the primary key.
	Reencrypted int
	// Unchanged counts values already under the primary key.
	Unchanged int
}

// Rotate creates a new primary data key and re-encrypts every secret under it
// through each. If it fails midway, every value stays readable (old keys are
// kept) and [Keyring.Reencrypt] finishes the job.
func (k *Keyring) Rotate(ctx context.Context, each SecretIterator) (RotateResult, error) {
	if _, err := k.AddPrimaryKey(ctx); err != nil {
		return RotateResult{}, err
	}
	return k.Reencrypt(ctx, each)
}

// Reencrypt rewrites every secret not under the primary key. It is safe to
// run while other goroutines Seal and Open, and to run again after a failure.
func (k *Keyring) Reencrypt(ctx context.Context, each SecretIterator) (RotateResult, error) {
	res := RotateResult{PrimaryID: k.PrimaryID()}
	err := each(ctx, func(aad, sealed string) (string, error) {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if !k.NeedsRotation(sealed) {
			res.Unchanged++
			return sealed, nil
		}
		pt, err := k.Open(aad, sealed)
		if err != nil {
			return "", err
		}
		defer clear(pt)
		resealed, err := k.Seal(aad, pt)
		if err != nil {
			return "", err
		}
		res.Reencrypted++
		return resealed, nil
	})
	if err != nil {
		return res, fmt.Errorf("vault: re-encrypt: %w", err)
	}
	return res, nil
}
