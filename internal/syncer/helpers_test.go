package syncer_test

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

func zeroCursor() repsly.Cursor { return repsly.TimestampCursor(0) }

func contactOf(t *testing.T, b *testBundle, id string) ghl.Contact {
	t.Helper()
	c, err := b.ghl.GetContact(b.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return *c
}
