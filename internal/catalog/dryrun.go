package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// Target is where a connection points, without its secrets. Dry runs build
// clients for it whose requests are recorded instead of sent.
type Target struct {
	BaseURL string
	// LocationID is the HighLevel location.
	LocationID string
	// Username is the Repsly API user (shown, as it is not secret; the
	// password is never needed).
	Username string
}

// TargetResolver is implemented by Clients that can describe a connection
// for dry runs.
type TargetResolver interface {
	Target(ctx context.Context, connection string) (Target, error)
}

// DryRun is what an operation would send.
type DryRun struct {
	Operation string `json:"operation"`
	// Request is the first request the operation would send.
	Request RecordedRequest `json:"request"`
	// Note explains what is not shown (the requests that depend on this
	// one's answer).
	Note string `json:"note,omitempty"`
}

// RecordedRequest is an HTTP request as a dry run captured it, with the
// credentials replaced by REDACTED.
type RecordedRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	// Body is the JSON body, or a JSON string holding a non-JSON body.
	Body json.RawMessage `json:"body,omitempty"`
}

// errDryRun stops an executor at its first request.
var errDryRun = errors.New("catalog: dry run: request recorded, not sent")

// recorder is an http.RoundTripper that records the first request and
// sends nothing.
type recorder struct {
	mu  sync.Mutex
	req *RecordedRequest
}

// RoundTrip records req and fails it, so the client stops there.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := RecordedRequest{Method: req.Method, URL: req.URL.String(), Headers: map[string]string{}}
	for name, vals := range req.Header {
		v := strings.Join(vals, ", ")
		if strings.EqualFold(name, "Authorization") {
			// Keep the scheme, never the credential.
			scheme, _, _ := strings.Cut(v, " ")
			v = scheme + " REDACTED"
		}
		rec.Headers[name] = v
	}
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(b) > 0 {
			if json.Valid(b) {
				rec.Body = b
			} else {
				rec.Body, _ = json.Marshal(string(b))
			}
		}
	}
	r.mu.Lock()
	if r.req == nil {
		r.req = &rec
	}
	r.mu.Unlock()
	return nil, errDryRun
}

// DryRun validates input and checks scopes like Run (or Poll, for a poll
// trigger, from the start), then runs the operation against clients that
// record its first request instead of sending it. Nothing reaches the API.
// Clients must implement TargetResolver.
func (e *Entry) DryRun(ctx context.Context, clients Clients, connection string, input json.RawMessage) (*DryRun, error) {
	if e.run == nil && e.poll == nil {
		return nil, fmt.Errorf("%w: %s is a webhook trigger: it sends nothing", ErrWrongKind, e.ID)
	}
	if e.run != nil {
		var err error
		if input, err = e.Validate(input); err != nil {
			return nil, err
		}
	}
	// Resolving the real clients checks that the connection exists and has
	// the scopes; it sends nothing.
	if _, err := e.clients(ctx, clients, connection); err != nil {
		return nil, err
	}
	res, ok := clients.(TargetResolver)
	if !ok {
		return nil, fmt.Errorf("catalog: %s: these connections cannot be described for a dry run", e.ID)
	}
	tgt, err := res.Target(ctx, connection)
	if err != nil {
		return nil, err
	}
	rec := &recorder{}
	hc := &http.Client{Transport: rec}
	x := &exec{now: e.now}
	switch e.App {
	case AppGHL:
		x.ghl = ghl.New(ghl.Options{BaseURL: tgt.BaseURL, HTTPClient: hc, TokenSource: ghl.StaticToken("REDACTED"),
			LocationID: tgt.LocationID, Clock: e.now})
	case AppRepsly:
		x.repsly = repsly.New(repsly.Options{BaseURL: tgt.BaseURL, HTTPClient: hc, Username: tgt.Username, Password: "REDACTED",
			Clock: e.now, Sleep: func(context.Context, time.Duration) error { return errDryRun }})
	}
	if e.run != nil {
		_, err = e.run(ctx, x, input)
	} else {
		_, _, _, err = e.poll(ctx, x, "")
	}
	rec.mu.Lock()
	req := rec.req
	rec.mu.Unlock()
	if req == nil {
		if err == nil {
			err = errors.New("it would send no request")
		}
		return nil, fmt.Errorf("%s: %w", e.ID, err)
	}
	out := &DryRun{Operation: e.ID, Request: *req}
	if len(e.Operations) > 1 {
		out.Note = fmt.Sprintf("this is the first of up to %d kinds of request (%s); the later ones depend on its answer",
			len(e.Operations), strings.Join(e.Operations, ", "))
	}
	return out, nil
}

// CallResult is the outcome of Call: Output for actions and webhook
// triggers, Poll for poll triggers, DryRun for dry runs.
type CallResult struct {
	Output json.RawMessage `json:"output,omitempty"`
	Poll   *PollResult     `json:"poll,omitempty"`
	DryRun *DryRun         `json:"dry_run,omitempty"`
}

// PollResult is one poll of a trigger.
type PollResult struct {
	Records    []json.RawMessage `json:"records"`
	NextCursor string            `json:"next_cursor"`
	More       bool              `json:"more"`
}

// Call runs any entry as a test call: an action with input, a poll trigger
// from the cursor in input ({"cursor": "..."}, default the start), or a
// webhook trigger on the delivery body given as input. With dryRun the
// request is recorded and shown instead of sent.
func (c *Catalog) Call(ctx context.Context, clients Clients, id, connection string, input json.RawMessage, dryRun bool) (*CallResult, error) {
	e, err := c.Get(id)
	if err != nil {
		return nil, err
	}
	switch {
	case e.decode != nil:
		out, err := e.Decode(input)
		if err != nil {
			return nil, err
		}
		return &CallResult{Output: out}, nil
	case dryRun:
		d, err := e.DryRun(ctx, clients, connection, input)
		if err != nil {
			return nil, err
		}
		return &CallResult{DryRun: d}, nil
	case e.poll != nil:
		var in struct {
			Cursor string `json:"cursor"`
		}
		if len(strings.TrimSpace(string(input))) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(input)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				return nil, &InputError{Entry: e.ID, Problems: []string{"a poll trigger takes {\"cursor\": \"...\"}: " + err.Error()}}
			}
		}
		records, next, more, err := e.Poll(ctx, clients, connection, in.Cursor)
		if err != nil {
			return nil, err
		}
		return &CallResult{Poll: &PollResult{Records: records, NextCursor: next, More: more}}, nil
	}
	out, err := e.Run(ctx, clients, connection, input)
	if err != nil {
		return nil, err
	}
	return &CallResult{Output: out}, nil
}
