package app

import (
	"crypto"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
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
	// GHLBudget overrides HighLevel's per-location request limits.
	GHLBudget ghl.BudgetOptions
}
