package connection

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestResult is the outcome of one cheap authenticated call.
type TestResult struct {
	Connection string        `json:"connection"`
	App        string        `json:"app"`
	OK         bool          `json:"ok"`
	Latency    time.Duration `json:"latency_ns"`
	LatencyMS  int64         `json:"latency_ms"`
	Scopes     []string      `json:"scopes"`
	// Detail names what was reached, e.g. the HighLevel location's name.
	Detail string `json:"detail,omitempty"`
	// RateBudget is the remaining HighLevel allowance (burst and daily).
	RateBudget *RateBudget `json:"rate_budget,omitempty"`
	// Reason says why the call failed, in words a user can act on.
	Reason string `json:"reason,omitempty"`
}

// RateBudget is the remaining request allowance of a location.
type RateBudget struct {
	BurstRemaining int  `json:"burst_remaining"`
	BurstMax       int  `json:"burst_max"`
	DailyRemaining int  `json:"daily_remaining"`
	DailyLimit     int  `json:"daily_limit"`
	FromHeaders    bool `json:"from_headers"`
}

// Test makes one cheap authenticated call with the named connection: the
// location read for HighLevel, the representatives export for Repsly. A
// failed call is a result with OK false and the reason, not an error; an
// error means the test could not even be attempted.
func (s *Service) Test(ctx context.Context, name string) (TestResult, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return TestResult{}, err
	}
	res := TestResult{Connection: c.Name, App: c.App, Scopes: viewOf(c).Scopes}
	start := s.now()
	switch c.App {
	case store.AppGHL:
		cl, _, cerr := s.GHLClient(ctx, name)
		if cerr != nil {
			err = cerr
			break
		}
		var loc *ghl.Location
		loc, err = cl.GetLocation(ctx)
		if err == nil {
			res.Detail = fmt.Sprintf("location %s (%s)", loc.Name, loc.ID)
		}
		st := cl.RateBudget()
		res.RateBudget = &RateBudget{BurstRemaining: st.BurstRemaining, BurstMax: st.BurstMax,
			DailyRemaining: st.DailyRemaining, DailyLimit: st.DailyLimit, FromHeaders: st.FromHeaders}
	case store.AppRepsly:
		cl, _, cerr := s.RepslyClient(ctx, name)
		if cerr != nil {
			err = cerr
			break
		}
		var reps []repsly.Representative
		reps, err = cl.ExportRepresentatives(ctx)
		if err == nil {
			res.Detail = fmt.Sprintf("%d representatives", len(reps))
		}
	default:
		return res, fmt.Errorf("connection %q: unknown app %q", name, c.App)
	}
	res.Latency = s.now().Sub(start)
	res.LatencyMS = res.Latency.Milliseconds()
	if err != nil {
		res.Reason = reason(err)
		return res, nil
	}
	res.OK = true
	return res, nil
}

// reason turns a call error into the cause a user can act on.
func reason(err error) string {
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, ErrNeedsReauth):
		return "needs re-authorisation: " + err.Error()
	case errors.Is(err, ghl.ErrMissingScope):
		return "missing scope: the token is not authorized for this call (" + err.Error() + ")"
	case errors.Is(err, ghl.ErrUnauthorized), errors.Is(err, repsly.ErrUnauthorized):
		return "bad credentials: the service answered 401 (" + err.Error() + ")"
	case errors.Is(err, ghl.ErrWrongLocation):
		return "wrong location: the token has no access to this location (" + err.Error() + ")"
	case errors.As(err, &opErr), errors.As(err, &netErr):
		return "unreachable host: " + err.Error()
	default:
		return err.Error()
	}
}
