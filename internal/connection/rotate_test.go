package connection_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// TestRotateUnderLoad rotates the key while readers open every secret
// and writers add connections; afterwards every secret opens to its
// original value and none is still under the old key.
func TestRotateUnderLoad(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		const n = 20
		for i := range n {
			if _, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: fmt.Sprintf("r%d", i), Username: "u",
				Password: vault.NewSecret(fmt.Sprintf("pw-%d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithCancel(b.ctx)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for w := range 3 {
			wg.Go(func() {
				for i := 0; ctx.Err() == nil; i = (i + 1) % n {
					sec, err := b.svc.Secret(b.ctx, fmt.Sprintf("r%d", i), "password")
					if err != nil || sec.Reveal() != fmt.Sprintf("pw-%d", i) {
						errs <- fmt.Errorf("reader %d: r%d: %q %v", w, i, sec.Reveal(), err)
						return
					}
				}
			})
		}
		wg.Go(func() {
			for i := 0; i < 10 && ctx.Err() == nil; i++ {
				if _, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: fmt.Sprintf("late%d", i), Username: "u",
					Password: vault.NewSecret(fmt.Sprintf("late-%d", i))}); err != nil {
					errs <- err
					return
				}
			}
		})
		res, err := b.svc.RotateKey(b.ctx)
		cancel()
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		if err != nil {
			t.Fatal(err)
		}
		if res.Reencrypted < n {
			t.Fatalf("re-encrypted %d secrets, want at least %d", res.Reencrypted, n)
		}
		// A second pass finds nothing left under the old key.
		res2, err := b.svc.RotateKey(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := b.svc.List(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res2.Reencrypted != len(all) {
			t.Fatalf("second rotation re-encrypted %d, want every one of the %d secrets", res2.Reencrypted, len(all))
		}
		for i := range n {
			sec, err := b.svc.Secret(b.ctx, fmt.Sprintf("r%d", i), "password")
			if err != nil || sec.Reveal() != fmt.Sprintf("pw-%d", i) {
				t.Fatalf("after rotation r%d: %v", i, err)
			}
		}
	})
}
