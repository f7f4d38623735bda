package repsly

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the production Repsly API root.
const DefaultBaseURL = "https://api.repsly.com/v3/"

// Defaults for Options fields left zero.
const (
	DefaultTimeout            = 60 * time.Second
	DefaultImportPollInterval = time.Second
	DefaultImportPollMax      = 30 * time.Second
	DefaultImportTimeout      = 15 * time.Minute
	DefaultImportBatchSize    = 50
	defaultUserAgent          = "fieldbridge-repsly/1"
	maxResponseBytes          = 32 << 20
)

// Limiter paces outgoing requests; *rate.Limiter from golang.org/x/time/rate
// satisfies it. Repsly publishes no rate limit, and third-party clients pace
// themselves at about one request a second.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Options configure a Client. Only Username and Password are required.
type Options struct {
	// BaseURL is the API root; default DefaultBaseURL. A sandbox serves the
	// same paths under its own "/v3/".
	BaseURL string
	// Username and Password are the API credentials from Repsly's
	// Settings → API Settings (not the login). They are sent as HTTP Basic
	// auth and never logged or included in errors.
	Username string
	Password string
	// HTTPClient sends the requests; default an http.Client with DefaultTimeout.
	HTTPClient *http.Client
	// Logger receives one debug line per request; default discards.
	Logger *slog.Logger
	// Clock tells the time (Retry-After dates, import deadlines, log
	// durations); default time.Now.
	Clock func() time.Time
	// Sleep waits between import status polls; default a timer that stops
	// when ctx is done. Tests pass a fake so that nothing really sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
	// Limiter, if set, is waited on before every request.
	Limiter Limiter
	// UserAgent overrides the User-Agent header.
	UserAgent string
	// ImportPollInterval is the first wait between import status polls; it
	// doubles up to ImportPollMax. Defaults DefaultImportPollInterval and
	// DefaultImportPollMax.
	ImportPollInterval time.Duration
	ImportPollMax      time.Duration
	// ImportTimeout bounds how long an import waits for its job, measured
	// with Clock; default DefaultImportTimeout. The job keeps running in
	// Repsly, and the returned ImportResult names it so a later WaitImport
	// can resume.
	ImportTimeout time.Duration
	// ImportBatchSize is how many records go into one list import (one
	// job); default DefaultImportBatchSize. Repsly documents no limit.
	ImportBatchSize int
}

// String describes the options without the password.
func (o Options) String() string {
	return fmt.Sprintf("repsly.Options{BaseURL:%q Username:%q Password:%s}", o.BaseURL, o.Username, redacted(o.Password))
}

// GoString keeps %#v from printing the password.
func (o Options) GoString() string { return o.String() }

// LogValue keeps slog from printing the password.
func (o Options) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", o.BaseURL), slog.String("username", o.Username),
		slog.String("password", redacted(o.Password)))
}

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "REDACTED"
}

// Client calls the Repsly API. It is safe for concurrent use.
type Client struct {
	base        string
	username    string
	password    string
	authHeader  string
	http        *http.Client
	logger      *slog.Logger
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error
	limiter     Limiter
	userAgent   string
	pollFirst   time.Duration
	pollMax     time.Duration
	importWait  time.Duration
	importBatch int
}

// New returns a Client; zero Options fields take their documented defaults.
func New(opts Options) *Client {
	c := &Client{
		base:        strings.TrimSpace(opts.BaseURL),
		username:    opts.Username,
		password:    opts.Password,
		http:        opts.HTTPClient,
		logger:      opts.Logger,
		now:         opts.Clock,
		sleep:       opts.Sleep,
		limiter:     opts.Limiter,
		userAgent:   opts.UserAgent,
		pollFirst:   opts.ImportPollInterval,
		pollMax:     opts.ImportPollMax,
		importWait:  opts.ImportTimeout,
		importBatch: opts.ImportBatchSize,
	}
	if c.base == "" {
		c.base = DefaultBaseURL
	}
	if !strings.HasSuffix(c.base, "/") {
		c.base += "/"
	}
	c.authHeader = "Basic " + base64.StdEncoding.EncodeToString([]byte(opts.Username+":"+opts.Password))
	if c.http == nil {
		c.http = &http.Client{Timeout: DefaultTimeout}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.pollFirst <= 0 {
		c.pollFirst = DefaultImportPollInterval
	}
	if c.pollMax <= 0 {
		c.pollMax = DefaultImportPollMax
	}
	if c.pollMax < c.pollFirst {
		c.pollMax = c.pollFirst
	}
	if c.importWait <= 0 {
		c.importWait = DefaultImportTimeout
	}
	if c.importBatch <= 0 {
		c.importBatch = DefaultImportBatchSize
	}
	return c
}

// BaseURL returns the API root the client calls, ending in "/".
func (c *Client) BaseURL() string { return c.base }

// Ping checks the base URL and credentials with the cheapest call every
// account supports (the representatives list).
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.ExportRepresentatives(ctx)
	return err
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do sends one request and returns the body of a 2xx response. Any other
// outcome is an *Error (or a transport/context error wrapped with the method
// and path). cursorInPath makes a 400 an ErrBadCursor.
func (c *Client) do(ctx context.Context, method, path string, body any, cursorInPath bool) ([]byte, int, error) {
	var reader io.Reader
	if body != nil {
		// HTML escaping is off so that territory paths ("East>Boston") go
		// out as written rather than as \u003e.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			return nil, 0, fmt.Errorf("repsly: %s %s: encode body: %w", method, path, err)
		}
		reader = bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return nil, 0, fmt.Errorf("repsly: %s %s: %w", method, path, c.scrub(err))
	}
	req.Header.Set("Authorization", c.authHeader)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, 0, fmt.Errorf("repsly: %s %s: rate limiter: %w", method, path, err)
		}
	}
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.logger.DebugContext(ctx, "repsly request failed", "method", method, "path", path, "error", c.scrub(err))
		return nil, 0, fmt.Errorf("repsly: %s %s: %w", method, path, c.scrub(err))
	}
	defer resp.Body.Close()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	c.logger.DebugContext(ctx, "repsly request", "method", method, "path", path,
		"status", resp.StatusCode, "bytes", len(data), "duration", c.now().Sub(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, resp.StatusCode, c.statusError(method, path, resp, data, cursorInPath)
	}
	if readErr != nil {
		return nil, resp.StatusCode, &Error{Method: method, Path: path, StatusCode: resp.StatusCode, Kind: ErrUnexpectedBody, Err: c.scrub(readErr)}
	}
	if len(data) > maxResponseBytes {
		return nil, resp.StatusCode, &Error{Method: method, Path: path, StatusCode: resp.StatusCode, Kind: ErrUnexpectedBody,
			Message: "body larger than " + strconv.Itoa(maxResponseBytes) + " bytes"}
	}
	return data, resp.StatusCode, nil
}

// statusError builds the typed error for a non-2xx response. Repsly answers
// {"Code","Message"} for validation errors and an HTML "Request Error" page
// for everything it did not handle; both are reduced to Message.
func (c *Client) statusError(method, path string, resp *http.Response, data []byte, cursorInPath bool) error {
	e := &Error{Method: method, Path: path, StatusCode: resp.StatusCode,
		Kind: kindForStatus(resp.StatusCode, cursorInPath)}
	var cm codeMessage
	if err := json.Unmarshal(trimBody(data), &cm); err == nil {
		e.Code, e.Message = int(cm.Code), cm.Message
	} else {
		e.Message = bodyText(data)
	}
	e.Message = c.scrubString(clip(e.Message, 300))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return e
}

// codeMessage is Repsly's {"Code":n,"Message":"..."} answer.
type codeMessage struct {
	Code    flexInt `json:"Code"`
	Message string  `json:"Message"`
}

// parseRetryAfter reads delta-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// scrub removes the credentials from an error text (a URL error could echo
// a base URL with userinfo, for example).
func (c *Client) scrub(err error) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	if t := c.scrubString(s); t != s {
		return errors.New(t)
	}
	return err
}

func (c *Client) scrubString(s string) string {
	if len(c.password) >= 3 {
		s = strings.ReplaceAll(s, c.password, "REDACTED")
	}
	if enc := strings.TrimPrefix(c.authHeader, "Basic "); enc != "" {
		s = strings.ReplaceAll(s, enc, "REDACTED")
	}
	return s
}
