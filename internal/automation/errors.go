package automation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// Class says what an error during a run means for the records around it.
type Class int

// Error classes, from the least to the most disruptive.
const (
	// ClassRecord: the record cannot be handled (a validation error, a
	// contact that is gone, a failing expression). It is written to run
	// history and the cursor moves past it; trying again will not help.
	ClassRecord Class = iota
	// ClassTransient: the same call may work later (5xx, 429, a timeout,
	// a network failure, an import still pending). The page stops and is
	// read again on the retry.
	ClassTransient
	// ClassConnection: a connection of the flow cannot be used (unknown,
	// unauthorised, lacking a scope, needing a new authorisation). Every
	// record would fail the same way, so the page stops until it is fixed.
	ClassConnection
)

// String names the class.
func (c Class) String() string {
	switch c {
	case ClassTransient:
		return "transient"
	case ClassConnection:
		return "connection"
	}
	return "record"
}

// ConnectionError is a connection the flow names that did not yield a
// client (unknown, of the wrong app, needing reauthorisation).
type ConnectionError struct {
	Connection string
	Err        error
}

// Error names the connection.
func (e *ConnectionError) Error() string {
	return fmt.Sprintf("automation: connection %q: %v", e.Connection, e.Err)
}

// Unwrap returns the cause.
func (e *ConnectionError) Unwrap() error { return e.Err }

// Classify sorts an error of a run (see Class).
func Classify(err error) Class {
	var ce *ConnectionError
	switch {
	case err == nil:
		return ClassRecord
	case errors.As(err, &ce):
		// A connection that exists but whose API is unreachable is a
		// transient problem, not a configuration one.
		if isTransient(ce.Err) {
			return ClassTransient
		}
		return ClassConnection
	case isTransient(err):
		return ClassTransient
	case errors.Is(err, ghl.ErrUnauthorized), errors.Is(err, ghl.ErrMissingScope), errors.Is(err, ghl.ErrWrongLocation),
		errors.Is(err, ghl.ErrInvalidGrant), errors.Is(err, repsly.ErrUnauthorized), errors.Is(err, catalog.ErrMissingScope):
		return ClassConnection
	}
	return ClassRecord
}

func isTransient(err error) bool {
	var ne net.Error
	var ue *url.Error
	switch {
	case errors.Is(err, ghl.ErrServer), errors.Is(err, ghl.ErrRateLimited):
		return true
	case repsly.Retryable(err), errors.Is(err, repsly.ErrImportTimeout):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	case errors.As(err, &ue):
		// The request did not get an HTTP answer: the API or the network
		// is down, which passes.
		return true
	}
	return false
}

// statusOf returns the HTTP status an API error carries, or 0.
func statusOf(err error) int {
	var ge *ghl.APIError
	if errors.As(err, &ge) {
		return ge.StatusCode
	}
	var re *repsly.Error
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}
