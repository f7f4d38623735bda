package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// errBadInput marks a request body that cannot be read.
var errBadInput = errors.New("bad request")

// maxJSONBody bounds API request bodies.
const maxJSONBody = 1 << 20

// HashAPIToken is how admin API tokens are stored: SHA-256, hex. Tokens
// are 32 random bytes, so a fast hash is enough (no guessing to slow down).
func HashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// requireToken guards the REST API with an admin API token sent as
// "Authorization: Bearer <token>".
func requireToken(st *store.Store, now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			writeError(w, http.StatusUnauthorized, errors.New("missing API token: send Authorization: Bearer <token> (create one with `fieldbridge tokens create NAME`)"))
			return
		}
		found, err := st.APITokenExists(r.Context(), HashAPIToken(tok), now())
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, errors.New("cannot check the API token: database unavailable"))
			return
		}
		if !found {
			writeError(w, http.StatusUnauthorized, errors.New("unknown API token"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// statusOf maps an error from a service to its HTTP status.
func statusOf(err error) int {
	var ms *connection.MissingScopeError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, connection.ErrInvalid), errors.Is(err, errBadInput), errors.As(err, &ms):
		return http.StatusBadRequest
	case errors.Is(err, connection.ErrNeedsReauth):
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// fail writes err with its status; server errors are logged and answered
// with a generic message naming the failing step only.
func fail(logger *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	st := statusOf(err)
	if st == http.StatusInternalServerError {
		logger.ErrorContext(r.Context(), "api request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	writeError(w, st, err)
}

// decodeJSON reads a JSON object into v, refusing unknown fields,
// trailing data and bodies over maxJSONBody, with an error naming the cause.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSONBody+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return fmt.Errorf("%w: malformed JSON at byte %d", errBadInput, syn.Offset)
		case errors.As(err, &typ):
			return fmt.Errorf("%w: field %q must be %s", errBadInput, typ.Field, typ.Type)
		case errors.Is(err, io.EOF):
			return fmt.Errorf("%w: empty body, expected a JSON object", errBadInput)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("%w: malformed JSON: the body ends early", errBadInput)
		default:
			return fmt.Errorf("%w: %s", errBadInput, strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the JSON object", errBadInput)
	}
	return nil
}
