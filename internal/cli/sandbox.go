package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// sandboxFlags are the settings of `fieldbridge sandbox`.
type sandboxFlags struct {
	ghlListen, repslyListen                       string
	ghlToken, ghlLocation, ghlClientID, ghlSecret string
	ghlWebhookURL                                 string
	repslyUser, repslyPassword                    string
	seedClients, seedContacts                     int
	seed                                          int64
	realRateLimit                                 bool
	latency                                       time.Duration
	errorRate, rateLimitRate, timeoutRate         float64
	webhookDropRate, webhookDupRate               float64
	badCursorRate                                 float64
}

func newSandboxCmd(e *env) *cobra.Command {
	var sf sandboxFlags
	cmd := &cobra.Command{
		Use:   "sandbox --ghl-listen ADDR --repsly-listen ADDR",
		Short: "Serve local imitations of the HighLevel and Repsly APIs (either alone, or both)",
		Long: `Serves faithful local imitations of HighLevel's API v2 (at the root, as
services.leadconnectorhq.com does; the authorize page at /oauth/chooselocation and the webhook
public key at /sandbox/webhook-public-key) and of Repsly's API v3 (under /v3/), for a test
environment before going live. Prints base URLs and credentials, serves until SIGTERM.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sf.ghlListen == "" && sf.repslyListen == "" {
				return errors.New("give --ghl-listen ADDR, --repsly-listen ADDR or both")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			logger := newLogger(e.stderr, "warn", "auto")
			var servers []*http.Server
			errs := make(chan error, 2)
			serve := func(addr string, h http.Handler) (string, error) {
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return "", fmt.Errorf("listen %s: %w", addr, err)
				}
				srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
				servers = append(servers, srv)
				go func() {
					if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
						errs <- err
					}
				}()
				return "http://" + ln.Addr().String(), nil
			}
			var g *ghlsandbox.Server
			if sf.ghlListen != "" {
				g = newGHLSandbox(sf, logger)
				defer g.Close()
				if sf.seedContacts > 0 {
					if err := g.Seed(sf.seedContacts); err != nil {
						return err
					}
				}
				url, err := serve(sf.ghlListen, g.Handler())
				if err != nil {
					return err
				}
				if sf.ghlWebhookURL != "" {
					g.SetWebhookURLs(sf.ghlWebhookURL)
				}
				fmt.Fprintf(e.stdout, "HighLevel sandbox: %s\n  location: %s\n  token: %s\n  OAuth client id: %s, secret: %s\n  authorize page: %s/oauth/chooselocation\n  webhook public key: %s/sandbox/webhook-public-key\n",
					url, sf.ghlLocation, sf.ghlToken, sf.ghlClientID, sf.ghlSecret, url, url)
			}
			if sf.repslyListen != "" {
				r := repslysandbox.New(repslysandbox.Options{Username: sf.repslyUser, Password: sf.repslyPassword, Logger: logger, Seed: sf.seed,
					Faults: repslysandbox.Faults{Latency: sf.latency, ServerErrorRate: sf.errorRate, RateLimitRate: sf.rateLimitRate, BadCursorRate: sf.badCursorRate, Seed: sf.seed}})
				if sf.seedClients > 0 {
					if err := r.Seed(repslysandbox.SeedOptions{Clients: sf.seedClients, Seed: sf.seed}); err != nil {
						return err
					}
				}
				url, err := serve(sf.repslyListen, r)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Repsly sandbox: %s/v3/\n  username: %s\n  password: %s\n", url, sf.repslyUser, sf.repslyPassword)
			}
			var runErr error
			select {
			case <-ctx.Done():
			case runErr = <-errs:
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			for _, s := range servers {
				_ = s.Shutdown(shutdown)
			}
			return runErr
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sf.ghlListen, "ghl-listen", "", "address of the HighLevel sandbox, e.g. 127.0.0.1:8081")
	fl.StringVar(&sf.repslyListen, "repsly-listen", "", "address of the Repsly sandbox, e.g. 127.0.0.1:8082")
	fl.StringVar(&sf.ghlToken, "ghl-token", sandbox.GHLToken, "Private Integration Token the HighLevel sandbox accepts")
	fl.StringVar(&sf.ghlLocation, "ghl-location", sandbox.LocationID, "HighLevel location id")
	fl.StringVar(&sf.ghlClientID, "ghl-client-id", "fieldbridge-sandbox-app", "OAuth client id")
	fl.StringVar(&sf.ghlSecret, "ghl-client-secret", "fieldbridge-sandbox-secret", "OAuth client secret")
	fl.StringVar(&sf.ghlWebhookURL, "ghl-webhook-url", "", "deliver every HighLevel event to this URL")
	fl.StringVar(&sf.repslyUser, "repsly-user", repslysandbox.DefaultUsername, "Repsly API username")
	fl.StringVar(&sf.repslyPassword, "repsly-password", repslysandbox.DefaultPassword, "Repsly API password")
	fl.IntVar(&sf.seedClients, "seed-clients", 0, "seed this many Repsly clients (with notes, visits, ...)")
	fl.IntVar(&sf.seedContacts, "seed-contacts", 0, "seed this many HighLevel contacts")
	fl.Int64Var(&sf.seed, "seed", 1, "random seed of the seeded data and faults")
	fl.BoolVar(&sf.realRateLimit, "rate-limit", false, "enforce HighLevel's real limits (100 / 10 s, 200,000 / day per location)")
	fl.DurationVar(&sf.latency, "fault-latency", 0, "add this latency to every response")
	fl.Float64Var(&sf.errorRate, "fault-500-rate", 0, "fraction of requests answered 500")
	fl.Float64Var(&sf.rateLimitRate, "fault-429-rate", 0, "fraction of requests answered 429")
	fl.Float64Var(&sf.timeoutRate, "fault-timeout-rate", 0, "fraction of HighLevel requests that hang")
	fl.Float64Var(&sf.webhookDropRate, "fault-webhook-drop-rate", 0, "fraction of HighLevel webhooks never sent")
	fl.Float64Var(&sf.webhookDupRate, "fault-webhook-dup-rate", 0, "fraction of HighLevel webhooks sent twice")
	fl.Float64Var(&sf.badCursorRate, "fault-bad-cursor-rate", 0, "fraction of Repsly paged exports answered 400")
	return cmd
}

func newGHLSandbox(sf sandboxFlags, logger *slog.Logger) *ghlsandbox.Server {
	opts := ghlsandbox.Options{
		Logger: logger, Seed: uint64(sf.seed),
		Locations: []ghlsandbox.Location{{ID: sf.ghlLocation, Name: "Fieldbridge Sandbox", Country: "US",
			CustomFields: []ghlsandbox.CustomField{{ID: sandbox.CodeFieldID, Name: "Repsly client code", Key: sandbox.CodeFieldKey, DataType: "TEXT", Model: "contact"}}}},
		Tokens:   []ghlsandbox.PrivateToken{{Token: sf.ghlToken, LocationID: sf.ghlLocation}},
		ClientID: sf.ghlClientID, ClientSecret: sf.ghlSecret,
		Faults: ghlsandbox.Faults{Latency: sf.latency, ErrorRate: sf.errorRate, RateLimitRate: sf.rateLimitRate, TimeoutRate: sf.timeoutRate,
			WebhookDropRate: sf.webhookDropRate, WebhookDuplicateRate: sf.webhookDupRate},
	}
	if sf.realRateLimit {
		opts.RateLimit = ghlsandbox.RealRateLimit()
	}
	return ghlsandbox.New(opts)
}
