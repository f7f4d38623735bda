package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Repsly imports are asynchronous: the post answers with a job id and the
// job's status is a second call. Waiting for every job doubles the calls
// of a HighLevel change synced to Repsly. With Config.DeferImportChecks
// the engine posts the import and goes on; the fields stay pending on the
// link with the job id (write_ahead.go), and are settled by
//   - the next poll showing the written values: confirmed, no call; or
//   - CheckImports, run after each poll for the jobs it did not confirm:
//     one status read per job. Completed confirms; Failed puts the link's
//     client state back (the contact keeps the new value, the failure is
//     recorded with Repsly's reasons, and reconcile reports the drift).
//
// While a job is unsettled, a read showing another value for its field
// may predate the job: the field is held at the written value. Once the
// job settles, a client read while held is read again, so a rep's edit
// made meanwhile is not lost.

// importSettleLimit bounds how long a read may be held for an unsettled
// job: past it the job's status is taken as unknowable (Repsly keeps
// statuses for 30 days, but a check may keep failing) and reads are judged
// as they are.
const importSettleLimit = time.Hour

// CheckImports settles the pending Repsly imports sent before before that
// no poll has confirmed: one status read per job. It returns the outcomes
// of failed jobs and of clients read again, for run history.
func (e *Engine) CheckImports(ctx context.Context, before time.Time) (Result, error) {
	var res Result
	if err := e.prepare(ctx); err != nil {
		return res, err
	}
	links, err := e.st.LinksWithPendingWrites(ctx, e.st.DB(), e.spec.Flow)
	if err != nil {
		return res, err
	}
	byJob := map[int64][]int64{}
	for _, l := range links {
		for key, p := range parsePending(l.PendingWrites) {
			if p.Job != 0 && strings.HasPrefix(key, string(Repsly)+":") && p.At.Before(before) && !slices.Contains(byJob[p.Job], l.ID) {
				byJob[p.Job] = append(byJob[p.Job], l.ID)
			}
		}
	}
	jobs := make([]int64, 0, len(byJob))
	for j := range byJob {
		jobs = append(jobs, j)
	}
	slices.Sort(jobs)
	var firstErr error
	for _, job := range jobs {
		st, err := e.rep.GetImportStatus(ctx, job)
		checked := e.now()
		var re *repsly.Error
		switch {
		case errors.As(err, &re) && re.StatusCode == http.StatusNotFound:
			st = repsly.ImportStatus{} // forgotten: settle as unknown
		case err != nil:
			if firstErr == nil {
				firstErr = fmt.Errorf("syncer: check Repsly import job %d: %w", job, err)
			}
			continue
		case strings.EqualFold(st.ImportStatus, repsly.ImportPending):
			continue
		}
		for _, id := range byJob[job] {
			outs, err := e.settleImport(ctx, id, job, st, checked)
			for _, o := range outs {
				res.add(o)
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	return res, firstErr
}

// settleImport applies a settled job's status to one link.
func (e *Engine) settleImport(ctx context.Context, id, job int64, st repsly.ImportStatus, checked time.Time) ([]Outcome, error) {
	l, err := e.st.GetLink(ctx, e.st.DB(), id)
	if err != nil {
		return nil, err
	}
	unlock, err := e.lockRecords(ctx, []string{"r:" + l.RepslyCode, "g:" + l.GHLID})
	if err != nil {
		return nil, err
	}
	defer unlock()
	if l, err = e.st.GetLink(ctx, e.st.DB(), id); err != nil { // again, under the locks
		return nil, err
	}
	ls := newLinkState(l)
	code := l.RepslyCode
	completed := strings.EqualFold(st.ImportStatus, repsly.ImportCompleted) && len(st.Errors) == 0
	failed := !completed && st.ImportStatus != ""
	var fields []string
	held, copied := false, false
	r := ls.r
	for key, p := range ls.pending {
		k, ok := pendingField(key, Repsly)
		if !ok || p.Job != job {
			continue
		}
		fields = append(fields, k)
		held = held || p.Held
		delete(ls.pending, key)
		switch {
		case completed:
			// Reads begun from now on show the write.
			ls.markWrites(Repsly, []string{k}, checked)
		case failed:
			if !copied {
				r, copied = make(map[string]any, len(ls.r)), true
				for rk, rv := range ls.r {
					r[rk] = rv
				}
			}
			if p.Old == nil {
				delete(r, k)
			} else {
				r[k] = p.Old
			}
		}
	}
	if len(fields) == 0 {
		return nil, nil
	}
	slices.Sort(fields)
	ls.r, ls.dirty = r, true
	var outs []Outcome
	if failed {
		reasons := make([]string, 0, len(st.Errors))
		for _, is := range st.Errors {
			reasons = append(reasons, is.String())
		}
		if len(reasons) == 0 {
			reasons = append(reasons, "job ended "+st.ImportStatus)
		}
		outs = append(outs, Outcome{Side: Repsly, Key: code, Action: ActError, Fields: fields,
			Err: fmt.Sprintf("Repsly import job %d failed: %s; the client keeps its values, the contact the new ones (reconcile reports the drift)", job, strings.Join(reasons, "; "))})
	}
	if held && l.State == store.LinkLinked {
		// A read showed another value while the job was unsettled: it
		// may have been a rep's edit. Read the client again and judge it.
		input, at, _, err := e.rereadRepsly(ctx, ls, code)
		if err != nil {
			return append(outs, Outcome{Side: GHL, Key: code, Action: ActError, Err: err.Error()}), err
		}
		more, err := e.updateFromRepsly(ctx, ls, code, input, at, BatchOptions{})
		outs = append(outs, more...)
		if err != nil {
			return outs, err
		}
	}
	return outs, e.st.InTx(ctx, func(tx store.Tx) error { return e.saveLink(ctx, tx, ls) })
}
