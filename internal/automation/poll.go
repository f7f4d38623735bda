package automation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// RunKindPoll is the run history kind of a poll page.
const RunKindPoll = "automation_poll"

// PollPage polls the flow's trigger once from the saved cursor and runs the
// flow on each record of the page; more reports that the trigger has more
// right away. A flow that is not an enabled automation with a poll
// trigger polls nothing (more is false, err nil).
//
// Invariant (DESIGN 1, nothing lost): the cursor moves past the page only
// in the transaction that stores the page's run history, after every
// record was handled. A record whose flow fails on its own account is
// handled: its error is in the history. A transient or connection error
// stops the page before the cursor moves; the retry reads it again and
// skips the records an earlier attempt finished (DESIGN 2), which are
// committed one by one as they finish.
func (r *Runner) PollPage(ctx context.Context, name string, attempt int) (more bool, err error) {
	lf, err := r.load(ctx, name)
	if errors.Is(err, ErrNotRunnable) {
		r.logger.InfoContext(ctx, "automation poll skipped", slog.String("flow", name), slog.Any("reason", err))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if lf.trigger.Mode != catalog.ModePoll {
		return false, nil
	}
	st := r.store
	started := r.now()
	text, err := st.GetCursor(ctx, st.DB(), name, SourceTrigger)
	if err != nil {
		return false, err
	}
	raws, next, more, err := lf.trigger.Poll(ctx, r.clients, lf.conn, text)
	if err != nil {
		return false, fmt.Errorf("automation: flow %s: %w", name, err)
	}
	done, err := r.progress(ctx, name, text)
	if err != nil {
		return false, err
	}
	ex := r.executor()
	var entries []runlog.Entry
	for _, raw := range raws {
		h := shortHash(raw)
		if slices.Contains(done, h) {
			continue
		}
		var rec any
		if err := json.Unmarshal(raw, &rec); err != nil {
			entries = append(entries, runlog.Entry{Side: string(lf.trigger.App), Key: "sha256:" + h, Action: ActionError,
				Error: "the record is not JSON: " + err.Error()})
			continue
		}
		e, err := r.runRecord(ctx, lf, ex, rec)
		if err != nil {
			r.logger.WarnContext(ctx, "automation page stopped", slog.String("flow", name), slog.String("record", e.Key),
				slog.String("class", Classify(err).String()), slog.Any("error", err))
			// What this attempt did is history too, with why it stopped.
			stop := fmt.Errorf("automation: flow %s: record %s: %w", name, e.Key, err)
			werr := st.InTx(ctx, func(tx store.Tx) error {
				_, err := runlog.Write(ctx, st, tx, runlog.Run{Flow: name, Kind: RunKindPoll, Started: started, Finished: r.now(),
					Entries: entries, Err: stop, Attempts: attempt})
				return err
			})
			return false, errors.Join(stop, werr)
		}
		entries = append(entries, e)
		if wrote(e) {
			done = append(done, h)
			if err := st.InTx(ctx, func(tx store.Tx) error {
				return st.SetCursor(ctx, tx, name, sourcePage, pageProgress(text, done), r.now())
			}); err != nil {
				return false, err
			}
		}
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		cur, err := st.GetCursor(ctx, tx, name, SourceTrigger)
		if err != nil {
			return err
		}
		// Another poll moved the cursor meanwhile: leave it (its work and
		// this one's are the same records).
		if cur == text {
			if err := st.SetCursor(ctx, tx, name, SourceTrigger, next, r.now()); err != nil {
				return err
			}
			if err := st.SetCursor(ctx, tx, name, sourcePage, "", r.now()); err != nil {
				return err
			}
		}
		if err := st.SetCursor(ctx, tx, name, sourcePolled, r.now().UTC().Format(time.RFC3339Nano), r.now()); err != nil {
			return err
		}
		if len(entries) == 0 {
			return nil
		}
		_, err = runlog.Write(ctx, st, tx, runlog.Run{Flow: name, Kind: RunKindPoll, Started: started, Finished: r.now(),
			Entries: entries, Attempts: attempt})
		return err
	})
	if err != nil {
		return false, err
	}
	return more, nil
}

// progress returns the hashes of the records of the page at cursor that an
// earlier attempt handled.
func (r *Runner) progress(ctx context.Context, name, cursor string) ([]string, error) {
	saved, err := r.store.GetCursor(ctx, r.store.DB(), name, sourcePage)
	if err != nil {
		return nil, err
	}
	return parseProgress(saved, cursor), nil
}

// parseProgress reads the saved progress of the page at cursor: the
// hashes of its records done, none when the progress is of another page
// (or unreadable, which only costs running those records again).
func parseProgress(saved, cursor string) []string {
	page, hashes, ok := strings.Cut(saved, "|")
	if !ok || page != shortHash([]byte(cursor)) || hashes == "" {
		return nil
	}
	return strings.Split(hashes, ",")
}

// pageProgress is the saved form of progress: the page's cursor, hashed,
// and the hashes of the records done.
func pageProgress(cursor string, done []string) string {
	return shortHash([]byte(cursor)) + "|" + strings.Join(done, ",")
}
