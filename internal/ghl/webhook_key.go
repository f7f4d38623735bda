package ghl

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"errors"
	"fmt"
)

// HighLevel's published webhook public keys (copies of shared/specs/ghl/keys).
// The Ed25519 key signs X-GHL-Signature; the RSA-4096 key signs the legacy
// X-WH-Signature, deprecated from July 1, 2026. HighLevel announces key
// rotations by email; on rotation, replace these files.
var (
	//go:embed keys/webhook-ed25519-public.pem
	publishedEd25519PEM []byte
	//go:embed keys/webhook-rsa-public.pem
	publishedRSAPEM []byte
)

// PublishedKeys returns HighLevel's published webhook verification keys.
func PublishedKeys() ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for _, p := range [][]byte{publishedEd25519PEM, publishedRSAPEM} {
		k, err := ParsePublicKeyPEM(p)
		if err != nil {
			return nil, fmt.Errorf("ghl: published webhook key: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ParsePublicKeyPEM parses a PEM "PUBLIC KEY" (SPKI) block holding an Ed25519
// or RSA key, e.g. the one the sandbox serves at /sandbox/webhook-public-key.
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	switch k := key.(type) {
	case ed25519.PublicKey:
		return k, nil
	case *rsa.PublicKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported public key type %T", key)
}
