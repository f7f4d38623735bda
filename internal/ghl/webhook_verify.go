package ghl

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Webhook signature headers. Both sign the raw request body.
const (
	// HeaderSignature carries a base64 Ed25519 signature.
	HeaderSignature = "X-GHL-Signature"
	// HeaderLegacySignature carries a base64 RSA PKCS#1 v1.5 SHA-256
	// signature; HighLevel stops sending it on July 1, 2026.
	HeaderLegacySignature = "X-WH-Signature"
)

// DefaultWebhookTolerance is how far a delivery's timestamp may be from now.
const DefaultWebhookTolerance = 5 * time.Minute

// Webhook verification failures, to branch on with errors.Is.
var (
	ErrMissingSignature  = errors.New("ghl: webhook has no signature")
	ErrBadSignature      = errors.New("ghl: webhook signature does not verify")
	ErrStaleDelivery     = errors.New("ghl: webhook timestamp outside the accepted window")
	ErrDuplicateDelivery = errors.New("ghl: webhook delivery already received")
)

// Deduper remembers webhook deliveries by webhookId. HighLevel redelivers
// (after a 429) with the same webhookId.
type Deduper interface {
	// Seen reports whether the delivery was already accepted.
	Seen(ctx context.Context, webhookID string) (bool, error)
	// Mark records the delivery as accepted.
	Mark(ctx context.Context, webhookID string) error
}

// VerifierOptions configures a WebhookVerifier.
type VerifierOptions struct {
	// Keys are the accepted signing keys: ed25519.PublicKey for
	// X-GHL-Signature, *rsa.PublicKey for X-WH-Signature. Nil means
	// HighLevel's published keys (tests and the sandbox pass their own).
	Keys []crypto.PublicKey
	// DisableLegacyRSA refuses deliveries signed only with X-WH-Signature.
	DisableLegacyRSA bool
	// Tolerance bounds |now - timestamp|; 0 means DefaultWebhookTolerance,
	// negative disables the timestamp check. HighLevel redelivers only after
	// the endpoint answered 429, about 10 minutes later; if redeliveries keep
	// the first timestamp, a 5 minute window rejects them, so an endpoint
	// must not answer 429 (or must widen the window).
	Tolerance time.Duration
	// AllowMissingTimestamp accepts deliveries without a timestamp field
	// (older deliveries and the documented examples have none).
	AllowMissingTimestamp bool
	// Clock returns the current time; default time.Now.
	Clock func() time.Time
	// Deduper, when set, rejects deliveries whose webhookId was seen.
	Deduper Deduper
}

// WebhookVerifier checks HighLevel webhook deliveries: signature over the raw
// body, timestamp window, and replays. Safe for concurrent use.
type WebhookVerifier struct {
	ed        []ed25519.PublicKey
	rsa       []*rsa.PublicKey
	noLegacy  bool
	tolerance time.Duration
	allowNoTS bool
	clock     func() time.Time
	dedupe    Deduper
}

// NewWebhookVerifier returns a verifier; it fails only when a key is unusable.
func NewWebhookVerifier(opts VerifierOptions) (*WebhookVerifier, error) {
	v := &WebhookVerifier{
		noLegacy:  opts.DisableLegacyRSA,
		tolerance: opts.Tolerance,
		allowNoTS: opts.AllowMissingTimestamp,
		clock:     opts.Clock,
		dedupe:    opts.Deduper,
	}
	if v.tolerance == 0 {
		v.tolerance = DefaultWebhookTolerance
	}
	if v.clock == nil {
		v.clock = time.Now
	}
	keys := opts.Keys
	if keys == nil {
		var err error
		if keys, err = PublishedKeys(); err != nil {
			return nil, err
		}
	}
	for _, k := range keys {
		switch k := k.(type) {
		case ed25519.PublicKey:
			if len(k) != ed25519.PublicKeySize {
				return nil, fmt.Errorf("ghl: webhook verifier: ed25519 key of %d bytes", len(k))
			}
			v.ed = append(v.ed, k)
		case *rsa.PublicKey:
			v.rsa = append(v.rsa, k)
		default:
			return nil, fmt.Errorf("ghl: webhook verifier: unsupported key type %T", k)
		}
	}
	return v, nil
}

// Delivery is a verified webhook delivery.
type Delivery struct {
	Envelope
	// Scheme is "ed25519" or "rsa-sha256": the signature that verified.
	Scheme string
}

// Verify checks one delivery: header holds the request headers, body the
// raw request body exactly as received (re-encoded JSON does not verify).
// It does not mark the delivery as seen: call MarkDelivered once the body is
// stored durably, so that a delivery lost between Verify and storage can
// still be redelivered.
func (v *WebhookVerifier) Verify(ctx context.Context, header http.Header, body []byte) (*Delivery, error) {
	scheme, err := v.verifySignature(header, body)
	if err != nil {
		return nil, err
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	if v.tolerance > 0 {
		if env.Timestamp.IsZero() {
			if !v.allowNoTS {
				return nil, fmt.Errorf("%w: no timestamp", ErrStaleDelivery)
			}
		} else if d := v.clock().Sub(env.Timestamp.Time); d > v.tolerance || d < -v.tolerance {
			return nil, fmt.Errorf("%w: timestamp %s is %s from now", ErrStaleDelivery,
				env.Timestamp.Format(time.RFC3339), d.Round(time.Second))
		}
	}
	if v.dedupe != nil && env.WebhookID != "" {
		seen, err := v.dedupe.Seen(ctx, env.WebhookID)
		if err != nil {
			return nil, fmt.Errorf("ghl: webhook dedupe: %w", err)
		}
		if seen {
			return nil, fmt.Errorf("%w: %s", ErrDuplicateDelivery, env.WebhookID)
		}
	}
	return &Delivery{Envelope: env, Scheme: scheme}, nil
}

// MarkDelivered records the delivery with the Deduper (no-op without one).
func (v *WebhookVerifier) MarkDelivered(ctx context.Context, d *Delivery) error {
	if v.dedupe == nil || d.WebhookID == "" {
		return nil
	}
	if err := v.dedupe.Mark(ctx, d.WebhookID); err != nil {
		return fmt.Errorf("ghl: webhook dedupe: %w", err)
	}
	return nil
}

// verifySignature accepts the body if either signature verifies with a
// configured key. Both schemes are HighLevel's own keys, so either proves
// the origin; trying both survives a rotation of one key.
func (v *WebhookVerifier) verifySignature(header http.Header, body []byte) (string, error) {
	edSig := header.Get(HeaderSignature)
	rsaSig := header.Get(HeaderLegacySignature)
	if v.noLegacy {
		rsaSig = ""
	}
	if edSig == "" && rsaSig == "" {
		return "", ErrMissingSignature
	}
	if sig, ok := decodeSignature(edSig); ok && len(sig) == ed25519.SignatureSize {
		for _, k := range v.ed {
			if ed25519.Verify(k, body, sig) {
				return "ed25519", nil
			}
		}
	}
	if sig, ok := decodeSignature(rsaSig); ok {
		digest := sha256.Sum256(body)
		for _, k := range v.rsa {
			if rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil {
				return "rsa-sha256", nil
			}
		}
	}
	return "", ErrBadSignature
}

// decodeSignature reads base64 with or without padding, standard or URL alphabet.
func decodeSignature(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}
