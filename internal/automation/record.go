package automation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
)

// Actions of an automation's run records.
const (
	ActionRan     = "ran"     // the flow ran to its end
	ActionStopped = "stopped" // a filter or required lookup ended it
	ActionError   = "error"   // a step failed for this record
)

// runRecord runs the flow on one trigger record and says what became of
// it. A returned error is transient or a connection's: the record was not
// handled and the caller stops. Any other failure is the record's own and
// comes back in the entry.
func (r *Runner) runRecord(ctx context.Context, lf *loaded, ex *Executor, rec any) (runlog.Entry, error) {
	e := runlog.Entry{Side: string(lf.trigger.App), Key: recordKey(rec)}
	res, err := r.runFlow(ctx, lf, ex, rec)
	if res != nil {
		e.Fields = ranActions(res)
	}
	switch {
	case err != nil && Classify(err) != ClassRecord:
		return e, err
	case err != nil:
		e.Action, e.Error, e.Status = ActionError, err.Error(), statusOf(err)
	case res.Stopped:
		e.Action = ActionStopped
	default:
		e.Action = ActionRan
	}
	return e, nil
}

func (r *Runner) runFlow(ctx context.Context, lf *loaded, ex *Executor, rec any) (*flow.Result, error) {
	if lf.trigger.App == catalog.AppGHL {
		if err := ex.addFieldKeys(ctx, lf.conn, rec); err != nil {
			return nil, err
		}
	}
	return lf.prog.Run(ctx, map[string]any{lf.prog.TriggerRoot(): rec}, ex)
}

// ranActions names the action steps that ran (by id, else operation):
// what the record's run history lists, never values.
func ranActions(res *flow.Result) []string {
	var out []string
	for _, s := range res.Steps {
		// A failed action has no record: it is the run's error, not a write.
		if s.Kind == flow.StepAction && s.Status == flow.StatusRan && s.Record != nil {
			out = append(out, or(s.ID, fmt.Sprintf("steps[%d]", s.Index)))
		}
	}
	return out
}

// wrote reports whether the entry's run changed something or failed: a
// record worth remembering as handled.
func wrote(e runlog.Entry) bool { return len(e.Fields) > 0 || e.Action == ActionError }

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// keyFields are the fields that identify a trigger record, most specific
// first: Repsly export rows, then any record with an id.
var keyFields = []string{"ScheduleCode", "ClientNoteID", "VisitID", "PurchaseOrderID", "FormID", "RetailAuditID", "PhotoID",
	"DocumentTypeID", "Code", "ID", "id"}

// recordKey names a trigger record in run history: a HighLevel event's
// object ("contact:<id>"), a Repsly row's id field ("VisitID:42"), or a
// short hash of the record.
func recordKey(rec any) string {
	m, _ := rec.(map[string]any)
	for _, obj := range []string{"contact", "task", "note", "appointment"} {
		if o, ok := m[obj].(map[string]any); ok {
			if id, _ := keyText(o["id"]); id != "" {
				return obj + ":" + id
			}
		}
	}
	for _, f := range keyFields {
		if id, err := keyText(m[f]); err == nil && id != "" {
			return f + ":" + id
		}
	}
	var ids []string
	for k := range m {
		if strings.HasSuffix(k, "ID") {
			ids = append(ids, k)
		}
	}
	slices.Sort(ids)
	for _, f := range ids {
		if id, err := keyText(m[f]); err == nil && id != "" {
			return f + ":" + id
		}
	}
	b, _ := json.Marshal(rec)
	return "sha256:" + shortHash(b)
}

func shortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
