package ghlsandbox

import (
	"crypto/ed25519"
	"crypto/rsa"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Options configures a Server. The zero value is usable: one location, no
// tokens, no webhooks, no rate limits, no faults, seed 0.
type Options struct {
	// Clock returns the current time; time.Now when nil. Token expiry, rate
	// limit windows and every dateAdded/dateUpdated follow it.
	Clock func() time.Time
	// Logger receives request and delivery logs; discarded when nil.
	Logger *slog.Logger
	// Locations are the sub-accounts; one "Sandbox Location" when empty.
	Locations []Location
	// CompanyID is the agency that owns the locations; generated when empty.
	CompanyID string
	// Tokens are Private Integration Tokens.
	Tokens []PrivateToken
	// ClientID and ClientSecret identify the one Marketplace app that may use
	// the OAuth endpoints.
	ClientID     string
	ClientSecret string
	// WebhookURLs receive every event; see also SetWebhookURLs.
	WebhookURLs []string
	// WebhookClient delivers webhooks; nil means a client with WebhookTimeout.
	WebhookClient *http.Client
	// WebhookTimeout bounds one delivery (default 10 s). A timed-out delivery
	// is not retried.
	WebhookTimeout time.Duration
	// WebhookRetryDelay is the wait before retrying a delivery answered 429,
	// the only status HighLevel retries (up to 6 times, ~10 min apart; the
	// default).
	WebhookRetryDelay time.Duration
	// WebhookKey signs x-ghl-signature; derived from Seed when nil.
	WebhookKey ed25519.PrivateKey
	// LegacyRSASignature also signs the deprecated x-wh-signature header
	// with a 2048-bit RSA key generated at New (or WebhookRSAKey).
	LegacyRSASignature bool
	WebhookRSAKey      *rsa.PrivateKey
	// RateLimit is off by default; RealRateLimit() imitates HighLevel.
	RateLimit RateLimit
	// Faults are injected from the start; see SetFaults.
	Faults Faults
	// Seed drives every random choice: ids, seeded data, faults.
	Seed uint64
}

// PrivateToken is a Private Integration Token: a static bearer token of one
// location (or, with CompanyID and no LocationID, of the agency).
type PrivateToken struct {
	Token      string
	LocationID string
	CompanyID  string
	// Scopes granted; every scope when empty.
	Scopes []string
}

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	opts   Options
	clock  func() time.Time
	log    *slog.Logger
	routes []*route

	mu        sync.Mutex
	closed    bool
	done      chan struct{}
	companyID string
	locs      map[string]*locState
	// locCountry is each location's Country. Locations are added and
	// their country set in New only, so it is read without s.mu.
	locCountry map[string]string
	locOrder   []string
	// contacts are the stored contacts. Their slices, maps and InboundDND
	// are never written in place once stored: a change assigns fresh ones
	// (or stores a changed clone), because responses are encoded from
	// shallow snapshots after s.mu is released (snapshotContact).
	contacts map[string]*Contact
	added    map[addedKey][]addedEntry // dateAdded orders; see searchindex.go
	totals   map[totalKey]totalEntry   // filtered searches' totals; see searchindex.go
	// searchVersion changes with every contact and custom field change:
	// a cached total holds for the version it was counted at.
	searchVersion uint64
	matches       matchIndex
	tasks         map[string]*Task
	notes         map[string]*Note
	appts         map[string]*Appointment
	apptNotes     map[string]*AppointmentNote
	tokens        map[string]*token
	refresh       map[string]*refreshGrant
	codes         map[string]*authCode
	idRand        *rand.Rand
	faultRand     *rand.Rand
	hookRand      *rand.Rand
	faults        Faults
	limiter       limiter
	calls         callCounter
	eventLog      history[Event]
	hooks         *webhooker
	seedSerial    int
	// muted silences emit while Seed builds the initial state.
	muted bool
	zones map[string]*time.Location
}

// locState is a location with the tags it knows.
type locState struct {
	loc  Location
	tags []LocationTag
}

// New returns a Server ready to serve; call Close when done.
func New(opts Options) *Server {
	s := &Server{
		opts:       opts,
		clock:      opts.Clock,
		log:        opts.Logger,
		done:       make(chan struct{}),
		locs:       make(map[string]*locState),
		locCountry: make(map[string]string),
		contacts:   make(map[string]*Contact),
		tasks:      make(map[string]*Task),
		notes:      make(map[string]*Note),
		appts:      make(map[string]*Appointment),
		apptNotes:  make(map[string]*AppointmentNote),
		tokens:     make(map[string]*token),
		refresh:    make(map[string]*refreshGrant),
		codes:      make(map[string]*authCode),
		// Separate streams, so that e.g. enabling faults does not change ids.
		idRand:    rand.New(rand.NewPCG(opts.Seed, 0x6768_6c01)),
		faultRand: rand.New(rand.NewPCG(opts.Seed, 0x6768_6c02)),
		hookRand:  rand.New(rand.NewPCG(opts.Seed, 0x6768_6c03)),
		faults:    opts.Faults,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	// The service keeps milliseconds; so does every stored time here, so
	// that a range filter on a timestamp the API showed finds its contact.
	base := s.clock
	s.clock = func() time.Time { return base().Truncate(time.Millisecond) }
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.limiter.cfg = opts.RateLimit
	s.calls.reset()
	s.companyID = opts.CompanyID
	if s.companyID == "" {
		s.companyID = s.newID()
	}
	locs := opts.Locations
	if len(locs) == 0 {
		locs = []Location{{Name: "Sandbox Location"}}
	}
	for _, l := range locs {
		s.addLocationLocked(l)
	}
	for _, pt := range opts.Tokens {
		s.addPrivateTokenLocked(pt)
	}
	s.routes = s.routeTable()
	s.hooks = newWebhooker(s, opts)
	return s
}

// addLocationLocked registers a location, filling defaults. Only New calls
// it (locCountry relies on that).
func (s *Server) addLocationLocked(l Location) *locState {
	if l.ID == "" {
		l.ID = s.newID()
	}
	if l.CompanyID == "" {
		l.CompanyID = s.companyID
	}
	if l.Name == "" {
		l.Name = "Sandbox Location"
	}
	if l.Country == "" {
		l.Country = "US"
	}
	if l.Timezone == "" {
		l.Timezone = "America/New_York"
	}
	l = l.clone()
	if len(l.Calendars) == 0 {
		l.Calendars = []Calendar{{Name: "Sales Calls"}}
	}
	for i := range l.Calendars {
		c := &l.Calendars[i]
		if c.ID == "" {
			c.ID = s.newID()
		}
		if c.SlotMinutes <= 0 {
			c.SlotMinutes = 30
		}
		if c.Timezone == "" {
			c.Timezone = l.Timezone
		}
	}
	for i := range l.CustomFields {
		fillCustomField(&l.CustomFields[i], i, s.newID)
	}
	ls := &locState{loc: l}
	s.locs[l.ID] = ls
	s.locCountry[l.ID] = l.Country
	s.locOrder = append(s.locOrder, l.ID)
	return ls
}

// Handler returns the sandbox as an http.Handler (the Server itself).
func (s *Server) Handler() http.Handler { return s }

// Close stops webhook delivery (queued deliveries are dropped) and releases
// requests that hang because of an injected timeout. It is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()
	s.hooks.close()
	return nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newID returns a 20-character Firebase-style id. Callers hold s.mu (or are
// in New).
func (s *Server) newID() string {
	var b [20]byte
	for i := range b {
		b[i] = idAlphabet[s.idRand.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// newUUID returns a random (seeded) RFC 4122 version 4 UUID string.
func newUUID(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0x0f])
	}
	return string(out)
}

// location returns the location with id; callers hold s.mu.
func (s *Server) location(id string) (*locState, bool) {
	ls, ok := s.locs[id]
	return ls, ok
}

// Locations returns the sandbox's locations.
func (s *Server) Locations() []Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Location, 0, len(s.locOrder))
	for _, id := range s.locOrder {
		out = append(out, s.locs[id].loc.clone())
	}
	return out
}

// CompanyID returns the agency id that owns the locations.
func (s *Server) CompanyID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.companyID
}

// DefaultLocationID returns the first location's id.
func (s *Server) DefaultLocationID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.locOrder[0]
}

// SetAllowDuplicateContact changes a location's allowDuplicateContact setting.
func (s *Server) SetAllowDuplicateContact(locationID string, allow bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.location(locationID)
	if !ok {
		return ErrNotFound
	}
	ls.loc.AllowDuplicateContact = allow
	return nil
}
