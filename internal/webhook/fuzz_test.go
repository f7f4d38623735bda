package webhook_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// FuzzServeHTTP sends arbitrary bodies and signature headers. The handler
// must never panic, must store nothing unless the body is validly signed,
// must store an accepted body byte for byte, and must never leave an inbox
// row without its job (or a job without its row).
func FuzzServeHTTP(f *testing.F) {
	f.Add(delivery("wh-1", knownLocation, 0), true, "", "")
	f.Add(delivery("wh-2", knownLocation, -time.Hour), true, "", "")
	f.Add(delivery("wh-3", "elsewhere", 0), true, "", "")
	f.Add(delivery("", knownLocation, 0), true, "", "")
	f.Add(delivery("wh-4", knownLocation, 0), false, "AAAA", "////")
	f.Add(delivery("wh-5", knownLocation, 0), false, sign(testKey(2), delivery("wh-5", knownLocation, 0)), "")
	f.Add([]byte(`{"type":"INSTALL","appId":"a","webhookId":"wh-6","timestamp":1772625600000}`), true, "", "")
	f.Add([]byte(`{"type":"ContactUpdate","webhookId":"wh-7","locationId":"`+knownLocation+`","timestamp":"1772625600"}`), true, "", "")
	f.Add([]byte(`{"type":1}`), true, "", "")
	f.Add([]byte("\xff"), true, "", "")
	f.Add([]byte{}, false, "", "")
	f.Add([]byte(`[]`), false, "=", "-_")

	b := setup(f, database.SQLite, options{})
	f.Fuzz(func(t *testing.T, body []byte, signIt bool, edSig, rsaSig string) {
		before := b.inboxRows(t)
		accepted := testutil.ToFloat64(b.received.WithLabelValues("accepted"))
		if signIt {
			edSig = sign(b.key, body)
		}
		header := http.Header{}
		if edSig != "" {
			header.Set(ghl.HeaderSignature, edSig)
		}
		if rsaSig != "" {
			header.Set(ghl.HeaderLegacySignature, rsaSig)
		}
		rec := b.post(body, header)

		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound,
			http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d %q", rec.Code, rec.Body)
		}
		after := b.inboxRows(t)
		if !signIt && (rec.Code == http.StatusOK || after != before) {
			t.Fatalf("unsigned body answered %d, inbox %d -> %d", rec.Code, before, after)
		}
		if rec.Code != http.StatusOK && after != before {
			t.Fatalf("refused with %d but inbox %d -> %d", rec.Code, before, after)
		}
		// Not b.jobs: the corpus run grows the tables, keep each run O(1).
		var jobs int
		var lastJob int64
		if err := b.store.DB().QueryRowContext(context.Background(),
			`SELECT count(*), coalesce(max(id), 0) FROM probe`).Scan(&jobs, &lastJob); err != nil {
			t.Fatal(err)
		}
		if jobs != after {
			t.Fatalf("%d inbox rows but %d jobs", after, jobs)
		}
		if testutil.ToFloat64(b.received.WithLabelValues("accepted")) == accepted {
			if after != before {
				t.Fatalf("not accepted but inbox %d -> %d", before, after)
			}
			return
		}
		if after != before+1 {
			t.Fatalf("accepted but inbox %d -> %d", before, after)
		}
		var note string
		if err := b.store.DB().QueryRowContext(context.Background(),
			`SELECT note FROM probe WHERE id = $1`, lastJob).Scan(&note); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(note, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := b.store.GetInboxEvent(context.Background(), b.store.DB(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Body != string(body) {
			t.Fatalf("stored %q, sent %q", ev.Body, body)
		}
	})
}
