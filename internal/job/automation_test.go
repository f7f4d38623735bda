package job_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// fakeAutomations records what the workers ask of the automation runner.
type fakeAutomations struct {
	mu      sync.Mutex
	due     []string
	pages   int   // PollPage reports more for this many calls
	pollErr error // returned by the first PollPage
	hookErr error // returned by the first HandleEvent
	polls   []string
	events  []int64
	called  chan struct{}
}

func newFake() *fakeAutomations { return &fakeAutomations{called: make(chan struct{}, 100)} }

func (f *fakeAutomations) DuePolls(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.due), nil
}

func (f *fakeAutomations) PollPage(_ context.Context, flow string, _ int) (bool, error) {
	f.mu.Lock()
	defer func() { f.mu.Unlock(); f.called <- struct{}{} }()
	f.polls = append(f.polls, flow)
	if err := f.pollErr; err != nil {
		f.pollErr = nil
		return false, err
	}
	if f.pages > 0 {
		f.pages--
		return true, nil
	}
	return false, nil
}

func (f *fakeAutomations) HandleEvent(_ context.Context, ev store.InboxEvent, _ int) error {
	f.mu.Lock()
	defer func() { f.mu.Unlock(); f.called <- struct{}{} }()
	f.events = append(f.events, ev.ID)
	if err := f.hookErr; err != nil {
		f.hookErr = nil
		return err
	}
	return nil
}

// noEngines has no sync flow.
type noEngines struct{}

func (noEngines) Engine(context.Context, string) (*syncer.Engine, error) {
	return nil, errors.New("no sync flow")
}
func (noEngines) SyncFlows(context.Context) ([]string, error)           { return nil, nil }
func (noEngines) ForLocation(context.Context, string) ([]string, error) { return nil, nil }

type automationBundle struct {
	ctx     context.Context
	store   *store.Store
	client  *job.Client
	events  <-chan *river.Event
	backlog []*river.Event
}

// automationSetup starts River with the sync workers (on no sync flow)
// and the automation workers on fake.
func automationSetup(t *testing.T, d database.Dialect, fake *fakeAutomations) *automationBundle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	db := databasetest.Open(t, d)
	st := store.New(db)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := &automationBundle{ctx: ctx, store: st}
	c, err := job.NewClient(db, job.Config{
		Logger: logger,
		Workers: job.NewWorkers(job.Deps{Logger: logger, Now: time.Now, Store: st, Engines: noEngines{}, Automations: fake,
			Jobs: func() *job.Client { return b.client }}),
		JobTimeout:        time.Minute,
		MaxWorkers:        2,
		RetryPolicy:       retryNow{},
		FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	b.client = c
	events, unsubscribe := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobSnoozed)
	t.Cleanup(unsubscribe)
	b.events = events
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(stopCtx)
	})
	return b
}

// waitFor waits for a job event of the kind and job kind. Events that
// arrive while waiting for another are kept for later calls: River's
// completer reports in batches, so a job's completion may come before
// that of the job that enqueued it.
func (b *automationBundle) waitFor(t *testing.T, event river.EventKind, jobKind string) *river.Event {
	t.Helper()
	for i, ev := range b.backlog {
		if ev.Kind == event && ev.Job.Kind == jobKind {
			b.backlog = slices.Delete(b.backlog, i, i+1)
			return ev
		}
	}
	for {
		select {
		case ev := <-b.events:
			if ev.Kind == event && ev.Job.Kind == jobKind {
				return ev
			}
			b.backlog = append(b.backlog, ev)
		case <-b.ctx.Done():
			t.Fatalf("no %s of a %s job", event, jobKind)
			return nil
		}
	}
}

func TestAutomationPollJob(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fake := newFake()
			fake.pages = 2
			fake.due = []string{"notes", "forms"}
			b := automationSetup(t, d, fake)
			// The scheduler enqueues a poll per due automation flow.
			if _, err := b.client.Insert(b.ctx, job.SchedulePollsArgs{}, nil); err != nil {
				t.Fatal(err)
			}
			b.waitFor(t, river.EventKindJobCompleted, "schedule_polls")
			b.waitFor(t, river.EventKindJobCompleted, "automation_poll")
			b.waitFor(t, river.EventKindJobCompleted, "automation_poll")
			fake.mu.Lock()
			defer fake.mu.Unlock()
			// Two pages reported more, so one flow was polled three times.
			slices.Sort(fake.polls)
			if got := fmt.Sprint(fake.polls); got != "[forms forms forms notes]" && got != "[forms notes notes notes]" {
				t.Errorf("polls = %v", fake.polls)
			}
		})
	}
}

func TestAutomationPollJobRetries(t *testing.T) {
	t.Parallel()
	fake := newFake()
	fake.pollErr = fmt.Errorf("automation: flow notes: %w", ghl.ErrServer)
	b := automationSetup(t, databasetest.Dialects()[0], fake)
	if _, err := b.client.Insert(b.ctx, job.AutomationPollArgs{Flow: "notes"}, nil); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, river.EventKindJobFailed, "automation_poll")
	ev := b.waitFor(t, river.EventKindJobCompleted, "automation_poll")
	if ev.Job.Attempt != 2 {
		t.Errorf("completed on attempt %d, want 2", ev.Job.Attempt)
	}
}

// TestAutomationPollSnoozesOnRateLimit: a 429 snoozes for the wait
// HighLevel named instead of spending an attempt (DESIGN 5).
func TestAutomationPollSnoozesOnRateLimit(t *testing.T) {
	t.Parallel()
	fake := newFake()
	fake.pollErr = fmt.Errorf("automation: flow notes: %w", &ghl.RateLimitError{APIError: &ghl.APIError{StatusCode: 429}, RetryAfter: 9 * time.Second})
	w := &job.AutomationPollWorker{Logger: slog.New(slog.DiscardHandler), Automations: fake}
	err := w.Work(context.Background(), &river.Job[job.AutomationPollArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: job.AutomationPollArgs{Flow: "notes"}})
	var snooze *rivertype.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration != 9*time.Second {
		t.Fatalf("Work = %v, want a 9s snooze", err)
	}
}

// TestAutomationPollStopsOnBudget: with pages left, a poll job stops
// starting new ones once its time budget is spent; the next tick goes on.
func TestAutomationPollStopsOnBudget(t *testing.T) {
	t.Parallel()
	fake := newFake()
	fake.pages = 100
	clock := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(4 * time.Second); return clock }
	w := &job.AutomationPollWorker{Logger: slog.New(slog.DiscardHandler), Automations: fake, Now: now}
	if err := w.Work(context.Background(), &river.Job[job.AutomationPollArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: job.AutomationPollArgs{Flow: "notes"}}); err != nil {
		t.Fatal(err)
	}
	// Each reading of the clock moves it 4 s: pages start at 4 and 8 s
	// after the job began, not at 12.
	if got := len(fake.polls); got != 2 {
		t.Fatalf("%d pages polled, want 2 within the budget", got)
	}
}

// TestWebhookRunsAutomations: every delivery, of any event type, goes to
// the automation flows first; a failure retries the delivery.
func TestWebhookRunsAutomations(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fake := newFake()
			fake.hookErr = fmt.Errorf("automation: flow visits: %w", ghl.ErrServer)
			b := automationSetup(t, d, fake)
			var id int64
			err := b.store.InTx(b.ctx, func(tx store.Tx) error {
				var err error
				id, err = b.store.InsertInboxEvent(b.ctx, tx, store.InboxEvent{Source: "ghl", LocationID: "loc-1", EventID: "wh-1",
					EventType: "TaskCreate", ReceivedAt: time.Now(),
					Body: `{"type":"TaskCreate","locationId":"loc-1","id":"task-1","contactId":"c-1","title":"Visit the store"}`})
				if err != nil {
					return err
				}
				_, err = b.client.InsertTx(b.ctx, tx, job.GHLWebhookArgs{InboxID: id}, nil)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			b.waitFor(t, river.EventKindJobFailed, "ghl_webhook")
			b.waitFor(t, river.EventKindJobCompleted, "ghl_webhook")
			fake.mu.Lock()
			events := slices.Clone(fake.events)
			fake.mu.Unlock()
			if !slices.Equal(events, []int64{id, id}) {
				t.Errorf("HandleEvent got inbox ids %v, want %d twice (the failure, the retry)", events, id)
			}
			ev, err := b.store.GetInboxEvent(b.ctx, b.store.DB(), id)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Status != "ignored" { // no sync flow takes a task event
				t.Errorf("inbox status = %q", ev.Status)
			}
		})
	}
}
