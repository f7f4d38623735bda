package syncer_test

import (
	"strings"
	"testing"
	"time"
)

// TestDeferredImports syncs HighLevel edits to Repsly without waiting for
// the import jobs (Config.DeferImportChecks): each costs one call, the
// poll or a status read settles the job, and nothing is lost when a job
// fails or a read cannot tell whether it ran.
func TestDeferredImports(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300) // over Repsly's 255 characters: the job fails
	tests := []struct {
		name string
		// run makes the edits and syncs them; check is then run.
		run func(t *testing.T, b *testBundle, code, id string)
		// wantCity is the City both sides end with; wantRepsly, when set,
		// is the client's instead (the failed job).
		wantCity, wantRepsly string
		// wantStatusReads is the status reads of the whole case.
		wantStatusReads int64
		// wantError is a part of the error CheckImports reports.
		wantError string
	}{
		{
			name: "confirmed by the poll",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserCity(t, b, id, "Newtown")
				b.feedWebhooks(t)
				if got := pendingLinks(t, b); got != 1 {
					t.Fatalf("%d links hold pending writes after the import was sent, want 1", got)
				}
				b.pollRepsly(t, nil)
				if got := pendingLinks(t, b); got != 0 {
					t.Fatalf("%d links hold pending writes after the poll showed the import, want 0", got)
				}
			},
			wantCity: "Newtown",
		},
		{
			name: "failed job",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserCity(t, b, id, long)
				b.feedWebhooks(t)
				b.pollRepsly(t, nil) // the client did not change: nothing shows
			},
			wantCity: long, wantRepsly: "Oldcity", wantStatusReads: 1, wantError: "City is longer than 255",
		},
		{
			// The poll read the client before the job ran: the field is
			// held, not taken for a rep's edit back to the old value.
			name: "poll read before the job ran",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserCity(t, b, id, "Newtown")
				editRepEmail(t, b, code, "rep@example.test") // puts the client in the page
				readAt := b.clock.Now()
				page, err := b.repsly.ExportClients(b.ctx, b.cursor)
				if err != nil {
					t.Fatal(err)
				}
				b.feedWebhooks(t)
				applyPage(t, b, page.Items, readAt)
				if ct, _ := b.env.GHL.Contact(id); ct.City != "Newtown" {
					t.Fatalf("the read from before the job set the contact back: City %q", ct.City)
				}
			},
			wantCity: "Newtown", wantStatusReads: 1,
		},
		{
			// A rep edited the field after the job ran and the poll read
			// it while the job was unsettled: held then, read again once
			// the job settles, and synced.
			name: "rep edit while the job was unsettled",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserCity(t, b, id, "Newtown")
				b.feedWebhooks(t)
				editRepCity(t, b, code, "Reptown")
				readAt := b.clock.Now().Add(-time.Hour) // as if read before the job ran
				page, err := b.repsly.ExportClients(b.ctx, b.cursor)
				if err != nil {
					t.Fatal(err)
				}
				applyPage(t, b, page.Items, readAt)
				b.cursor = page.Next
			},
			wantCity: "Reptown", wantStatusReads: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 1, deferImports: true})
			code, id := linkedPair(t, b)
			editRepCity(t, b, code, "Oldcity")
			b.pollRepsly(t, nil)
			b.feedWebhooks(t)
			statusBefore, importsBefore := statusReads(b), b.env.Repsly.RequestCount("import/client")
			tt.run(t, b, code, id)
			b.clock.Advance(time.Minute)
			res, err := b.engine.CheckImports(b.ctx, b.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, o := range res.Errors() {
				errs = append(errs, o.Err)
			}
			switch {
			case tt.wantError == "" && len(errs) > 0:
				t.Errorf("CheckImports reported %q", errs)
			case tt.wantError != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.wantError)):
				t.Errorf("CheckImports reported %q, want one error naming %q", errs, tt.wantError)
			}
			// A rep's edit of another field brings the client into the
			// next poll, City and all.
			editRepEmail(t, b, code, "later@example.test")
			for range 2 {
				b.clock.Advance(time.Second)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			}
			wantRepsly := tt.wantCity
			if tt.wantRepsly != "" {
				wantRepsly = tt.wantRepsly
			}
			cl, _ := b.env.Repsly.Client(code)
			ct, _ := b.env.GHL.Contact(id)
			if cl.City != wantRepsly || ct.City != tt.wantCity {
				t.Errorf("Repsly City %.20q, HighLevel City %.20q; want %.20q and %.20q", cl.City, ct.City, wantRepsly, tt.wantCity)
			}
			if got := statusReads(b) - statusBefore; got != tt.wantStatusReads {
				t.Errorf("%d import status reads, want %d", got, tt.wantStatusReads)
			}
			// One edit, one import: no correction sent after it.
			if got := b.env.Repsly.RequestCount("import/client") - importsBefore; got != 1 {
				t.Errorf("%d imports, want 1", got)
			}
			if got := pendingLinks(t, b); got != 0 {
				t.Errorf("%d links still hold pending writes", got)
			}
			// Settled: nothing more to do, and no call to find that out.
			before := b.calls()
			if _, err := b.engine.CheckImports(b.ctx, b.clock.Now()); err != nil {
				t.Fatal(err)
			}
			if got := b.calls() - before; got != 0 {
				t.Errorf("a check with nothing pending made %d calls", got)
			}
		})
	}
}

func pendingLinks(t *testing.T, b *testBundle) int {
	t.Helper()
	links, err := b.store.LinksWithPendingWrites(b.ctx, b.store.DB(), "two-way")
	if err != nil {
		t.Fatal(err)
	}
	return len(links)
}

func statusReads(b *testBundle) int64 {
	return b.env.Repsly.RequestCount("export/importStatus")
}
