// Package config holds the process settings of Fieldbridge: where the
// database is, where to listen, where the master key comes from and how to
// log. Business configuration (connections, flows, mappings) lives in the
// database, not here.
package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Defaults for the settings a user does not give.
const (
	DefaultDB              = "sqlite:fieldbridge.db"
	DefaultListen          = "127.0.0.1:8080"
	DefaultShutdownTimeout = 30 * time.Second
	DefaultJobTimeout      = 5 * time.Minute
	DefaultLogLevel        = "info"
	DefaultLogFormat       = "auto"
	DefaultHeapBudgetMB    = 96
	// DefaultGHLScopes is what an OAuth install asks for: everything the
	// catalog and the sync use.
	DefaultGHLScopes = "contacts.readonly contacts.write calendars.readonly calendars/events.readonly calendars/events.write locations.readonly locations/customFields.readonly locations/customFields.write locations/tags.readonly locations/tags.write"
)

// Config is the process configuration. Every field can be set by a
// FIELDBRIDGE_* environment variable and, for the serve command, by a flag of
// the same name; flags win.
type Config struct {
	// DB is the database DSN: "sqlite:PATH" or "postgres://...". Env
	// FIELDBRIDGE_DB. Defaults to sqlite:fieldbridge.db in the working folder.
	DB string

	// Listen is the address the HTTP server binds. Env FIELDBRIDGE_LISTEN.
	Listen string

	// MasterKey is the base64 form of the 32-byte key that wraps every
	// secret in the vault. Env FIELDBRIDGE_MASTER_KEY. Exactly one of
	// MasterKey and MasterKeyFile is required by commands that touch secrets.
	MasterKey string

	// MasterKeyFile is a file holding the master key; it must not be
	// readable by group or others. Env FIELDBRIDGE_MASTER_KEY_FILE.
	MasterKeyFile string

	// PublicURL is the URL at which users and HighLevel reach this server
	// (OAuth callback, webhooks). Env FIELDBRIDGE_PUBLIC_URL. Defaults to
	// http://<Listen>.
	PublicURL string

	// LogLevel is debug, info, warn or error. Env FIELDBRIDGE_LOG_LEVEL.
	LogLevel string

	// LogFormat is text, json or auto (text on a terminal, JSON otherwise).
	// Env FIELDBRIDGE_LOG_FORMAT.
	LogFormat string

	// ShutdownTimeout bounds how long a graceful shutdown waits for running
	// jobs and requests. Env FIELDBRIDGE_SHUTDOWN_TIMEOUT.
	ShutdownTimeout time.Duration

	// JobTimeout is the longest a single job may run. Env
	// FIELDBRIDGE_JOB_TIMEOUT.
	JobTimeout time.Duration

	// GHLClientID and GHLClientSecret identify the HighLevel Marketplace
	// app used for OAuth installs. Env FIELDBRIDGE_GHL_CLIENT_ID and
	// FIELDBRIDGE_GHL_CLIENT_SECRET. Optional: without them only Private
	// Integration Tokens can connect HighLevel.
	GHLClientID     string
	GHLClientSecret string

	// GHLAuthorizeURL is HighLevel's location chooser page. Env
	// FIELDBRIDGE_GHL_AUTHORIZE_URL; default the real one.
	GHLAuthorizeURL string

	// GHLScopes are the scopes an OAuth install asks for, space separated.
	// Env FIELDBRIDGE_GHL_SCOPES.
	GHLScopes string

	// PollInterval is how often Repsly is polled for changes and HighLevel
	// searched for changes its webhooks missed. Env
	// FIELDBRIDGE_POLL_INTERVAL; default 30s.
	PollInterval time.Duration

	// GHLWebhookKeyFile names a PEM file of extra public keys accepted for
	// HighLevel webhook signatures (besides HighLevel's published keys),
	// e.g. a sandbox's key. Env FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE.
	GHLWebhookKeyFile string

	// GHLRateLimit is "real" (pace every location at HighLevel's 100 / 10 s
	// and 200,000 / day, slowing further when the X-RateLimit-* headers say
	// so) or "off" (no pacing of our own, for sandboxes without limits).
	// Env FIELDBRIDGE_GHL_RATE_LIMIT; default real.
	GHLRateLimit string

	// HeapBudgetMB is the heap, in MiB, a syncing process (sync run, serve)
	// may grow to between garbage collections while what it keeps live is
	// small; it never collects more often than Go's default (ADR 0014).
	// 0 turns it off; so does setting GOGC or GOMEMLIMIT, which then rule.
	// Env FIELDBRIDGE_HEAP_BUDGET_MB; default 96.
	HeapBudgetMB int

	// RescueAfter is how long a job may sit in the running state before it
	// is considered orphaned by a crashed process and retried. It must
	// exceed JobTimeout. Env FIELDBRIDGE_RESCUE_AFTER; defaults to
	// JobTimeout + 1 minute.
	RescueAfter time.Duration
}

// FromEnv reads the configuration from environment variables through
// getenv, applying defaults. It reports malformed durations; Validate checks
// the rest.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DB:            or(getenv("FIELDBRIDGE_DB"), DefaultDB),
		Listen:        or(getenv("FIELDBRIDGE_LISTEN"), DefaultListen),
		MasterKey:     getenv("FIELDBRIDGE_MASTER_KEY"),
		MasterKeyFile: getenv("FIELDBRIDGE_MASTER_KEY_FILE"),
		PublicURL:     getenv("FIELDBRIDGE_PUBLIC_URL"),
		LogLevel:      or(getenv("FIELDBRIDGE_LOG_LEVEL"), DefaultLogLevel),
		LogFormat:     or(getenv("FIELDBRIDGE_LOG_FORMAT"), DefaultLogFormat),

		GHLClientID:     getenv("FIELDBRIDGE_GHL_CLIENT_ID"),
		GHLClientSecret: getenv("FIELDBRIDGE_GHL_CLIENT_SECRET"),
		GHLAuthorizeURL: getenv("FIELDBRIDGE_GHL_AUTHORIZE_URL"),
		GHLScopes:       or(getenv("FIELDBRIDGE_GHL_SCOPES"), DefaultGHLScopes),

		GHLWebhookKeyFile: getenv("FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE"),
		GHLRateLimit:      or(getenv("FIELDBRIDGE_GHL_RATE_LIMIT"), "real"),
	}
	var errs []error
	for _, d := range []struct {
		env string
		dst *time.Duration
		def time.Duration
	}{
		{"FIELDBRIDGE_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout, DefaultShutdownTimeout},
		{"FIELDBRIDGE_JOB_TIMEOUT", &c.JobTimeout, DefaultJobTimeout},
		{"FIELDBRIDGE_RESCUE_AFTER", &c.RescueAfter, 0},
		{"FIELDBRIDGE_POLL_INTERVAL", &c.PollInterval, 30 * time.Second},
	} {
		*d.dst = d.def
		if v := getenv(d.env); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration such as 30s or 5m", d.env, v))
				continue
			}
			*d.dst = parsed
		}
	}
	c.HeapBudgetMB = DefaultHeapBudgetMB
	if v := getenv("FIELDBRIDGE_HEAP_BUDGET_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("FIELDBRIDGE_HEAP_BUDGET_MB: %q is not a number of MiB (0 turns it off)", v))
		} else {
			c.HeapBudgetMB = n
		}
	}
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		c.HeapBudgetMB = 0 // the operator tuned the runtime
	}
	return c, errors.Join(errs...)
}

// HeapBudget is HeapBudgetMB in bytes.
func (c Config) HeapBudget() uint64 { return uint64(c.HeapBudgetMB) << 20 }

// Validate checks every setting and returns one error per problem, each
// naming the setting, joined together.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := ParseDSN(c.DB); err != nil {
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_DB: %w", err))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_LISTEN: %q is not host:port", c.Listen))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_LOG_LEVEL: %q is not one of debug, info, warn, error", c.LogLevel))
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_LOG_FORMAT: %q is not one of auto, text, json", c.LogFormat))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("FIELDBRIDGE_SHUTDOWN_TIMEOUT: must be positive"))
	}
	if c.GHLRateLimit != "real" && c.GHLRateLimit != "off" {
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_GHL_RATE_LIMIT: %q is not real or off", c.GHLRateLimit))
	}
	if c.PollInterval < time.Second {
		errs = append(errs, errors.New("FIELDBRIDGE_POLL_INTERVAL: must be at least 1s"))
	}
	if c.JobTimeout <= 0 {
		errs = append(errs, errors.New("FIELDBRIDGE_JOB_TIMEOUT: must be positive"))
	}
	if c.RescueAfter != 0 && c.RescueAfter <= c.JobTimeout {
		errs = append(errs, errors.New("FIELDBRIDGE_RESCUE_AFTER: must be longer than FIELDBRIDGE_JOB_TIMEOUT"))
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		errs = append(errs, fmt.Errorf("FIELDBRIDGE_PUBLIC_URL: %q must start with http:// or https://", c.PublicURL))
	}
	return errors.Join(errs...)
}

// ValidateMasterKey checks that exactly one master key source is set. Only
// commands that read or write secrets call it.
func (c Config) ValidateMasterKey() error {
	switch {
	case c.MasterKey == "" && c.MasterKeyFile == "":
		return errors.New("FIELDBRIDGE_MASTER_KEY: not set (give a base64 32-byte key, or FIELDBRIDGE_MASTER_KEY_FILE)")
	case c.MasterKey != "" && c.MasterKeyFile != "":
		return errors.New("FIELDBRIDGE_MASTER_KEY: set only one of FIELDBRIDGE_MASTER_KEY and FIELDBRIDGE_MASTER_KEY_FILE")
	}
	return nil
}

// EffectiveRescueAfter is RescueAfter, or JobTimeout plus a minute when unset.
func (c Config) EffectiveRescueAfter() time.Duration {
	if c.RescueAfter > 0 {
		return c.RescueAfter
	}
	return c.JobTimeout + time.Minute
}

// EffectivePublicURL is PublicURL, or http://Listen when unset.
func (c Config) EffectivePublicURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return "http://" + c.Listen
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
