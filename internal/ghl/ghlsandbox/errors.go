package ghlsandbox

import (
	"errors"
	"fmt"
	"net/http"
)

// Typed errors returned by the User* methods, for callers that branch on them.
var (
	// ErrNotFound is returned for an unknown location, contact, task, note
	// or appointment.
	ErrNotFound = errors.New("ghlsandbox: not found")
)

// DuplicateContactError is returned when a location that does not allow
// duplicate contacts already holds a contact with the same email or phone.
type DuplicateContactError struct {
	ContactID     string
	ContactName   string
	MatchingField string // "email" or "phone"
}

func (e *DuplicateContactError) Error() string {
	return fmt.Sprintf("ghlsandbox: duplicate contact %s (same %s)", e.ContactID, e.MatchingField)
}

// apiError is an error answered with a status code and the JSON error body
// the real service sends (common-schemas.json BadRequestDTO, UnauthorizedDTO,
// UnprocessableDTO; NestJS shapes for the rest).
type apiError struct {
	status int
	body   map[string]any
}

func (e *apiError) Error() string {
	return fmt.Sprintf("ghlsandbox: %d %v", e.status, e.body["message"])
}

// errBadRequest is 400 {statusCode, message} (BadRequestDTO).
func errBadRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, body: map[string]any{
		"statusCode": http.StatusBadRequest,
		"message":    fmt.Sprintf(format, args...),
	}}
}

// errUnauthorized is 401 {statusCode, message, error:"Unauthorized"}.
func errUnauthorized(msg string) *apiError {
	return &apiError{status: http.StatusUnauthorized, body: map[string]any{
		"statusCode": http.StatusUnauthorized,
		"message":    msg,
		"error":      "Unauthorized",
	}}
}

// errForbidden is 403 (v3 ForbiddenDTO shape).
func errForbidden(msg string) *apiError {
	return &apiError{status: http.StatusForbidden, body: map[string]any{
		"statusCode": http.StatusForbidden,
		"message":    msg,
		"error":      "Forbidden",
	}}
}

// errUnprocessable is 422 with message as an array, the class-validator
// shape (UnprocessableDTO).
func errUnprocessable(msgs ...string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, body: map[string]any{
		"statusCode": http.StatusUnprocessableEntity,
		"message":    msgs,
		"error":      "Unprocessable Entity",
	}}
}

// errRouteNotFound is NestJS's answer to a path or method it has no route for.
func errRouteNotFound(method, path string) *apiError {
	return &apiError{status: http.StatusNotFound, body: map[string]any{
		"statusCode": http.StatusNotFound,
		"message":    fmt.Sprintf("Cannot %s %s", method, path),
		"error":      "Not Found",
	}}
}

// errTooManyRequests is the 429 body. The reference leaves it undocumented;
// this is the NestJS throttler's default shape.
func errTooManyRequests() *apiError {
	return &apiError{status: http.StatusTooManyRequests, body: map[string]any{
		"statusCode": http.StatusTooManyRequests,
		"message":    "ThrottlerException: Too Many Requests",
	}}
}

func errInternal() *apiError {
	return &apiError{status: http.StatusInternalServerError, body: map[string]any{
		"statusCode": http.StatusInternalServerError,
		"message":    "Internal server error",
	}}
}

func errGatewayTimeout() *apiError {
	return &apiError{status: http.StatusGatewayTimeout, body: map[string]any{
		"statusCode": http.StatusGatewayTimeout,
		"message":    "Gateway Timeout",
	}}
}

// notFoundError is an unknown id. The API answers it with 400 and msg (the
// real service answers unknown contact ids with 400, not 404: reference §8);
// the User* methods return it, and it matches ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string        { return "ghlsandbox: " + e.msg }
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

func contactNotFound(id string) error {
	return &notFoundError{msg: fmt.Sprintf("Contact with id %s not found", id)}
}

// errNoLocationAccess: a token used on another location's data (reference §8).
func errNoLocationAccess() *apiError {
	return errForbidden("The token does not have access to this location.")
}

// errDuplicate is the documented duplicate-contact 400 with its meta.
func errDuplicate(d *DuplicateContactError) *apiError {
	return &apiError{status: http.StatusBadRequest, body: map[string]any{
		"statusCode": http.StatusBadRequest,
		"message":    "This location does not allow duplicated contacts.",
		"meta": map[string]any{
			"contactName":   d.ContactName,
			"contactId":     d.ContactID,
			"matchingField": d.MatchingField,
		},
	}}
}

// asAPIError turns any handler error into the error the API answers.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var dup *DuplicateContactError
	if errors.As(err, &dup) {
		return errDuplicate(dup)
	}
	var nf *notFoundError
	if errors.As(err, &nf) {
		return errBadRequest("%s", nf.msg)
	}
	return errInternal()
}
