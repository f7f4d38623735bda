package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// SyncFlow is a stored sync flow bound to its connections.
type SyncFlow struct {
	Name       string
	Version    int64
	Spec       syncer.Spec
	RepslyConn string
	GHLConn    string
}

// SpecFromProgram turns a compiled sync flow into the engine's spec. The
// flow may put Repsly on either side; the spec always speaks of Repsly and
// HighLevel.
func SpecFromProgram(p *flow.Program) (SyncFlow, error) {
	f := p.Flow()
	var st *flow.SyncStep
	for i := range f.Steps {
		if f.Steps[i].Sync != nil {
			st = f.Steps[i].Sync
		}
	}
	if st == nil {
		return SyncFlow{}, fmt.Errorf("flow %s: not a sync flow", f.Name)
	}
	leftRoot, rightRoot := p.SyncRoots()
	toRight, toLeft := p.SyncMapping(flow.LeftToRight), p.SyncMapping(flow.RightToLeft)
	sf := SyncFlow{Name: f.Name}
	spec := syncer.Spec{Flow: f.Name, OnRepslyDeactivate: st.OnDeactivate, InactiveTag: st.InactiveTag,
		CodeField: strings.TrimPrefix(st.CodeField, "contact."), DeactivateOnGHLDelete: true, Match: slices.Clone(st.Match)}
	leftIsRepsly := strings.HasPrefix(st.Left.Object, "repsly.")
	twoWay := st.Direction == flow.TwoWay
	if leftIsRepsly {
		sf.RepslyConn, sf.GHLConn = st.Left.Connection, st.Right.Connection
		spec.RepslyRoot, spec.GHLRoot = leftRoot, rightRoot
		spec.ToGHL, spec.ToRepsly = toRight, toLeft
		spec.Direction = syncer.ToGHL
	} else {
		sf.RepslyConn, sf.GHLConn = st.Right.Connection, st.Left.Connection
		spec.RepslyRoot, spec.GHLRoot = rightRoot, leftRoot
		spec.ToGHL, spec.ToRepsly = toLeft, toRight
		spec.Direction = syncer.ToRepsly
	}
	if twoWay {
		spec.Direction = syncer.TwoWay
	}
	spec.Priority = map[string]syncer.Side{}
	side := func(lr string) syncer.Side {
		if (lr == "left") == leftIsRepsly {
			return syncer.Repsly
		}
		return syncer.GHL
	}
	switch st.Conflict {
	case "left_wins", "right_wins":
		winner := side(strings.TrimSuffix(st.Conflict, "_wins"))
		for _, m := range []interface{ Targets() []string }{toRight, toLeft} {
			if m == nil {
				continue
			}
			for _, t := range m.Targets() {
				spec.Priority["ghl:"+t] = winner
				spec.Priority["repsly:"+t] = winner
			}
		}
	}
	for field, lr := range st.Prefer {
		spec.Priority["ghl:"+field] = side(lr)
		spec.Priority["repsly:"+field] = side(lr)
	}
	sf.Spec = spec
	return sf, nil
}

// Engines builds and caches a sync engine per enabled sync flow, from the
// flow's current version and its connections.
type Engines struct {
	core *Core
	mu   sync.Mutex
	byID map[string]*cachedEngine
	// build makes engine construction single-flight: jobs starting
	// together after a restart all get the same engine.
	build sync.Mutex
	// locks holds each flow's record locks, shared by every engine the
	// flow gets (a new version builds a new engine while jobs still run
	// on the old one).
	locks map[string]*syncer.Locks
}

type cachedEngine struct {
	version int64
	engine  *syncer.Engine
	flow    SyncFlow
}

// NewEngines returns the engine registry of core.
func NewEngines(core *Core) *Engines {
	return &Engines{core: core, byID: map[string]*cachedEngine{}, locks: map[string]*syncer.Locks{}}
}

// Engine returns the engine of an enabled sync flow.
func (r *Engines) Engine(ctx context.Context, name string) (*syncer.Engine, error) {
	st := r.core.Store
	f, err := st.GetFlow(ctx, st.DB(), name)
	if err != nil {
		return nil, err
	}
	if f.Kind != "sync" {
		return nil, fmt.Errorf("flow %s is a %s flow, not a sync flow", name, f.Kind)
	}
	if !f.Enabled {
		return nil, fmt.Errorf("flow %s is disabled; enable it with `fieldbridge flows enable %s`", name, name)
	}
	r.mu.Lock()
	c := r.byID[name]
	r.mu.Unlock()
	if c != nil && c.version == f.Version {
		return c.engine, nil
	}
	r.build.Lock()
	defer r.build.Unlock()
	r.mu.Lock()
	c = r.byID[name]
	locks := r.locks[name]
	if locks == nil {
		locks = syncer.NewLocks()
		r.locks[name] = locks
	}
	r.mu.Unlock()
	if c != nil && c.version == f.Version {
		return c.engine, nil // built while this call waited
	}
	v, err := st.GetFlowVersion(ctx, st.DB(), name, f.Version)
	if err != nil {
		return nil, err
	}
	prog, err := flow.Load([]byte(v.YAML), flow.Options{})
	if err != nil {
		return nil, fmt.Errorf("flow %s v%d: %w", name, f.Version, err)
	}
	sf, err := SpecFromProgram(prog)
	if err != nil {
		return nil, err
	}
	sf.Version = f.Version
	gc, gv, err := r.core.Connections.GHLClient(ctx, sf.GHLConn)
	if err != nil {
		return nil, fmt.Errorf("flow %s: %w", name, err)
	}
	if err := connection.RequireScopes(gv, "flow "+name, "contacts.readonly", "contacts.write", "locations/customFields.readonly"); err != nil {
		return nil, err
	}
	rc, _, err := r.core.Connections.RepslyClient(ctx, sf.RepslyConn)
	if err != nil {
		return nil, fmt.Errorf("flow %s: %w", name, err)
	}
	eng, err := syncer.New(syncer.Config{Spec: sf.Spec, Store: st, GHL: gc, Repsly: rc, Logger: r.core.Logger, Now: r.core.Now, Locks: locks,
		// The server runs the Repsly poll, which settles imports left
		// pending (job.RepslyPollWorker).
		DeferImportChecks: true})
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.byID[name] = &cachedEngine{version: f.Version, engine: eng, flow: sf}
	r.mu.Unlock()
	return eng, nil
}

// SyncFlows lists the enabled sync flows.
func (r *Engines) SyncFlows(ctx context.Context) ([]string, error) {
	flows, err := r.core.Store.ListFlows(ctx, r.core.Store.DB())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range flows {
		if f.Kind == "sync" && f.Enabled {
			out = append(out, f.Name)
		}
	}
	return out, nil
}

// ForLocation lists the enabled sync flows whose HighLevel connection is
// on locationID.
func (r *Engines) ForLocation(ctx context.Context, locationID string) ([]string, error) {
	names, err := r.SyncFlows(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if _, err := r.Engine(ctx, n); err != nil {
			r.core.Logger.Warn("sync flow unusable", "flow", n, "error", err)
			continue
		}
		r.mu.Lock()
		c := r.byID[n]
		r.mu.Unlock()
		v, err := r.core.Connections.Get(ctx, c.flow.GHLConn)
		if err == nil && v.LocationID == locationID {
			out = append(out, n)
		}
	}
	return out, nil
}

// LocationKnown reports whether any HighLevel connection is on locationID
// (the webhook receiver refuses others).
func (r *Engines) LocationKnown(ctx context.Context, locationID string) (bool, error) {
	conns, err := r.core.Store.ListConnections(ctx)
	if err != nil {
		return false, err
	}
	for _, c := range conns {
		if c.App == store.AppGHL && c.LocationID == locationID && locationID != "" {
			return true, nil
		}
	}
	return false, nil
}

// Tx is the transaction type of the store, for commit hooks written in
// the CLI.
type Tx = store.Tx
