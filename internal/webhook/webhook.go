// Package webhook receives HighLevel's webhooks. A delivery is answered 2xx
// only after its raw body sits in the inbox and its job is enqueued, in one
// transaction (DESIGN invariant 1): HighLevel does not retry 5xx or
// timeouts, so anything accepted must already be durable.
package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// MaxBody is the largest delivery accepted; HighLevel's contact payloads
// are a few KB.
const MaxBody = 1 << 20

// Enqueuer inserts the processing job of an inbox row inside tx.
type Enqueuer func(ctx context.Context, tx store.Tx, inboxID int64) error

// Locations tells whether a HighLevel location is connected.
type Locations func(ctx context.Context, locationID string) (bool, error)

// Handler receives POST /hooks/ghl.
type Handler struct {
	Verifier  *ghl.WebhookVerifier
	Store     *store.Store
	Enqueue   Enqueuer
	Locations Locations
	Logger    *slog.Logger
	Now       func() time.Time
	// Received counts deliveries by outcome (accepted, duplicate, refused
	// reasons); may be nil.
	Received *prometheus.CounterVec
}

// NewReceivedCounter returns the counter Handler.Received expects,
// registered on reg.
func NewReceivedCounter(reg prometheus.Registerer) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fieldbridge_webhooks_received_total",
		Help: "HighLevel webhook deliveries by outcome.",
	}, []string{"outcome"})
	reg.MustRegister(c)
	return c
}

func (h *Handler) count(outcome string) {
	if h.Received != nil {
		h.Received.WithLabelValues(outcome).Inc()
	}
}

// refuse answers an error status, logs the cause and counts it; nothing
// is stored.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, outcome, msg string, err error) {
	h.count(outcome)
	h.Logger.WarnContext(r.Context(), "webhook refused", slog.String("outcome", outcome), slog.Any("error", err))
	http.Error(w, msg, status)
}

// ServeHTTP verifies, stores and enqueues one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", "webhook body over 1 MiB", err)
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "unreadable", "cannot read the body", err)
		return
	}
	d, err := h.Verifier.Verify(r.Context(), r.Header, body)
	switch {
	case errors.Is(err, ghl.ErrMissingSignature), errors.Is(err, ghl.ErrBadSignature):
		h.refuse(w, r, http.StatusUnauthorized, "bad_signature", "signature missing or invalid", err)
		return
	case errors.Is(err, ghl.ErrStaleDelivery):
		h.refuse(w, r, http.StatusUnauthorized, "stale", "timestamp outside the accepted window", err)
		return
	case errors.Is(err, ghl.ErrMalformedEvent):
		h.refuse(w, r, http.StatusBadRequest, "malformed", "malformed JSON event", err)
		return
	case err != nil:
		h.refuse(w, r, http.StatusBadRequest, "invalid", "invalid delivery", err)
		return
	}
	if !utf8.Valid(body) {
		// JSON is UTF-8 (RFC 8259) and PostgreSQL's TEXT refuses anything
		// else while SQLite stores it: refuse on both, the same way.
		h.refuse(w, r, http.StatusBadRequest, "malformed", "body is not UTF-8", nil)
		return
	}
	if d.WebhookID == "" {
		h.refuse(w, r, http.StatusBadRequest, "no_id", "delivery has no webhookId", nil)
		return
	}
	known, err := h.Locations(r.Context(), d.LocationID)
	if err != nil {
		// Not stored: answer 503 so the failure is visible in HighLevel's
		// logs; the reconcile poll catches the change later.
		h.refuse(w, r, http.StatusServiceUnavailable, "store_error", "temporarily unavailable", err)
		return
	}
	if !known {
		h.refuse(w, r, http.StatusNotFound, "unknown_location", "no connection for this location", nil)
		return
	}
	err = h.Store.InTx(r.Context(), func(tx store.Tx) error {
		id, err := h.Store.InsertInboxEvent(r.Context(), tx, store.InboxEvent{Source: "ghl", LocationID: d.LocationID,
			EventID: d.WebhookID, EventType: d.Type, Body: string(body), ReceivedAt: h.Now()})
		if err != nil {
			return err
		}
		return h.Enqueue(r.Context(), tx, id)
	})
	switch {
	case errors.Is(err, store.ErrDuplicate):
		h.count("duplicate")
		w.WriteHeader(http.StatusOK)
		return
	case err != nil:
		h.refuse(w, r, http.StatusServiceUnavailable, "store_error", "temporarily unavailable", err)
		return
	}
	h.count("accepted")
	w.WriteHeader(http.StatusOK)
}
