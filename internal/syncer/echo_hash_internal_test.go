package syncer

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// A lazily recorded HighLevel write hashes as the states it was made of,
// eagerly computed: straight away, through the stored row, and after the
// link's states moved on (the row then holds the hash itself).
func TestLazyWrittenHash(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	spec, err := DefaultSpec("two-way", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	// As the template does, the client keeps its phone's form when it
	// means the contact's number: the image depends on the client.
	back := DefaultToRepsly()
	for i, f := range back.Fields {
		if f.Target == "Phone" {
			back.Fields[i] = mapping.FieldSpec{Target: "Phone", Expr: `e164(target.Phone, "US") == contact.phone ? target.Phone : contact.phone`}
		}
	}
	if spec.ToRepsly, err = mapping.Compile(back, mapping.Options{Roots: []string{"contact"}}); err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	g := map[string]any{"id": "c1", "firstName": "Ana", "lastName": "Li", "email": "ana@example.test", "phone": "+16175550100",
		"companyName": "Corner Bodega", "city": "Boston", "tags": []any{"grocery"}}
	r := map[string]any{"Code": "C1", "Name": "Corner Bodega", "ContactName": "Ana Li", "Email": "Ana@Example.test",
		"Phone": "617-555-0100", "City": "Boston", "Tag": "Grocery", "Active": true}
	want, err := e.repslyHashOf(ctx, g, r)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	ls := newLinkState(store.Link{ID: 1, Flow: "two-way", RepslyCode: "C1", GHLID: "c1", State: store.LinkLinked})
	ls.g, ls.r = g, r
	ls.markGHLWrittenLazy(at)

	img, err := e.imageToRepsly(ctx, g, r)
	if err != nil {
		t.Fatal(err)
	}
	for name, cur := range map[string]record{"computed": nil, "from the old image": img} {
		if got := e.ghlWrittenHash(ctx, ls, cur); got != want {
			t.Errorf("%s: hash %q, want %q", name, got, want)
		}
	}

	// Stored with the states it is of, the row keeps the marker; read
	// back, it hashes the row's states.
	row := ls.toLink(ctx, e)
	if row.GHLWrittenHash != lazyWrittenHash {
		t.Fatalf("row holds %q, want the lazy marker", row.GHLWrittenHash)
	}
	if got := e.ghlWrittenHash(ctx, newLinkState(row), nil); got != want {
		t.Fatalf("read back: hash %q, want %q", got, want)
	}

	// The client's phone changes form, not number: no write to
	// HighLevel, but the image changes: the row must hold the hash of the states of the
	// write, not of the new ones.
	saved := ls.snapshot()
	ls.r = overlay(r, map[string]any{"Phone": "(617) 555-0100"})
	if moved, _ := e.repslyHashOf(ctx, g, ls.r); moved == want {
		t.Fatal("the changed client does not change the image: the test proves nothing")
	}
	row = ls.toLink(ctx, e)
	if row.GHLWrittenHash != want {
		t.Fatalf("after the client changed the row holds %q, want %q", row.GHLWrittenHash, want)
	}
	if got := e.ghlWrittenHash(ctx, newLinkState(row), nil); got != want {
		t.Fatalf("settled, read back: hash %q, want %q", got, want)
	}

	// Undoing a failed step restores the lazy record with the link.
	ls.restore(saved)
	if ls.link.GHLWrittenHash != lazyWrittenHash || e.ghlWrittenHash(ctx, ls, nil) != want {
		t.Fatalf("restored: %q / %q, want the lazy marker of %q", ls.link.GHLWrittenHash, e.ghlWrittenHash(ctx, ls, nil), want)
	}
}
