package syncer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// PlanGHL is the HighLevel half of a dry run: every contact, as the
// backfill's second phase and the reconcile poll would see it, with
// nothing written. Contacts ix matched to a client in the Repsly half are
// left out (the Repsly half planned their link). Run it after the Repsly
// half with the same index.
func (e *Engine) PlanGHL(ctx context.Context, ix *Index) (Result, error) {
	var plan Result
	if err := e.prepare(ctx); err != nil {
		return plan, err
	}
	if !e.spec.pushesToRepsly() {
		return plan, nil
	}
	req := ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit, Sort: []ghl.Sort{{Field: "dateAdded", Direction: "asc"}}}
	for {
		res, err := e.ghl.SearchContacts(ctx, req)
		if err != nil {
			return plan, fmt.Errorf("syncer: plan: search contacts: %w", err)
		}
		var changes []GHLChange
		for _, c := range res.Contacts {
			if ix != nil && ix.claimedID(c.ID) {
				continue
			}
			changes = append(changes, GHLChange{Contact: c, At: contactTime(&c, e.now())})
		}
		r, err := e.ApplyGHL(ctx, changes, BatchOptions{DryRun: true})
		if err != nil && !Transient(err) {
			return plan, err
		}
		plan.merge(r)
		if len(res.Contacts) < req.PageLimit {
			return plan, nil
		}
		req.SearchAfter = json.RawMessage(res.Contacts[len(res.Contacts)-1].SearchAfter)
	}
}
