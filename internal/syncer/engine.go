package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Engine syncs one flow between one Repsly account and one HighLevel
// location. It is safe for concurrent use; work on one record is
// serialised by a per-record lock.
type Engine struct {
	spec   Spec
	st     *store.Store
	ghl    *ghl.Client
	rep    *repsly.Client
	logger *slog.Logger
	now    func() time.Time
	conc   int

	prepOnce sync.Once
	prepErr  error
	keyOf    map[string]string // custom field id -> key (without "contact.")
	idOf     map[string]string // key -> id

	locks        *Locks
	deferImports bool

	// fieldKeys holds the field-time keys ("ghl:email") of the mappings'
	// targets, made once: a backfilled link stamps some thirty.
	fieldKeys fieldKeys
}

// Config wires an Engine.
type Config struct {
	Spec   Spec
	Store  *store.Store
	GHL    *ghl.Client
	Repsly *repsly.Client
	Logger *slog.Logger
	Now    func() time.Time
	// Concurrency bounds parallel API calls within one batch (default 16).
	Concurrency int
	// Locks serialises work on each record. Every engine of one flow in a
	// process must share them: jobs that started with an engine built for
	// an earlier flow version, or built concurrently at start-up, work the
	// same links. Nil gives the engine locks of its own.
	Locks *Locks
	// DeferImportChecks sends Repsly updates without waiting for their
	// import jobs: the next poll showing the values confirms them, and
	// CheckImports reads the status of those it did not (import_check.go).
	// Only a process that runs the Repsly poll and CheckImports after it
	// may set it; one-off runs wait for each job.
	DeferImportChecks bool
}

// New returns an Engine.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Spec.withDefaults(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 16
	}
	if cfg.Locks == nil {
		cfg.Locks = NewLocks()
	}
	return &Engine{spec: cfg.Spec, st: cfg.Store, ghl: cfg.GHL, rep: cfg.Repsly, logger: cfg.Logger, now: cfg.Now, conc: cfg.Concurrency,
		locks: cfg.Locks, deferImports: cfg.DeferImportChecks, fieldKeys: newFieldKeys(cfg.Spec)}, nil
}

// GHL returns the engine's HighLevel client.
func (e *Engine) GHL() *ghl.Client { return e.ghl }

// Repsly returns the engine's Repsly client.
func (e *Engine) Repsly() *repsly.Client { return e.rep }

// Store returns the engine's store.
func (e *Engine) Store() *store.Store { return e.st }

// Spec returns the engine's flow spec.
func (e *Engine) Spec() Spec { return e.spec }

// prepare loads the location's custom field definitions once, so contacts
// can be read and written by field key. The code field must exist: without
// it a crash between a create and the link write could not be recovered
// by looking the contact up by code.
func (e *Engine) prepare(ctx context.Context) error {
	e.prepOnce.Do(func() {
		fields, err := e.ghl.ListCustomFields(ctx, "contact")
		if err != nil {
			e.prepErr = fmt.Errorf("syncer: read HighLevel custom fields: %w", err)
			return
		}
		e.keyOf, e.idOf = map[string]string{}, map[string]string{}
		for _, f := range fields {
			key := strings.TrimPrefix(f.FieldKey, "contact.")
			e.keyOf[f.ID] = key
			e.idOf[key] = f.ID
		}
		if e.idOf[e.spec.CodeField] == "" {
			e.prepErr = fmt.Errorf("syncer: HighLevel location has no contact custom field %q; create a text field with that key (it holds the Repsly client code)", e.spec.CodeField)
		}
	})
	return e.prepErr
}

// lockRecords takes the records' locks: this process's first, then, on
// PostgreSQL, the other processes' (store.LockRecords), so that several
// servers sharing one database never work one link at once.
func (e *Engine) lockRecords(ctx context.Context, keys []string) (func(), error) {
	unlock := e.locks.lockAll(keys)
	release, err := e.st.LockRecords(ctx, e.spec.Flow, keys)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("syncer: lock records: %w", err)
	}
	return func() { release(); unlock() }, nil
}

// Locks serialises work on one record key within the process.
type Locks struct {
	mu sync.Mutex
	m  map[string]*lockEntry
}

// NewLocks returns an empty set of record locks.
func NewLocks() *Locks { return &Locks{} }

type lockEntry struct {
	mu   sync.Mutex
	refs int
}

func (l *Locks) lock(key string) func() {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*lockEntry{}
	}
	en := l.m[key]
	if en == nil {
		en = &lockEntry{}
		l.m[key] = en
	}
	en.refs++
	l.mu.Unlock()
	en.mu.Lock()
	return func() {
		en.mu.Unlock()
		l.mu.Lock()
		en.refs--
		if en.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
}

// lockAll takes the locks of every key, in sorted order so that two
// batches with overlapping records never deadlock, and returns their
// release. A batch holds its records' locks from reading their links to
// storing them: nothing else in this process can change those links
// meanwhile.
func (l *Locks) lockAll(keys []string) func() {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	unlocks := make([]func(), 0, len(keys))
	for _, k := range keys {
		unlocks = append(unlocks, l.lock(k))
	}
	return func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
}

// Action is what the engine did (or would do) to one record.
type Action string

// Actions.
const (
	ActCreate     Action = "create"
	ActUpdate     Action = "update"
	ActLink       Action = "link"
	ActUnchanged  Action = "unchanged"
	ActEcho       Action = "echo"
	ActDeactivate Action = "deactivate"
	ActDelete     Action = "delete"
	ActCorrect    Action = "correct" // a losing concurrent edit set back
	ActSkip       Action = "skip"
	ActError      Action = "error"
)

// Outcome is one record-level result, for run history and dry-run plans.
type Outcome struct {
	Side   Side     `json:"side"` // the side written (or that would be)
	Key    string   `json:"key"`  // Repsly code or HighLevel contact id
	Action Action   `json:"action"`
	Fields []string `json:"fields,omitempty"`
	Err    string   `json:"error,omitempty"`
}

// Result sums up a batch.
type Result struct {
	Outcomes []Outcome `json:"outcomes,omitempty"`
	Counts   Counts    `json:"counts"`
}

// Counts tallies outcomes by action and side.
type Counts map[string]int

func (r *Result) add(o Outcome) {
	if r.Counts == nil {
		r.Counts = Counts{}
	}
	r.Outcomes = append(r.Outcomes, o)
	r.Counts[string(o.Side)+"."+string(o.Action)]++
}

func (r *Result) merge(o Result) {
	for _, x := range o.Outcomes {
		r.add(x)
	}
}

// Errors returns the failed outcomes.
func (r Result) Errors() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if o.Action == ActError {
			out = append(out, o)
		}
	}
	return out
}

// Writes counts outcomes that wrote to a side.
func (r Result) Writes() int {
	n := 0
	for _, o := range r.Outcomes {
		switch o.Action {
		case ActCreate, ActUpdate, ActDeactivate, ActDelete, ActCorrect:
			n++
		}
	}
	return n
}

// errRetry marks a failure the whole batch should be retried for (rate
// limit, server error): the cursor must not move past it.
type retryError struct{ err error }

func (r *retryError) Error() string { return r.err.Error() }
func (r *retryError) Unwrap() error { return r.err }

// Transient reports whether err should be retried later rather than
// recorded as a permanent record failure.
func Transient(err error) bool {
	var re *retryError
	if errors.As(err, &re) {
		return true
	}
	var rl *ghl.RateLimitError
	return errors.Is(err, ghl.ErrServer) || errors.As(err, &rl) || errors.Is(err, ghl.ErrRateLimited) ||
		repsly.Retryable(err) || errors.Is(err, context.DeadlineExceeded) || isNetErr(err)
}
