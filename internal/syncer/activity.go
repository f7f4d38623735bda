package syncer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Activity kinds copied to HighLevel notes.
const (
	ActivityNote  = "note"
	ActivityVisit = "visit"
)

// Activity is one Repsly client note or visit, ready to become a note on
// the linked contact.
type Activity struct {
	Kind       string // ActivityNote or ActivityVisit
	ID         int64
	ClientCode string
	Body       string
	// Ready is false for a visit still in progress: it comes again (visits
	// page by timestamp) once it ends, with its duration.
	Ready bool
}

// marker tags a note with the activity it came from, so a retry after a
// crash finds the note it already made instead of making a second one.
func (a Activity) marker() string { return fmt.Sprintf("[repsly:%s:%d]", a.Kind, a.ID) }

// NoteActivity turns a Repsly client note into an Activity.
func NoteActivity(n repsly.ClientNote) Activity {
	body := fmt.Sprintf("Repsly note by %s on %s:\n%s", or(n.RepresentativeName, n.RepresentativeCode),
		fmtTime(n.DateAndTime.Time), strings.TrimSpace(n.Note))
	return Activity{Kind: ActivityNote, ID: n.ClientNoteID, ClientCode: n.ClientCode, Body: body, Ready: true}
}

// VisitActivity turns a Repsly visit into an Activity: who, when, how long.
func VisitActivity(v repsly.Visit) Activity {
	start, end := v.DateAndTimeStart.Time, v.DateAndTimeEnd.Time
	ready := v.VisitEnded || !end.IsZero()
	body := fmt.Sprintf("Repsly visit by %s on %s", or(v.RepresentativeName, v.RepresentativeCode), fmtTime(start))
	if ready && !end.IsZero() && end.After(start) {
		body += fmt.Sprintf(", %d min", int(end.Sub(start).Round(time.Minute).Minutes()))
	}
	return Activity{Kind: ActivityVisit, ID: v.VisitID, ClientCode: v.ClientCode, Body: body + ".", Ready: ready}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "an unknown date"
	}
	return t.Format("2006-01-02 15:04 MST")
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// ApplyActivity copies activities to notes on their clients' contacts,
// once each.
//
// Invariant (once each, nothing lost): an activity is claimed in
// activity_link before its note is created, and its note carries a marker.
// A retry of a claimed activity without a recorded note looks for the
// marker among the contact's notes before creating one.
func (e *Engine) ApplyActivity(ctx context.Context, acts []Activity, opts BatchOptions) (Result, error) {
	var res Result
	if !e.spec.pushesToGHL() {
		return res, nil
	}
	codes := make([]string, 0, len(acts))
	for _, a := range acts {
		codes = append(codes, a.ClientCode)
	}
	links, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, codes)
	if err != nil {
		return res, err
	}
	var transient error
	for _, a := range acts {
		key := a.Kind + ":" + strconv.FormatInt(a.ID, 10)
		l, ok := links[a.ClientCode]
		switch {
		case !a.Ready:
			res.add(Outcome{Side: GHL, Key: key, Action: ActSkip})
			continue
		case !ok || l.State == store.LinkDeleted:
			res.add(Outcome{Side: GHL, Key: key, Action: ActSkip, Err: fmt.Sprintf("client %s has no HighLevel contact", a.ClientCode)})
			continue
		case l.GHLID == "":
			// The client's contact is being created: come back later.
			transient = fmt.Errorf("client %s is still being linked", a.ClientCode)
			continue
		}
		if opts.DryRun {
			res.add(Outcome{Side: GHL, Key: key, Action: ActCreate, Fields: []string{"note"}})
			continue
		}
		out, err := e.copyActivity(ctx, a, l.GHLID)
		res.add(out)
		if err != nil && Transient(err) && transient == nil {
			transient = err
		}
	}
	if transient != nil {
		return res, &retryError{err: transient}
	}
	if opts.Commit != nil {
		if err := e.st.InTx(ctx, func(tx store.Tx) error { return opts.Commit(tx, res) }); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (e *Engine) copyActivity(ctx context.Context, a Activity, contactID string) (Outcome, error) {
	key := a.Kind + ":" + strconv.FormatInt(a.ID, 10)
	src := strconv.FormatInt(a.ID, 10)
	db := e.st.DB()
	claimed, err := e.st.ClaimActivity(ctx, db, e.spec.Flow, a.Kind, src, e.now())
	if err != nil {
		return Outcome{Side: GHL, Key: key, Action: ActError, Err: err.Error()}, err
	}
	if !claimed {
		note, _, err := e.st.ActivityNote(ctx, db, e.spec.Flow, a.Kind, src)
		if err != nil {
			return Outcome{Side: GHL, Key: key, Action: ActError, Err: err.Error()}, err
		}
		if note != "" {
			return Outcome{Side: GHL, Key: key, Action: ActUnchanged}, nil
		}
		// Claimed before, note unknown: it may exist already.
		notes, err := e.ghl.ListNotes(ctx, contactID)
		if err != nil && !errors.Is(err, ghl.ErrNotFound) {
			return Outcome{Side: GHL, Key: key, Action: ActError, Err: err.Error()}, err
		}
		for _, n := range notes {
			if strings.Contains(n.Body, a.marker()) {
				err := e.st.SetActivityNote(ctx, db, e.spec.Flow, a.Kind, src, contactID, n.ID)
				return Outcome{Side: GHL, Key: key, Action: ActLink}, err
			}
		}
	}
	n, err := e.ghl.CreateNote(ctx, contactID, ghl.NoteRequest{Body: a.Body + "\n" + a.marker()})
	if err != nil {
		return Outcome{Side: GHL, Key: key, Action: ActError, Err: err.Error()}, err
	}
	if err := e.st.SetActivityNote(ctx, db, e.spec.Flow, a.Kind, src, contactID, n.ID); err != nil {
		return Outcome{Side: GHL, Key: key, Action: ActError, Err: err.Error()}, err
	}
	return Outcome{Side: GHL, Key: key, Action: ActCreate, Fields: []string{"note"}}, nil
}
