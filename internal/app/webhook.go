package app

import (
	"context"
	"crypto"
	"fmt"
	"os"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/webhook"
)

// webhookHandler builds the HighLevel webhook receiver: HighLevel's
// published keys plus any configured ones, a five-minute window, dedupe by
// webhookId through the inbox's unique key, and the job enqueued in the
// inbox row's transaction.
func (a *App) webhookHandler() (*webhook.Handler, error) {
	keys, err := ghl.PublishedKeys()
	if err != nil {
		return nil, fmt.Errorf("app: published webhook keys: %w", err)
	}
	keys = append(keys, a.opts.WebhookKeys...)
	if a.Config.GHLWebhookKeyFile != "" {
		extra, err := readKeys(a.Config.GHLWebhookKeyFile)
		if err != nil {
			return nil, err
		}
		keys = append(keys, extra...)
	}
	v, err := ghl.NewWebhookVerifier(ghl.VerifierOptions{Keys: keys, Clock: a.Now})
	if err != nil {
		return nil, fmt.Errorf("app: webhook verifier: %w", err)
	}
	return &webhook.Handler{
		Verifier:  v,
		Store:     a.Store,
		Logger:    a.Logger,
		Now:       a.Now,
		Locations: a.Engines.LocationKnown,
		Received:  webhook.NewReceivedCounter(a.Metrics.Registry),
		Enqueue: func(ctx context.Context, tx store.Tx, inboxID int64) error {
			_, err := a.Jobs.InsertTx(ctx, tx, job.GHLWebhookArgs{InboxID: inboxID}, nil)
			return err
		},
	}, nil
}

// readKeys reads every PEM public key in a file.
func readKeys(path string) ([]crypto.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE: %w", err)
	}
	var out []crypto.PublicKey
	for _, block := range strings.SplitAfter(string(b), "-----END PUBLIC KEY-----") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		k, err := ghl.ParsePublicKeyPEM([]byte(block))
		if err != nil {
			return nil, fmt.Errorf("FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE %s: %w", path, err)
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE %s: no PEM public key in the file", path)
	}
	return out, nil
}
