package syncer_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// crashAfter is a transport that cancels the engine's context once a
// request matching match was answered: the write landed, and nothing the
// engine does after it (the link update) commits, as when the process is
// killed right after the call.
type crashAfter struct {
	match  func(*http.Request) bool
	cancel context.CancelFunc
}

func (c crashAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && c.match(r) {
		c.cancel()
	}
	return res, err
}

// crashingEngine returns an engine on b's store and sandboxes whose
// context is cancelled right after the first request match answers.
func crashingEngine(t *testing.T, b *testBundle, match func(*http.Request) bool) (*syncer.Engine, context.Context) {
	t.Helper()
	ctx, cancel := context.WithCancel(b.ctx)
	t.Cleanup(cancel)
	gc, rc := b.env.Clients(&http.Client{Transport: crashAfter{match: match, cancel: cancel}})
	spec, err := syncer.DefaultSpec("two-way", b.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := syncer.New(syncer.Config{Spec: spec, Store: b.store, GHL: gc, Repsly: rc, Now: b.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return eng, ctx
}

// The City edits of the cases below: the one our cut-short write sent,
// and the rep's later one that must win.
const first, later = "Firstville", "Laterton"

// TestWriteCutShortIsNotAnEdit kills the engine right after a write
// landed and before its link update committed. Read back later, the
// written value must be known as the engine's own write: taken for an
// edit of that side, it would be synced back over the edit the other side
// made since, and an earlier value would return on both sides.
func TestWriteCutShortIsNotAnEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		unlinked bool // the case starts before the backfill linked the pair
		run      func(t *testing.T, b *testBundle, code, id string)
	}{
		{
			// A rep's City goes to the contact; the rep edits the City again
			// before the poll reads it; the contact's webhook for our write
			// comes first.
			name: "contact write",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editRepCity(t, b, code, first)
				eng, ctx := crashingEngine(t, b, func(r *http.Request) bool {
					return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/contacts/")
				})
				readAt := b.clock.Now()
				page, err := b.repsly.ExportClients(b.ctx, b.cursor)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := eng.ApplyRepsly(ctx, page.Items, readAt, syncer.BatchOptions{}); err == nil {
					t.Fatal("the crashed batch reported no error")
				}
				if ct, _ := b.env.GHL.Contact(id); ct.City != first {
					t.Fatalf("the write before the crash did not land: contact City %q", ct.City)
				}
				editRepCity(t, b, code, later)
				b.feedWebhooks(t) // the echo of the write cut short
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			},
		},
		{
			// A user's City goes to the client; the user edits it again and
			// that webhook is lost; the Repsly poll, reading our write, comes
			// first, and the reconcile poll brings the lost edit.
			name: "client write",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserCity(t, b, id, first)
				eng, ctx := crashingEngine(t, b, func(r *http.Request) bool {
					return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "importStatus")
				})
				changes := b.takeEvents(t)
				if _, err := eng.ApplyGHL(ctx, changes, syncer.BatchOptions{}); err == nil {
					t.Fatal("the crashed job reported no error")
				}
				if cl, _ := b.env.Repsly.Client(code); cl.City != first {
					t.Fatalf("the write before the crash did not land: client City %q", cl.City)
				}
				editUserCity(t, b, id, later)
				b.takeEvents(t) // lost
				b.pollRepsly(t, nil)
				b.applyFullRead(t, id)
			},
		},
		{
			// The contact's create was cut short (its link still says
			// creating); the retry relinks it and pushes the rep's City,
			// and is cut short too; the rep edits the City again. The
			// next retry must not take the contact's City, our write, for
			// a HighLevel edit made since the create.
			name:     "relink write",
			unlinked: true,
			run: func(t *testing.T, b *testBundle, code, _ string) {
				cutShortRelink(t, b, code)
				editRepCity(t, b, code, later)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			},
		},
		{
			// A create's first attempt stored its intent (the client as it
			// was) and was cut short before creating; the rep edits the
			// City; the retry creates the contact with the new City and is
			// cut short too; the rep edits the City again. The relink must
			// know the contact was made with the City of the retry, not
			// the intent's: else it takes that City for a HighLevel edit.
			name:     "create retried after its intent",
			unlinked: true,
			run: func(t *testing.T, b *testBundle, code, _ string) {
				crashedBatch(t, b, "first attempt", after(http.MethodPost, "/contacts/search"))
				if n := len(b.env.GHL.Contacts()); n != 0 {
					t.Fatalf("the first attempt created %d contacts", n)
				}
				editRepCity(t, b, code, first)
				crashedBatch(t, b, "create", after(http.MethodPost, "/contacts/"))
				if cts := b.env.GHL.Contacts(); len(cts) != 1 || cts[0].City != first {
					t.Fatalf("the create did not land with the rep's City: %d contacts", len(cts))
				}
				editRepCity(t, b, code, later)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			},
		},
		{
			// As above, and the next relink, which takes the contact's City
			// as our write, writes a user's website edit to Repsly and is
			// cut short too: its write-ahead must not drop the City entry
			// from the row, since the link state that took the City in was
			// never stored.
			name:     "write after taking in a cut-short write",
			unlinked: true,
			run: func(t *testing.T, b *testBundle, code, _ string) {
				id := cutShortRelink(t, b, code)
				editUserSite(t, b, id, "https://user.example.test")
				b.takeEvents(t)
				crashedBatch(t, b, "second relink", func(r *http.Request) bool { return strings.Contains(r.URL.Path, "importStatus") })
				if cl, _ := b.env.Repsly.Client(code); cl.Website != "https://user.example.test" {
					t.Fatalf("the second relink did not write the website: %q", cl.Website)
				}
				editRepCity(t, b, code, later)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 1})
			var code, id string
			if tt.unlinked {
				b.seen = len(b.env.GHL.Events())
				code = b.env.Repsly.Clients()[0].Code
			} else {
				code, id = linkedPair(t, b)
			}
			tt.run(t, b, code, id)
			if id == "" {
				id = b.env.GHL.Contacts()[0].ID
			}
			b.pollRepsly(t, nil)
			b.feedWebhooks(t)
			cl, _ := b.env.Repsly.Client(code)
			ct, _ := b.env.GHL.Contact(id)
			if cl.City != later || ct.City != later {
				t.Errorf("the later edit was lost: Repsly City %q, HighLevel City %q, want %q on both", cl.City, ct.City, later)
			}
		})
	}
}

// exportAll reads every client of the export from the start.
func exportAll(t *testing.T, b *testBundle) []repsly.ClientRecord {
	t.Helper()
	var out []repsly.ClientRecord
	for page, err := range repsly.Pages(b.ctx, b.repsly.ExportClients, repsly.TimestampCursor(0)) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
	}
	return out
}

// crashedBatch applies every client with an engine killed right after a
// request match answers; the batch must report that it failed.
func crashedBatch(t *testing.T, b *testBundle, what string, match func(*http.Request) bool) {
	t.Helper()
	eng, ctx := crashingEngine(t, b, match)
	if _, err := eng.ApplyRepsly(ctx, exportAll(t, b), b.clock.Now(), syncer.BatchOptions{}); err == nil {
		t.Fatalf("the crashed %s reported no error", what)
	}
}

// after matches a request by method and the end of its path.
func after(method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && strings.HasSuffix(r.URL.Path, suffix) }
}

// cutShortRelink cuts a client's contact create short, lets the rep edit
// the City, and cuts the relink short right after it pushed that City to
// the contact. It returns the contact's id.
func cutShortRelink(t *testing.T, b *testBundle, code string) string {
	t.Helper()
	crashedBatch(t, b, "create", after(http.MethodPost, "/contacts/"))
	editRepCity(t, b, code, first)
	id := b.env.GHL.Contacts()[0].ID
	crashedBatch(t, b, "relink", after(http.MethodPut, "/contacts/"+id))
	if ct, _ := b.env.GHL.Contact(id); ct.City != first {
		t.Fatalf("the relink's write did not land: contact City %q", ct.City)
	}
	return id
}
