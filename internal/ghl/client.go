// Package ghl is a client for the HighLevel (LeadConnector) API v2: contacts,
// tasks, notes, tags, appointments, the OAuth token endpoints, the location
// reads sync needs, and verification and decoding of HighLevel webhooks.
//
// It imports nothing else of Fieldbridge. Authentication comes in as an
// oauth2.TokenSource (a private integration token is a static one, see
// StaticToken); pacing comes from a per-location Budget.
package ghl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultBaseURL is HighLevel's API host; v2 paths have no prefix.
const DefaultBaseURL = "https://services.leadconnectorhq.com"

// maxBodySize bounds how much of a response is read (a contact search page of
// 500 rich contacts stays well below it).
const maxBodySize = 32 << 20

// Options configures a Client.
type Options struct {
	// BaseURL is the API root, default DefaultBaseURL (a sandbox in tests).
	BaseURL string
	// HTTPClient sends requests; default a client with a 60 s timeout. Its
	// transport must not add its own Authorization header.
	HTTPClient *http.Client
	// TokenSource yields the bearer token: a location token for everything
	// but the agency operations (LocationToken, InstalledLocations), which
	// need an agency token. Not needed for ExchangeCode and RefreshToken.
	TokenSource oauth2.TokenSource
	// LocationID is the sub-account the client works in; it fills the
	// locationId parameters and bodies HighLevel requires.
	LocationID string
	// Logger receives debug lines per request (never tokens); default discards.
	Logger *slog.Logger
	// Clock returns the current time; default time.Now.
	Clock func() time.Time
	// Budget paces requests; share one per location across clients. Default:
	// a new Budget with HighLevel's limits.
	Budget *Budget
	// UserAgent is sent as User-Agent; default "fieldbridge".
	UserAgent string
}

// Client calls the HighLevel API for one location. Safe for concurrent use.
type Client struct {
	baseURL    string
	http       *http.Client
	tokens     oauth2.TokenSource
	locationID string
	logger     *slog.Logger
	clock      func() time.Time
	budget     *Budget
	userAgent  string
	ops        map[string]Operation
}

// New returns a client configured by opts.
func New(opts Options) *Client {
	c := &Client{
		baseURL:    strings.TrimRight(opts.BaseURL, "/"),
		http:       opts.HTTPClient,
		tokens:     opts.TokenSource,
		locationID: opts.LocationID,
		logger:     opts.Logger,
		clock:      opts.Clock,
		budget:     opts.Budget,
		userAgent:  opts.UserAgent,
		ops:        operationIndex(),
	}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 60 * time.Second}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	if c.budget == nil {
		c.budget = NewBudget(BudgetOptions{Clock: c.clock})
	}
	if c.userAgent == "" {
		c.userAgent = "fieldbridge"
	}
	return c
}

// StaticToken returns a token source for a private integration token (or any
// fixed access token).
func StaticToken(token string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})
}

// LocationID returns the location the client works in.
func (c *Client) LocationID() string { return c.locationID }

// Budget returns the client's rate budget.
func (c *Client) Budget() *Budget { return c.budget }

// RateBudget returns a snapshot of the remaining request allowance.
func (c *Client) RateBudget() BudgetStatus { return c.budget.Status() }

// request is one API call.
type request struct {
	op     string
	params []string   // path parameter values, in template order
	query  url.Values // query string
	body   any        // JSON body, or nil
	form   url.Values // form body (OAuth endpoints), or nil
	out    any        // decoded from a 2xx body, or nil
	token  oauth2.TokenSource
}

// ErrMissingLocation is returned by calls that need a location id when the
// client was made without one.
var ErrMissingLocation = errors.New("ghl: client has no location id")

func (c *Client) location() (string, error) {
	if c.locationID == "" {
		return "", ErrMissingLocation
	}
	return c.locationID, nil
}

// do sends r and decodes the answer into r.out.
func (c *Client) do(ctx context.Context, r request) error {
	op, ok := c.ops[r.op]
	if !ok {
		return fmt.Errorf("ghl: unknown operation %q", r.op)
	}
	path, err := expandPath(op, r.params)
	if err != nil {
		return err
	}
	u := c.baseURL + path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}

	var body []byte
	var contentType string
	switch {
	case r.form != nil:
		body, contentType = []byte(r.form.Encode()), "application/x-www-form-urlencoded"
	case r.body != nil:
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("ghl: %s %s: encode body: %w", op.Method, path, err)
		}
		contentType = "application/json"
	}

	var token string
	if op.Token != TokenNone {
		src := r.token
		if src == nil {
			src = c.tokens
		}
		if src == nil {
			return fmt.Errorf("ghl: %s %s: no token source configured", op.Method, path)
		}
		tok, err := src.Token()
		if err != nil {
			return fmt.Errorf("ghl: %s %s: get token: %w", op.Method, path, err)
		}
		token = tok.AccessToken
	}
	// HighLevel counts per app and resource: only location calls spend the
	// location's budget; agency calls count against the company instead.
	if op.Token == TokenLocation {
		if err := c.budget.Wait(ctx); err != nil {
			return fmt.Errorf("ghl: %s %s: wait for rate budget: %w", op.Method, path, err)
		}
	}

	req, err := http.NewRequestWithContext(ctx, op.Method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("ghl: %s %s: %w", op.Method, path, err)
	}
	if body == nil {
		req.Body, req.ContentLength = nil, 0
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if op.Version != "" {
		req.Header.Set("Version", op.Version)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	start := c.clock()
	resp, err := c.http.Do(req)
	if err != nil {
		// *url.Error repeats the URL, which holds no secret (tokens travel
		// in headers and form bodies only).
		return fmt.Errorf("ghl: %s %s: %w", op.Method, path, err)
	}
	defer resp.Body.Close()
	buf := bodyBufs.Get().(*bytes.Buffer)
	buf.Reset()
	_, readErr := buf.ReadFrom(io.LimitReader(resp.Body, maxBodySize))
	raw := buf.Bytes()
	if op.Token == TokenLocation {
		c.budget.Observe(resp.Header, resp.StatusCode)
	}
	c.logger.DebugContext(ctx, "ghl request", slog.String("op", op.ID), slog.String("method", op.Method),
		slog.String("path", path), slog.Int("status", resp.StatusCode), slog.Duration("elapsed", c.clock().Sub(start)))

	if resp.StatusCode >= 400 {
		// The token endpoint carries its secrets in the form.
		return newAPIError(op, path, resp.StatusCode, resp.Header, raw, c.clock(), token,
			r.form.Get("client_secret"), r.form.Get("refresh_token"), r.form.Get("code"))
	}
	if readErr != nil {
		return fmt.Errorf("ghl: %s %s: read response: %w", op.Method, path, readErr)
	}
	if r.out == nil || len(bytes.TrimSpace(raw)) == 0 {
		recycleBody(buf)
		return nil
	}
	if err := decodeJSON(raw, r.out); err != nil {
		return fmt.Errorf("ghl: %s %s: %d: decode response %q: %w", op.Method, path, resp.StatusCode, snippet(raw), err)
	}
	recycleBody(buf)
	return nil
}

// bodyBufs holds response buffers between calls. A buffer goes back only
// after a successful decode, which keeps nothing of it (strings are
// copied out); an error may still point into it, so it is then left to
// the garbage collector.
var bodyBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody keeps one large answer (a search page) from pinning its
// buffer.
const maxPooledBody = 256 << 10

func recycleBody(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBody {
		bodyBufs.Put(b)
	}
}

// expandPath fills op.Path's {placeholders} with params, in order. An empty
// value is refused: "/contacts/{contactId}" with "" would address another
// operation ("/contacts/").
func expandPath(op Operation, params []string) (string, error) {
	var b strings.Builder
	rest := op.Path
	i := 0
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("ghl: %s: malformed path %q", op.ID, op.Path)
		}
		name := rest[open+1 : open+end]
		if i >= len(params) || params[i] == "" {
			return "", fmt.Errorf("ghl: %s %s: empty %s", op.Method, op.Path, name)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(params[i]))
		rest = rest[open+end+1:]
		i++
	}
	if i != len(params) {
		return "", fmt.Errorf("ghl: %s %s: %d path values for %d parameters", op.Method, op.Path, len(params), i)
	}
	return b.String(), nil
}
