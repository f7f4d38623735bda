package vault

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
)

// table imitates a store table of sealed secrets, with the row-by-row
// compare-and-swap a real store does in its per-row transaction.
type table struct {
	mu   sync.Mutex
	rows map[string]string // aad -> sealed
}

func (tb *table) get(aad string) string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.rows[aad]
}

func (tb *table) set(aad, sealed string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.rows[aad] = sealed
}

func (tb *table) each(ctx context.Context, fn func(aad, sealed string) (string, error)) error {
	tb.mu.Lock()
	aads := slices.Sorted(maps.Keys(tb.rows))
	tb.mu.Unlock()
	for _, aad := range aads {
		old := tb.get(aad)
		resealed, err := fn(aad, old)
		if err != nil {
			return fmt.Errorf("row %s: %w", aad, err)
		}
		tb.mu.Lock()
		// Write only if nobody changed the row meanwhile (the real store
		// re-reads the row in its transaction).
		if tb.rows[aad] == old {
			tb.rows[aad] = resealed
		}
		tb.mu.Unlock()
	}
	return nil
}

func TestRotate(t *testing.T) {
	t.Parallel()

	b := setup(t)
	tb := &table{rows: map[string]string{}}
	for i := range 20 {
		aad := fmt.Sprintf("connection:%d:token", i)
		tb.set(aad, mustSeal(t, b.ring, aad, fmt.Sprintf("value-%d", i)))
	}
	oldID := b.ring.PrimaryID()

	res, err := b.ring.Rotate(t.Context(), tb.each)
	if err != nil {
		t.Fatal(err)
	}
	if res.PrimaryID == oldID || res.PrimaryID != b.ring.PrimaryID() || res.Reencrypted != 20 || res.Unchanged != 0 {
		t.Fatalf("result = %+v (old primary %s)", res, oldID)
	}
	for i := range 20 {
		aad := fmt.Sprintf("connection:%d:token", i)
		sealed := tb.get(aad)
		if b.ring.NeedsRotation(sealed) {
			t.Fatalf("%s still under an old key", aad)
		}
		got, err := b.ring.Open(aad, sealed)
		if err != nil || string(got) != fmt.Sprintf("value-%d", i) {
			t.Fatalf("%s: %q, %v", aad, got, err)
		}
	}

	// A second pass has nothing to do; the stored keys survive a restart.
	res, err = b.ring.Reencrypt(t.Context(), tb.each)
	if err != nil || res.Reencrypted != 0 || res.Unchanged != 20 {
		t.Fatalf("second pass = %+v, %v", res, err)
	}
	reloaded, err := LoadKeyring(t.Context(), Config{Master: b.master, Store: b.store})
	if err != nil || reloaded.PrimaryID() != res.PrimaryID || len(reloaded.KeyIDs()) != 2 {
		t.Fatalf("reloaded: %v, %v", reloaded.KeyIDs(), err)
	}
}

func TestRotateFailureResumes(t *testing.T) {
	t.Parallel()

	b := setup(t)
	tb := &table{rows: map[string]string{}}
	for i := range 5 {
		aad := fmt.Sprintf("r:%d:f", i)
		tb.set(aad, mustSeal(t, b.ring, aad, "v"))
	}
	tb.set("r:9:f", "corrupt")

	_, err := b.ring.Rotate(t.Context(), tb.each)
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	// Everything stays readable after the failed pass.
	for i := range 5 {
		aad := fmt.Sprintf("r:%d:f", i)
		if _, err := b.ring.Open(aad, tb.get(aad)); err != nil {
			t.Fatalf("%s: %v", aad, err)
		}
	}
	tb.set("r:9:f", mustSeal(t, b.ring, "r:9:f", "fixed"))
	res, err := b.ring.Reencrypt(t.Context(), tb.each)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reencrypted+res.Unchanged != 6 {
		t.Fatalf("result = %+v", res)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.ring.Reencrypt(ctx, tb.each); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}
}

// TestRotateConcurrent rotates while writers seal and readers open: no secret
// may be lost or become unreadable.
func TestRotateConcurrent(t *testing.T) {
	t.Parallel()

	b := setup(t)
	tb := &table{rows: map[string]string{}}
	const writers, rowsPerWriter = 4, 25
	for w := range writers {
		for r := range rowsPerWriter {
			aad := fmt.Sprintf("conn:%d-%d:token", w, r)
			tb.set(aad, mustSeal(t, b.ring, aad, "initial"))
		}
	}

	var (
		wg      sync.WaitGroup
		stop    = make(chan struct{})
		started = make(chan struct{}, writers)
		errs    = make(chan error, writers)
		last    = make([]map[string]string, writers) // per writer: aad -> last plaintext
	)
	for w := range writers {
		last[w] = map[string]string{}
		wg.Go(func() {
			for n := 0; ; n++ {
				aad := fmt.Sprintf("conn:%d-%d:token", w, n%rowsPerWriter)
				pt := fmt.Sprintf("w%d-n%d", w, n)
				sealed, err := b.ring.Seal(aad, []byte(pt))
				if err != nil {
					errs <- err
					return
				}
				tb.set(aad, sealed)
				last[w][aad] = pt
				if got, err := b.ring.Open(aad, tb.get(aad)); err != nil || string(got) != pt {
					errs <- fmt.Errorf("%s: read back %q, %v", aad, got, err)
					return
				}
				// Read another writer's row too.
				other := fmt.Sprintf("conn:%d-%d:token", (w+1)%writers, n%rowsPerWriter)
				if _, err := b.ring.Open(other, tb.get(other)); err != nil {
					errs <- fmt.Errorf("%s: %w", other, err)
					return
				}
				if n == 0 {
					started <- struct{}{}
				}
				select {
				case <-stop:
					return
				default:
				}
			}
		})
	}
	for range writers {
		<-started
	}
	oldID := b.ring.PrimaryID()
	_, rotErr := b.ring.Rotate(t.Context(), tb.each)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if rotErr != nil {
		t.Fatal(rotErr)
	}

	// Writers may have sealed under the old primary just before the switch;
	// a second pass catches those.
	if _, err := b.ring.Reencrypt(t.Context(), tb.each); err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		for r := range rowsPerWriter {
			aad := fmt.Sprintf("conn:%d-%d:token", w, r)
			want, ok := last[w][aad]
			if !ok {
				want = "initial"
			}
			sealed := tb.get(aad)
			got, err := b.ring.Open(aad, sealed)
			if err != nil || string(got) != want {
				t.Fatalf("%s = %q, %v; want %q", aad, got, err, want)
			}
			if b.ring.NeedsRotation(sealed) {
				t.Fatalf("%s still under old key %s", aad, oldID)
			}
		}
	}
}
