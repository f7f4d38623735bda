package ghl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors to branch on with errors.Is. Every error returned for an
// HTTP error status is an *APIError (possibly inside a *DuplicateContactError
// or *RateLimitError) that matches one of these.
var (
	// ErrNotFound: the record does not exist. HighLevel answers an unknown id
	// with 400 "Contact with id … not found" rather than 404; both match.
	ErrNotFound = errors.New("ghl: not found")
	// ErrBadRequest: any other 400 (or unclassified 4xx).
	ErrBadRequest = errors.New("ghl: bad request")
	// ErrValidation: 422, the request failed HighLevel's input validation
	// (unknown or malformed properties); APIError.Messages lists why.
	ErrValidation = errors.New("ghl: validation failed")
	// ErrUnauthorized: 401, the token is missing, expired, revoked or invalid.
	ErrUnauthorized = errors.New("ghl: unauthorized")
	// ErrMissingScope: 401 "The token is not authorized for this scope.": the
	// app or private integration lacks the operation's scope; refreshing the
	// token does not help.
	ErrMissingScope = errors.New("ghl: token lacks the required scope")
	// ErrForbidden: 403. Matches ErrWrongLocation too.
	ErrForbidden = errors.New("ghl: forbidden")
	// ErrWrongLocation: 403 "The token does not have access to this location."
	ErrWrongLocation = errors.New("ghl: token has no access to this location")
	// ErrDuplicateContact: 400 "This location does not allow duplicated
	// contacts."; the *DuplicateContactError names the existing contact.
	ErrDuplicateContact = errors.New("ghl: duplicate contact")
	// ErrRateLimited: 429; the *RateLimitError says how long to wait.
	ErrRateLimited = errors.New("ghl: rate limited")
	// ErrServer: 5xx. HighLevel may or may not have applied the change.
	ErrServer = errors.New("ghl: server error")
	// ErrInvalidGrant: the OAuth refresh token or code is invalid, expired or
	// already used; the connection must be authorized again.
	ErrInvalidGrant = errors.New("ghl: invalid grant")
)

type errorKind int

const (
	kindOther errorKind = iota
	kindBadRequest
	kindNotFound
	kindValidation
	kindUnauthorized
	kindMissingScope
	kindForbidden
	kindWrongLocation
	kindDuplicate
	kindRateLimited
	kindServer
	kindInvalidGrant
)

// APIError is an HTTP error answer from HighLevel. Its text names the
// operation's method and path and the server's message, never the token.
type APIError struct {
	// Operation is the operation id, e.g. "get-contact".
	Operation string
	// Method and Path are the request's method and path (without query).
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is the server's message; several 422 messages are joined by "; ".
	Message string
	// Messages holds each message of a 422 answer (message is an array there).
	Messages []string
	// Code is the `error` field: "Unauthorized", "Unprocessable Entity", an
	// OAuth error code like "invalid_grant", or an AIP error code.
	Code string
	// TraceID is HighLevel's traceId, when the body carries one.
	TraceID string
	// Snippet holds the start of a body that is not a JSON error object
	// (an HTML error page, a truncated answer), for diagnosis.
	Snippet string

	kind errorKind
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ghl: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.Snippet != "":
		fmt.Fprintf(&b, ": unexpected body %q", e.Snippet)
	case e.Code != "":
		b.WriteString(": ")
		b.WriteString(e.Code)
	default:
		b.WriteString(": empty body")
	}
	return b.String()
}

// Is reports whether the error is of the kind target names.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.kind == kindNotFound
	case ErrBadRequest:
		return e.kind == kindBadRequest
	case ErrValidation:
		return e.kind == kindValidation
	case ErrUnauthorized:
		return e.kind == kindUnauthorized
	case ErrMissingScope:
		return e.kind == kindMissingScope
	case ErrForbidden:
		return e.kind == kindForbidden || e.kind == kindWrongLocation
	case ErrWrongLocation:
		return e.kind == kindWrongLocation
	case ErrDuplicateContact:
		return e.kind == kindDuplicate
	case ErrRateLimited:
		return e.kind == kindRateLimited
	case ErrServer:
		return e.kind == kindServer
	case ErrInvalidGrant:
		return e.kind == kindInvalidGrant
	}
	return false
}

// Retryable reports whether the same request may succeed later unchanged:
// rate limits and server errors.
func (e *APIError) Retryable() bool {
	return e.kind == kindRateLimited || e.kind == kindServer
}

// DuplicateContactError is returned when creating a contact the location's
// duplicate rules reject; ContactID is the existing contact to link or update.
type DuplicateContactError struct {
	*APIError
	// ContactID is the id of the contact that already holds the email/phone.
	ContactID string
	// ContactName is that contact's name.
	ContactName string
	// MatchingField is the field that matched, e.g. "email" or "phone".
	MatchingField string
}

// Unwrap returns the underlying *APIError.
func (e *DuplicateContactError) Unwrap() error { return e.APIError }

// RateLimitError is a 429 answer with the wait the headers call for.
type RateLimitError struct {
	*APIError
	// RetryAfter is how long to wait before trying again.
	RetryAfter time.Duration
	// Daily is true when the daily allowance is used up (not just the burst).
	Daily bool
}

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// errorBody is the union of HighLevel's error shapes: NestJS
// {statusCode, message: string|[]string, error}, the duplicate-contact meta,
// OAuth {error, error_description} and the v3 AIP {error:{code, message}}.
type errorBody struct {
	StatusCode       json.RawMessage `json:"statusCode"`
	Message          json.RawMessage `json:"message"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	TraceID          string          `json:"traceId"`
	Meta             struct {
		ContactID     string `json:"contactId"`
		ContactName   string `json:"contactName"`
		MatchingField string `json:"matchingField"`
	} `json:"meta"`
}

// snippetLen bounds the body excerpt kept in an error.
const snippetLen = 160

// newAPIError decodes an error answer. It never panics, whatever body holds.
// The secrets of the request (bearer token, client secret, refresh token) are
// scrubbed from the body first, in case a proxy or error page echoes them.
func newAPIError(op Operation, path string, status int, header http.Header, body []byte, now time.Time, secrets ...string) error {
	e := &APIError{Operation: op.ID, Method: op.Method, Path: path, StatusCode: status}
	for _, s := range secrets {
		if s != "" {
			body = bytes.ReplaceAll(body, []byte(s), []byte("REDACTED"))
		}
	}
	var eb errorBody
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		e.Messages = messages(eb.Message)
		e.Message = strings.Join(e.Messages, "; ")
		e.Code, e.TraceID = errorCode(eb.Error, &e.Message), eb.TraceID
		if e.Message == "" {
			e.Message = eb.ErrorDescription
		}
	} else if len(trimmed) > 0 {
		e.Snippet = snippet(trimmed)
	}
	// JSON escapes (\u0074ok…) can spell a secret the byte scrub missed.
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		e.Message = strings.ReplaceAll(e.Message, sec, "REDACTED")
		e.Code = strings.ReplaceAll(e.Code, sec, "REDACTED")
		e.TraceID = strings.ReplaceAll(e.TraceID, sec, "REDACTED")
		for i := range e.Messages {
			e.Messages[i] = strings.ReplaceAll(e.Messages[i], sec, "REDACTED")
		}
	}
	e.kind = classify(op, status, e)

	switch e.kind {
	case kindDuplicate:
		return &DuplicateContactError{APIError: e, ContactID: eb.Meta.ContactID,
			ContactName: eb.Meta.ContactName, MatchingField: eb.Meta.MatchingField}
	case kindRateLimited:
		wait, daily := retryAfter(header, now)
		return &RateLimitError{APIError: e, RetryAfter: wait, Daily: daily}
	}
	return e
}

func classify(op Operation, status int, e *APIError) errorKind {
	msg := strings.ToLower(e.Message)
	if op.Token == TokenNone && (status == 400 || status == 401) &&
		(e.Code == "invalid_grant" || strings.Contains(msg, "invalid grant") || strings.Contains(msg, "invalid_grant")) {
		return kindInvalidGrant
	}
	switch {
	case status == http.StatusBadRequest:
		if strings.Contains(msg, "duplicated contact") || strings.Contains(msg, "duplicate contact") {
			return kindDuplicate
		}
		if strings.Contains(msg, "not found") {
			return kindNotFound
		}
		return kindBadRequest
	case status == http.StatusUnauthorized:
		if strings.Contains(msg, "not authorized for this scope") {
			return kindMissingScope
		}
		return kindUnauthorized
	case status == http.StatusForbidden:
		if strings.Contains(msg, "location") {
			return kindWrongLocation
		}
		return kindForbidden
	case status == http.StatusNotFound:
		return kindNotFound
	case status == http.StatusUnprocessableEntity:
		return kindValidation
	case status == http.StatusTooManyRequests:
		return kindRateLimited
	case status >= 500:
		return kindServer
	case status >= 400:
		return kindBadRequest
	}
	return kindOther
}

// messages reads `message` as a string or an array of strings.
func messages(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return []string{snippet(raw)}
}

// errorCode reads `error` as a string, or as an AIP object whose message
// fills msg when the body had none.
func errorCode(raw json.RawMessage, msg *string) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var aip struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &aip) == nil {
		if *msg == "" {
			*msg = aip.Message
		}
		return aip.Code
	}
	return ""
}

// snippet makes a short, printable, single-line excerpt of b.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > snippetLen {
		s = string([]rune(s)[:snippetLen]) + "…"
	}
	return s
}
