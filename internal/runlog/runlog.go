// Package runlog writes run history: one row per run (a backfill, a poll
// page, a webhook, a replay) and one per record touched, with a redacted
// summary. Summaries name fields, never their values, so no personal data
// or secret lands in history.
package runlog

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Entry is what a run did to one record.
type Entry struct {
	Side   string
	Key    string
	Action string
	Fields []string
	Error  string
	Status int
}

// Run is one finished run.
type Run struct {
	Flow     string
	Kind     string
	Started  time.Time
	Finished time.Time
	Entries  []Entry
	// Err is the run-level failure, if any.
	Err      error
	Attempts int
}

// Write stores r in tx and returns the run id. Records that changed
// nothing (unchanged, echo) are counted in the run's stats but not listed,
// so history stays small on quiet polls.
func Write(ctx context.Context, st *store.Store, tx store.Tx, r Run) (int64, error) {
	id, err := st.StartRun(ctx, tx, r.Flow, r.Kind, r.Started)
	if err != nil {
		return 0, err
	}
	stats := map[string]int{}
	var recs []store.RunRecord
	failed := 0
	for _, e := range r.Entries {
		stats[e.Side+"."+e.Action]++
		if e.Action == "error" {
			failed++
		}
		if e.Action == "unchanged" || e.Action == "echo" {
			continue
		}
		summary := ""
		if len(e.Fields) > 0 {
			summary = "fields: " + strings.Join(e.Fields, ", ")
		}
		recs = append(recs, store.RunRecord{RunID: id, Flow: r.Flow, Side: e.Side, RecordKey: e.Key, Action: e.Action,
			Summary: summary, StatusCode: e.Status, Error: e.Error, Attempts: max(r.Attempts, 1), CreatedAt: r.Finished})
	}
	if err := st.InsertRunRecords(ctx, tx, recs); err != nil {
		return 0, err
	}
	status, errText := "succeeded", ""
	switch {
	case r.Err != nil:
		status, errText = "failed", r.Err.Error()
	case failed > 0:
		status = "partial"
	}
	b, _ := json.Marshal(stats)
	if err := st.FinishRun(ctx, tx, id, status, string(b), errText, r.Finished); err != nil {
		return 0, err
	}
	return id, nil
}
