package app

import (
	"crypto"
	"time"
)

// Options are what tests and the demo set beyond the process config.
type Options struct {
	// Now overrides the clock.
	Now func() time.Time
	// WebhookKeys are accepted for HighLevel webhook signatures besides the
	// published ones and FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE's (the demo passes
	// its sandbox's key).
	WebhookKeys []crypto.PublicKey
	// FetchPollInterval overrides how often idle job workers look for work.
	FetchPollInterval time.Duration
}
