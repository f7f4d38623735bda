package repsly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func realization(i int, mod time.Time) map[string]any {
	return map[string]any{"ScheduleId": fmt.Sprintf("s-%04d", i), "ModifiedUTC": FormatDate(mod, LayoutISOMillis), "Status": "Planned"}
}

func TestVisitRealizationsPaging(t *testing.T) {
	t.Parallel()
	b := setup(t)
	start := time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)
	for i := range 120 {
		b.fake.add("export_visit_realizations", realization(i, start.Add(time.Duration(i)*time.Minute)))
	}
	var ids []string
	var skips []int
	cur := ModifiedCursor(start)
	for page, err := range Pages(context.Background(), b.client.ExportVisitRealizations, cur) {
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			ids = append(ids, r.ScheduleID)
		}
		skips = append(skips, page.Next.Skip)
		cur = page.Next
	}
	if len(ids) != 120 {
		t.Fatalf("got %d realizations, want 120", len(ids))
	}
	if fmt.Sprint(skips) != "[50 100 0]" {
		t.Fatalf("skips handed back %v", skips)
	}
	if want := start.Add(119 * time.Minute); !cur.Modified.Equal(want) || cur.Skip != 0 {
		t.Fatalf("final cursor %s, want modified %v skip 0", cur, want)
	}
	log := b.fake.log()
	if !strings.HasPrefix(log[0], "GET export/visitrealizations?modified=2022-03-31T00%3A00%3A00.000Z&skip=0") {
		t.Fatalf("first request %q", log[0])
	}
	if len(log) != 3 {
		t.Fatalf("requests %v", log)
	}
}

func TestVisitRealizationsSkipLimit(t *testing.T) {
	t.Parallel()
	start := time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)
	t.Run("refused before calling", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, skip := range []int{MaxSkip + 1, 20000, -50} {
			_, err := b.client.ExportVisitRealizations(context.Background(), Cursor{Kind: CursorModified, Modified: start, Skip: skip})
			var sl *SkipLimitError
			if !errors.As(err, &sl) || !errors.Is(err, ErrSkipLimit) || sl.Skip != skip {
				t.Fatalf("skip %d: err = %v", skip, err)
			}
		}
		if n := len(b.fake.log()); n != 0 {
			t.Fatalf("%d requests sent", n)
		}
	})
	t.Run("window restarts at newest seen", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
			rows := make([]map[string]any, PageSize)
			for i := range rows {
				rows[i] = realization(i, start.Add(time.Duration(i)*time.Second))
			}
			writeJSON(w, http.StatusOK, map[string]any{metaKey: map[string]any{"TotalCount": PageSize}, "VisitRealizations": rows})
			return true
		}
		page, err := b.client.ExportVisitRealizations(context.Background(), Cursor{Kind: CursorModified, Modified: start, Skip: MaxSkip})
		if err != nil {
			t.Fatal(err)
		}
		want := Cursor{Kind: CursorModified, Modified: start.Add(49 * time.Second)}
		if !page.Next.Equal(want) || !page.More {
			t.Fatalf("next %s, want %s", page.Next, want)
		}
	})
	t.Run("one instant over the limit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
			rows := make([]map[string]any, PageSize)
			for i := range rows {
				rows[i] = realization(i, start)
			}
			writeJSON(w, http.StatusOK, map[string]any{"VisitRealizations": rows})
			return true
		}
		_, err := b.client.ExportVisitRealizations(context.Background(), Cursor{Kind: CursorModified, Modified: start, Skip: MaxSkip - 40})
		if !errors.Is(err, ErrSkipLimit) {
			t.Fatalf("err = %v, want ErrSkipLimit", err)
		}
	})
	t.Run("server 400 above limit is a bad cursor", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Code": 1, "Message": "skip too large"})
			return true
		}
		_, err := b.client.ExportVisitRealizations(context.Background(), ModifiedCursor(start))
		if !errors.Is(err, ErrBadCursor) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestExportRange(t *testing.T) {
	t.Parallel()
	t.Run("week windows", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for i := range 20 {
			d := time.Date(2024, 11, 1+i, 0, 0, 0, 0, time.UTC)
			b.fake.add("export_schedules", map[string]any{"ScheduleCode": fmt.Sprint("S", i),
				"ScheduledDate": d.Format(time.DateOnly), "ScheduledTime": "15:00"})
		}
		got, err := b.client.ExportSchedules(context.Background(),
			time.Date(2024, 11, 3, 18, 0, 0, 0, time.UTC), time.Date(2024, 11, 18, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 16 || got[0].ScheduleCode != "S2" || got[0].ScheduledTime.Layout != LayoutClock {
			t.Fatalf("got %d schedules, first %+v", len(got), got[0])
		}
		want := "GET export/schedules/2024-11-03/2024-11-09,GET export/schedules/2024-11-10/2024-11-16,GET export/schedules/2024-11-17/2024-11-18"
		if log := strings.Join(b.fake.log(), ","); log != want {
			t.Fatalf("requests %s", log)
		}
	})
	t.Run("full window splits", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for i := range 70 {
			d := time.Date(2024, 11, 1+i%7, 0, 0, 0, 0, time.UTC)
			b.fake.add("export_visit_schedules", map[string]any{"ScheduledDate": d.Format(time.DateOnly), "ClientCode": fmt.Sprint("C", i)})
		}
		got, err := b.client.ExportVisitSchedules(context.Background(),
			time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 7, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 70 {
			t.Fatalf("got %d, want 70 (requests %v)", len(got), b.fake.log())
		}
	})
	t.Run("end before begin", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.client.ExportRange(context.Background(), "export_schedules",
			time.Date(2024, 11, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC))
		if err == nil {
			t.Fatal("want error")
		}
		if _, err := b.client.ExportRange(context.Background(), "export_clients", time.Now(), time.Now()); !errors.Is(err, ErrCursorKind) {
			t.Fatalf("err = %v", err)
		}
	})
}
