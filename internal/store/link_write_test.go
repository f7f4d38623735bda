package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestUpdateLinks: a batch's links are rewritten in one call; each reads
// back as given (a link given twice as its last occurrence), times and
// empty keys included, and a missing link or a taken key fails the update
// with the error callers branch on. (One UPDATE ... FROM (VALUES ...) per
// hundred links was tried: it cost SQLite more than a prepared statement
// run per link.)
func TestUpdateLinks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		db := b.store.DB()
		const n = 230
		links := make([]store.Link, n)
		for i := range links {
			links[i] = store.Link{Flow: "f", RepslyCode: fmt.Sprintf("C%03d", i), State: store.LinkCreatingGHL, CreatedAt: b.now}
		}
		var ids []int64
		if err := b.store.InTx(b.ctx, func(tx store.Tx) (err error) {
			ids, err = b.store.InsertLinksIfAbsent(b.ctx, tx, links)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		later := b.now.Add(time.Hour)
		for i := range links {
			l := &links[i]
			l.ID = ids[i]
			l.GHLID, l.State = fmt.Sprintf("g%03d", i), store.LinkLinked
			l.RepslyLast, l.GHLLast = fmt.Sprintf(`{"Name":"n%d"}`, i), fmt.Sprintf(`{"id":"g%03d"}`, i)
			l.FieldTimes, l.WriteMarks, l.PendingWrites = `[["t",["city"],[]]]`, `{}`, fmt.Sprintf(`{"ghl:city":{"v":"%d"}}`, i)
			l.GHLWrittenHash, l.RepslyWrittenHash = fmt.Sprintf("h%d", i), "="
			if i%2 == 0 {
				at := b.now.Add(time.Duration(i) * time.Second)
				l.GHLWrittenAt, l.RepslyWrittenAt = &at, &at
			}
			if i%7 == 0 {
				l.RepslyCode = "" // a link may lose a key
			}
		}
		twice := links[5]
		twice.GHLWrittenHash = "older"
		batch := append([]store.Link{twice}, links...)
		if err := b.store.InTx(b.ctx, func(tx store.Tx) error { return b.store.UpdateLinks(b.ctx, tx, batch, later) }); err != nil {
			t.Fatal(err)
		}
		for _, want := range links {
			got, err := b.store.GetLink(b.ctx, db, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.UpdatedAt.Equal(later) {
				t.Fatalf("link %d updated at %v, want %v", want.ID, got.UpdatedAt, later)
			}
			for _, p := range []struct{ got, want *time.Time }{{got.GHLWrittenAt, want.GHLWrittenAt}, {got.RepslyWrittenAt, want.RepslyWrittenAt}} {
				if (p.got == nil) != (p.want == nil) || (p.got != nil && !p.got.Equal(*p.want)) {
					t.Fatalf("link %d written at %v, want %v", want.ID, p.got, p.want)
				}
			}
			want.GHLWrittenAt, want.RepslyWrittenAt, want.CreatedAt, want.UpdatedAt = got.GHLWrittenAt, got.RepslyWrittenAt, got.CreatedAt, got.UpdatedAt
			if got != want {
				t.Fatalf("link read back as\n%+v\nwant\n%+v", got, want)
			}
		}

		gone := links[3]
		gone.ID = 1 << 40
		err := b.store.InTx(b.ctx, func(tx store.Tx) error {
			return b.store.UpdateLinks(b.ctx, tx, []store.Link{links[1], gone, links[2]}, later)
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("update of a missing link: %v", err)
		}
		taken := links[2]
		taken.GHLID = links[1].GHLID
		err = b.store.InTx(b.ctx, func(tx store.Tx) error {
			return b.store.UpdateLinks(b.ctx, tx, []store.Link{links[0], taken}, later.Add(time.Hour))
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("update to a taken contact: %v", err)
		}
		if got, _ := b.store.GetLink(b.ctx, db, links[0].ID); !got.UpdatedAt.Equal(later) || got.GHLID != links[0].GHLID {
			t.Fatalf("a failed update changed link %d: %+v", links[0].ID, got)
		}
	})
}
