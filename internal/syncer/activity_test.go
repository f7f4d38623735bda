package syncer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func TestActivityBecomesNotesOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 3})
	b.pollRepsly(t, nil)
	client := b.env.Repsly.Clients()[0]
	reps := b.env.Repsly.Representatives()
	start := b.clock.Now()
	if _, err := b.env.Repsly.RepAddNote(reps[0].Code, client.Code, "Wants a bigger display"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.env.Repsly.RepAddVisit(reps[0].Code, client.Code, start, start.Add(25*time.Minute)); err != nil {
		t.Fatal(err)
	}
	var acts []syncer.Activity
	for page, err := range repsly.Pages(b.ctx, b.repsly.ExportClientNotes, repsly.IDCursor(0)) {
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Items {
			if n.ClientCode == client.Code {
				acts = append(acts, syncer.NoteActivity(n))
			}
		}
	}
	for page, err := range repsly.Pages(b.ctx, b.repsly.ExportVisits, repsly.TimestampCursor(0)) {
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Items {
			if v.ClientCode == client.Code {
				acts = append(acts, syncer.VisitActivity(v))
			}
		}
	}
	if len(acts) < 2 {
		t.Fatalf("found %d activities", len(acts))
	}
	count := func() (int, []string) {
		links, _ := b.store.LinksByRepslyCodes(b.ctx, b.store.DB(), "two-way", []string{client.Code})
		ns, err := b.ghl.ListNotes(b.ctx, links[client.Code].GHLID)
		if err != nil {
			t.Fatal(err)
		}
		var bodies []string
		for _, n := range ns {
			bodies = append(bodies, n.Body)
		}
		return len(ns), bodies
	}
	before, _ := count()
	for range 2 { // the second pass is a replay: nothing new
		if _, err := b.engine.ApplyActivity(b.ctx, acts, syncer.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	after, bodies := count()
	ready := 0
	for _, a := range acts {
		if a.Ready {
			ready++
		}
	}
	if after-before != ready {
		t.Fatalf("%d notes made for %d finished activities:\n%s", after-before, ready, strings.Join(bodies, "\n---\n"))
	}
	joined := strings.Join(bodies, "\n")
	if !strings.Contains(joined, "Wants a bigger display") || !strings.Contains(joined, "25 min") {
		t.Fatalf("notes lack the activity:\n%s", joined)
	}
}
