package ghlsandbox

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// maxHistory bounds the kept events and deliveries of a long-running sandbox.
const maxHistory = 10_000

// maxAttempts: HighLevel retries a delivery answered 429 up to 6 times;
// any other answer, 5xx and timeouts included, is final (reference §10).
const maxAttempts = 7

// Event is a webhook event the sandbox emitted.
type Event struct {
	WebhookID  string
	Type       string // ContactCreate, TaskComplete, AppointmentUpdate, ...
	LocationID string
	Timestamp  time.Time
	// Body is the JSON payload, byte for byte as delivered and signed.
	Body []byte
}

// Delivery is one attempt to deliver an event to one URL.
type Delivery struct {
	WebhookID string
	Type      string
	URL       string
	Attempt   int // 1 for the first try
	Status    int // 0 when no response came
	Err       string
	Dropped   bool // injected fault: never sent
	Duplicate bool // injected fault: the second copy of a delivery
}

type hookJob struct {
	ev        Event
	url       string
	attempt   int
	duplicate bool
	dropped   bool // recorded in order, never sent
}

// webhooker delivers events from an in-memory outbox, one at a time in
// emission order, on its own goroutine.
type webhooker struct {
	log        *slog.Logger
	client     *http.Client
	key        ed25519.PrivateKey
	rsaKey     *rsa.PrivateKey
	retryDelay time.Duration
	ctx        context.Context
	cancel     context.CancelFunc
	wg         sync.WaitGroup

	mu         sync.Mutex
	urls       []string
	queue      []hookJob
	pending    int           // queued, in flight or waiting to retry
	idle       chan struct{} // closed while pending == 0
	wake       chan struct{}
	deliveries history[Delivery]
	timers     map[*time.Timer]bool
	closed     bool
	// dropped and duplicated count the faults decided when events were
	// emitted, delivered yet or not.
	dropped, duplicated int
}

func newWebhooker(s *Server, opts Options) *webhooker {
	h := &webhooker{
		log:        s.log,
		client:     opts.WebhookClient,
		key:        opts.WebhookKey,
		rsaKey:     opts.WebhookRSAKey,
		retryDelay: opts.WebhookRetryDelay,
		urls:       slices.Clone(opts.WebhookURLs),
		idle:       make(chan struct{}),
		wake:       make(chan struct{}, 1),
		timers:     map[*time.Timer]bool{},
	}
	close(h.idle)
	if h.client == nil {
		timeout := opts.WebhookTimeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		h.client = &http.Client{Timeout: timeout}
	}
	if h.retryDelay <= 0 {
		h.retryDelay = 10 * time.Minute
	}
	if h.key == nil {
		// A fixed key per seed: sandbox signatures are reproducible.
		seed := sha256.Sum256([]byte("ghlsandbox webhook key " + strconv.FormatUint(opts.Seed, 10)))
		h.key = ed25519.NewKeyFromSeed(seed[:])
	}
	if opts.LegacyRSASignature && h.rsaKey == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic("ghlsandbox: generate RSA key: " + err.Error())
		}
		h.rsaKey = k
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.wg.Add(1)
	go h.run()
	return h
}

// emit records an event and queues its deliveries. The payload gets the
// fields every signed delivery carries: type, locationId, webhookId and
// timestamp. Callers hold s.mu, so events queue in the order of changes.
func (s *Server) emit(typ, locationID string, payload obj) {
	s.emitWith(typ, locationID, func(webhookID, timestamp string) ([]byte, error) {
		payload["type"] = typ
		payload["locationId"] = locationID
		payload["webhookId"] = webhookID
		payload["timestamp"] = timestamp
		return json.Marshal(payload)
	})
}

// emitContact emits a Contact* event about ct (with its dndSettings for
// ContactDndUpdate). It writes the body emit would write for contactEvent,
// without building a map: every create and update emits one, webhook URLs
// or not. Callers hold s.mu.
func (s *Server) emitContact(typ string, ct *Contact, withDND bool) {
	s.emitWith(typ, ct.LocationID, func(webhookID, timestamp string) ([]byte, error) {
		return appendContactEvent(nil, ct, typ, ct.LocationID, webhookID, timestamp, withDND)
	})
}

// emitWith records an event whose body encode writes, then queues its
// deliveries. Callers hold s.mu.
func (s *Server) emitWith(typ, locationID string, encode func(webhookID, timestamp string) ([]byte, error)) {
	if s.muted {
		return
	}
	now := s.clock()
	webhookID := newUUID(s.hookRand)
	body, err := encode(webhookID, isoMillis(now))
	if err != nil {
		s.log.Error("ghlsandbox: encode webhook", slog.String("type", typ), slog.Any("error", err))
		return
	}
	ev := Event{WebhookID: webhookID, Type: typ, LocationID: locationID, Timestamp: now, Body: body}
	s.eventLog.add(ev)
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	for _, u := range h.urls {
		drop := s.hookRand.Float64() < s.faults.WebhookDropRate
		dup := s.hookRand.Float64() < s.faults.WebhookDuplicateRate
		h.pushLocked(hookJob{ev: ev, url: u, attempt: 1, dropped: drop})
		if drop {
			h.dropped++
			continue
		}
		if dup {
			h.duplicated++
			h.pushLocked(hookJob{ev: ev, url: u, attempt: 1, duplicate: true})
		}
	}
}

// history keeps the latest maxHistory items of a log in a ring: dropping
// the oldest item by shifting the log moved all of it on every event once
// it was full.
type history[T any] struct {
	items []T
	next  int // where the next item goes once the ring is full
}

func (h *history[T]) add(v T) {
	if len(h.items) < maxHistory {
		h.items = append(h.items, v)
		return
	}
	h.items[h.next] = v
	h.next = (h.next + 1) % maxHistory
}

// list returns a copy of the items, oldest first.
func (h *history[T]) list() []T {
	out := make([]T, 0, len(h.items))
	out = append(out, h.items[h.next:]...)
	return append(out, h.items[:h.next]...)
}

func (h *webhooker) pushLocked(j hookJob) {
	if h.pending == 0 {
		h.idle = make(chan struct{})
	}
	h.pending++
	h.enqueueLocked(j)
}

// enqueueLocked queues a job already counted in pending.
func (h *webhooker) enqueueLocked(j hookJob) {
	h.queue = append(h.queue, j)
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// doneLocked marks one pending delivery finished.
func (h *webhooker) doneLocked() {
	h.pending--
	if h.pending == 0 {
		close(h.idle)
	}
}

func (h *webhooker) run() {
	defer h.wg.Done()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-h.wake:
		}
		for {
			h.mu.Lock()
			if h.closed || len(h.queue) == 0 {
				h.mu.Unlock()
				break
			}
			j := h.queue[0]
			h.queue = h.queue[1:]
			h.mu.Unlock()
			h.deliver(j)
		}
	}
}

// deliver POSTs one event. Only a 429 is retried, after retryDelay.
func (h *webhooker) deliver(j hookJob) {
	d := Delivery{WebhookID: j.ev.WebhookID, Type: j.ev.Type, URL: j.url, Attempt: j.attempt, Duplicate: j.duplicate, Dropped: j.dropped}
	if j.dropped {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.deliveries.add(d)
		if !h.closed {
			h.doneLocked()
		}
		return
	}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, j.url, bytes.NewReader(j.ev.Body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "ghlsandbox-webhooks")
		req.Header.Set("x-ghl-signature", base64.StdEncoding.EncodeToString(ed25519.Sign(h.key, j.ev.Body)))
		if h.rsaKey != nil {
			sum := sha256.Sum256(j.ev.Body)
			if sig, err := rsa.SignPKCS1v15(nil, h.rsaKey, crypto.SHA256, sum[:]); err == nil {
				req.Header.Set("x-wh-signature", base64.StdEncoding.EncodeToString(sig))
			}
		}
		var resp *http.Response
		resp, err = h.client.Do(req)
		if err == nil {
			d.Status = resp.StatusCode
			_ = resp.Body.Close()
		}
	}
	if err != nil {
		d.Err = err.Error()
	}
	host := ""
	if u, perr := url.Parse(j.url); perr == nil {
		host = u.Host
	}
	h.log.Debug("ghlsandbox: webhook delivery", slog.String("type", d.Type), slog.String("host", host),
		slog.Int("status", d.Status), slog.Int("attempt", d.Attempt))

	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliveries.add(d)
	if h.closed {
		return
	}
	if d.Status == http.StatusTooManyRequests && j.attempt < maxAttempts {
		j.attempt++
		var t *time.Timer
		t = time.AfterFunc(h.retryDelay, func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.timers, t)
			if h.closed {
				return
			}
			h.enqueueLocked(j) // still counted in pending

		})
		h.timers[t] = true
		return
	}
	h.doneLocked()
}

func (h *webhooker) close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	for t := range h.timers {
		t.Stop()
	}
	h.queue = nil
	if h.pending > 0 {
		h.pending = 0
		close(h.idle)
	}
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// Flush blocks until every queued webhook delivery has been attempted (and
// every 429 retry made), or ctx ends. Tests call it instead of sleeping.
func (s *Server) Flush(ctx context.Context) error {
	h := s.hooks
	h.mu.Lock()
	idle := h.idle
	h.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetWebhookURLs replaces the URLs that receive events.
func (s *Server) SetWebhookURLs(urls ...string) {
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	h.urls = slices.Clone(urls)
}

// Events returns the events emitted so far (the latest 10,000), whether or
// not they were delivered.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eventLog.list()
}

// Deliveries returns the delivery attempts made so far (the latest 10,000).
func (s *Server) Deliveries() []Delivery {
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.deliveries.list()
}

// WebhookFaults reports how many deliveries the fault injection dropped
// and duplicated so far, counted when the events were emitted (Deliveries
// lists a delivery only once it was attempted).
func (s *Server) WebhookFaults() (dropped, duplicated int) {
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dropped, h.duplicated
}

// WebhookPublicKey returns the Ed25519 key that verifies x-ghl-signature.
func (s *Server) WebhookPublicKey() ed25519.PublicKey {
	return s.hooks.key.Public().(ed25519.PublicKey)
}

// WebhookPublicKeyPEM returns WebhookPublicKey as a PEM "PUBLIC KEY"
// (SPKI), the form HighLevel publishes its key in.
func (s *Server) WebhookPublicKeyPEM() []byte {
	return publicPEM(s.WebhookPublicKey())
}

// WebhookRSAPublicKeyPEM returns the key that verifies x-wh-signature, or
// nil when LegacyRSASignature is off.
func (s *Server) WebhookRSAPublicKeyPEM() []byte {
	if s.hooks.rsaKey == nil {
		return nil
	}
	return publicPEM(&s.hooks.rsaKey.PublicKey)
}

func publicPEM(pub any) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func (h *webhooker) servePublicKey(w http.ResponseWriter, legacy bool) {
	var pemBytes []byte
	switch {
	case !legacy:
		pemBytes = publicPEM(h.key.Public())
	case h.rsaKey != nil:
		pemBytes = publicPEM(&h.rsaKey.PublicKey)
	default:
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(pemBytes)
}
