package repsly

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every error this package returns for a failed call wraps
// exactly one of them, so callers branch with errors.Is and read details
// with errors.As into *Error, *SkipLimitError or *ImportError.
var (
	// ErrUnauthorized means Repsly rejected the API credentials (HTTP 401 or 403).
	// The API username/password differ from the Repsly login.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrValidation means Repsly rejected a request body (HTTP 400), usually an
	// import with a missing key; Error.Message holds Repsly's reason.
	ErrValidation = errors.New("validation failed")
	// ErrBadCursor means Repsly answered HTTP 400 to an export whose path
	// carries a cursor. Third-party clients report that the service does this
	// for some cursor values; the caller decides whether to skip ahead.
	ErrBadCursor = errors.New("cursor rejected")
	// ErrNotFound means HTTP 404: an unknown path, client code or import job.
	ErrNotFound = errors.New("not found")
	// ErrRateLimited means HTTP 429; Error.RetryAfter holds the wait when the
	// response said so.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer means HTTP 5xx.
	ErrServer = errors.New("server error")
	// ErrUnexpectedStatus covers any other non-2xx status.
	ErrUnexpectedStatus = errors.New("unexpected status")
	// ErrUnexpectedBody means a 2xx response whose body could not be used:
	// empty, HTML, truncated or otherwise malformed JSON, or a missing array.
	ErrUnexpectedBody = errors.New("unexpected response body")
	// ErrSkipLimit is returned, without calling Repsly, when a visit
	// realizations cursor would need a skip above MaxSkip.
	ErrSkipLimit = errors.New("skip above limit")
	// ErrCursorKind means a cursor of one kind was passed to an export that
	// pages by another kind (for example an ID cursor to ExportClients).
	ErrCursorKind = errors.New("cursor of wrong kind")
	// ErrCursorStalled means Repsly returned rows but a next cursor that does
	// not move past the one sent; following it would loop forever.
	ErrCursorStalled = errors.New("cursor did not advance")
	// ErrImportFailed means an import job ended with status Failed, or Repsly
	// refused an import in its response.
	ErrImportFailed = errors.New("import failed")
	// ErrImportTimeout means an import job was still pending when the wait
	// ran out; the job id in the error lets a later call resume waiting.
	ErrImportTimeout = errors.New("import still pending")
)

// Error describes a failed HTTP exchange with Repsly. It never contains the
// credentials.
type Error struct {
	// Method and Path name the call; Path is relative to the base URL,
	// for example "export/clients/0".
	Method string
	Path   string
	// StatusCode is the HTTP status; a 2xx code with ErrUnexpectedBody
	// means the body was unusable.
	StatusCode int
	// Code is Repsly's numeric "Code" from a {"Code","Message"} body, if any.
	Code int
	// Message is Repsly's message, or the text of an HTML error page,
	// shortened to a few hundred characters.
	Message string
	// RetryAfter is the wait a 429 or 503 response asked for (zero if none).
	RetryAfter time.Duration
	// Kind is one of the package's sentinel errors.
	Kind error
	// Err is the underlying cause (for example a JSON syntax error), if any.
	Err error
}

// Error formats as "repsly: GET export/clients/0: 401: unauthorized: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("repsly: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("error")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap exposes both the sentinel kind and the underlying cause.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// SkipLimitError reports a visit realizations skip above what Repsly accepts.
type SkipLimitError struct {
	Skip int // the skip that would have been sent
	Max  int // MaxSkip
}

// Error names the skip and the limit.
func (e *SkipLimitError) Error() string {
	return fmt.Sprintf("repsly: visit realizations: skip %d above limit %d", e.Skip, e.Max)
}

// Unwrap makes errors.Is(err, ErrSkipLimit) true.
func (e *SkipLimitError) Unwrap() error { return ErrSkipLimit }

// ImportError reports an import that Repsly refused or whose job ended
// Failed. Result carries everything known about the job.
type ImportError struct {
	Endpoint string // endpoint name, e.g. "import_clients"
	JobID    int64  // zero when Repsly refused the import before creating a job
	Reasons  []string
}

// Error names the endpoint, the job and the reasons.
func (e *ImportError) Error() string {
	msg := "repsly: " + e.Endpoint
	if e.JobID != 0 {
		msg += " job " + strconv.FormatInt(e.JobID, 10)
	}
	msg += ": import failed"
	if len(e.Reasons) > 0 {
		msg += ": " + strings.Join(e.Reasons, "; ")
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrImportFailed) true.
func (e *ImportError) Unwrap() error { return ErrImportFailed }

// Retryable reports whether err is worth retrying later unchanged: rate
// limits and server errors. Network errors are left to the caller, which
// knows whether the request was idempotent.
func Retryable(err error) bool {
	return errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer)
}

// RetryAfter returns the wait Repsly asked for in a 429/503 response.
func RetryAfter(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	return 0, false
}

// kindForStatus maps an HTTP status to a sentinel. A 400 on a request whose
// path carries a cursor is reported as ErrBadCursor rather than
// ErrValidation, because no body was sent that could have been invalid.
func kindForStatus(status int, cursorInPath bool) error {
	switch {
	case status == 401 || status == 403:
		return ErrUnauthorized
	case status == 400 && cursorInPath:
		return ErrBadCursor
	case status == 400 || status == 422:
		return ErrValidation
	case status == 404:
		return ErrNotFound
	case status == 429:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	default:
		return ErrUnexpectedStatus
	}
}
