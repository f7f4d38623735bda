package automation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/mapping"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Cursor sources an automation keeps in sync_cursor, under its flow's name.
const (
	// SourceTrigger is the poll trigger's cursor.
	SourceTrigger = "trigger"
	// sourcePage names the records of the current page already handled,
	// so that a retried page does not run them again.
	sourcePage = "trigger.page"
	// sourcePolled is when the trigger was last polled, for the interval.
	sourcePolled = "trigger.polled_at"
	// inboxPrefix + inbox id marks a delivery the flow has handled.
	inboxPrefix = "inbox."
)

// DefaultPollInterval is how often a poll trigger without a poll_interval
// is polled.
const DefaultPollInterval = 5 * time.Minute

// ErrNotRunnable is returned for a flow that is not an enabled automation
// (deleted, disabled, or a sync flow).
var ErrNotRunnable = errors.New("automation: not an enabled automation flow")

// Config is what a Runner needs.
type Config struct {
	Store   *store.Store
	Catalog *catalog.Catalog
	// Clients hands out the API clients of the flows' connections.
	Clients catalog.Clients
	Logger  *slog.Logger
	// Now is the clock (default time.Now); flows read it through now().
	Now func() time.Time
}

// Runner runs stored automation flows at their current version. It is safe
// for concurrent use.
type Runner struct {
	store   *store.Store
	catalog *catalog.Catalog
	clients catalog.Clients
	logger  *slog.Logger
	now     func() time.Time
	cache   *mapping.Cache

	mu    sync.Mutex
	flows map[string]*loaded
}

// loaded is a flow version compiled, with its trigger resolved.
type loaded struct {
	name     string
	version  int64
	prog     *flow.Program
	trigger  *catalog.Entry
	conn     string
	interval time.Duration
}

// New returns a Runner.
func New(cfg Config) *Runner {
	r := &Runner{store: cfg.Store, catalog: cfg.Catalog, clients: connClients{cfg.Clients}, logger: cfg.Logger, now: cfg.Now,
		cache: mapping.NewCache(1024), flows: map[string]*loaded{}}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// executor returns a fresh Executor for one run.
func (r *Runner) executor() *Executor {
	return &Executor{catalog: r.catalog, clients: r.clients, fields: map[string]map[string]string{}}
}

// load returns the flow's current version compiled, from the cache when
// the version did not change.
func (r *Runner) load(ctx context.Context, name string) (*loaded, error) {
	f, err := r.store.GetFlow(ctx, r.store.DB(), name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: flow %s does not exist", ErrNotRunnable, name)
	}
	if err != nil {
		return nil, err
	}
	return r.loadFlow(ctx, f)
}

func (r *Runner) loadFlow(ctx context.Context, f store.Flow) (*loaded, error) {
	if f.Kind != flow.KindAutomation || !f.Enabled {
		return nil, fmt.Errorf("%w: flow %s is a %s flow, enabled %t", ErrNotRunnable, f.Name, f.Kind, f.Enabled)
	}
	r.mu.Lock()
	lf := r.flows[f.Name]
	r.mu.Unlock()
	if lf != nil && lf.version == f.Version {
		return lf, nil
	}
	v, err := r.store.GetFlowVersion(ctx, r.store.DB(), f.Name, f.Version)
	if err != nil {
		return nil, err
	}
	prog, err := flow.Load([]byte(v.YAML), flow.Options{Now: r.now, Cache: r.cache})
	if err != nil {
		return nil, fmt.Errorf("automation: flow %s v%d: %w", f.Name, f.Version, err)
	}
	t := prog.Flow().Trigger
	if t == nil {
		return nil, fmt.Errorf("%w: flow %s has no trigger", ErrNotRunnable, f.Name)
	}
	entry, err := r.triggerEntry(t)
	if err != nil {
		return nil, fmt.Errorf("automation: flow %s: %w", f.Name, err)
	}
	lf = &loaded{name: f.Name, version: f.Version, prog: prog, trigger: entry, conn: t.Connection,
		interval: t.PollInterval.Std()}
	if lf.interval <= 0 {
		lf.interval = DefaultPollInterval
	}
	r.mu.Lock()
	r.flows[f.Name] = lf
	r.mu.Unlock()
	return lf, nil
}

// triggerEntry resolves a trigger to its catalog entry. A webhook trigger
// asked to poll uses its ".poll" twin.
func (r *Runner) triggerEntry(t *flow.Trigger) (*catalog.Entry, error) {
	e, err := r.catalog.Get(t.Operation)
	if err != nil {
		return nil, err
	}
	if e.Kind != catalog.KindTrigger {
		return nil, fmt.Errorf("%w: %s is not a trigger", catalog.ErrWrongKind, e.ID)
	}
	switch {
	case t.Mode == "" || t.Mode == string(e.Mode):
		return e, nil
	case t.Mode == flow.ModePoll:
		if p, err := r.catalog.Get(t.Operation + ".poll"); err == nil && p.Mode == catalog.ModePoll {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: %s cannot run in %s mode", catalog.ErrWrongKind, e.ID, t.Mode)
}

// automations lists the enabled automation flows, loaded; a flow that
// does not load is logged and left out, so one broken flow stops no other.
func (r *Runner) automations(ctx context.Context) ([]*loaded, error) {
	flows, err := r.store.ListFlows(ctx, r.store.DB())
	if err != nil {
		return nil, err
	}
	var out []*loaded
	for _, f := range flows {
		if f.Kind != flow.KindAutomation || !f.Enabled {
			continue
		}
		lf, err := r.loadFlow(ctx, f)
		if err != nil {
			r.logger.WarnContext(ctx, "automation flow unusable", slog.String("flow", f.Name), slog.Any("error", err))
			continue
		}
		out = append(out, lf)
	}
	return out, nil
}

// DuePolls lists the enabled automation flows with a poll trigger whose
// poll_interval has passed since their last poll.
func (r *Runner) DuePolls(ctx context.Context) ([]string, error) {
	flows, err := r.automations(ctx)
	if err != nil {
		return nil, err
	}
	now := r.now()
	var out []string
	for _, lf := range flows {
		if lf.trigger.Mode != catalog.ModePoll {
			continue
		}
		last, err := r.store.GetCursor(ctx, r.store.DB(), lf.name, sourcePolled)
		if err != nil {
			return nil, err
		}
		if t, err := time.Parse(time.RFC3339Nano, last); err == nil && now.Sub(t) < lf.interval {
			continue
		}
		out = append(out, lf.name)
	}
	return out, nil
}
