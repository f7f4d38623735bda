package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

func TestFlowVersions(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		q := b.store.DB()
		in := store.FlowInput{Name: "clients", Kind: "sync", Description: "d1", YAML: "name: clients\n"}
		f, changed, err := b.store.PutFlow(b.ctx, q, in, b.now)
		if err != nil {
			t.Fatal(err)
		}
		if !changed || f.Version != 1 || !f.Enabled || f.Kind != "sync" || !f.CreatedAt.Equal(b.now) {
			t.Fatalf("first put: changed=%v flow=%+v", changed, f)
		}

		// The same YAML again is not a new version.
		f2, changed, err := b.store.PutFlow(b.ctx, q, in, b.now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if changed || f2.Version != 1 || !f2.UpdatedAt.Equal(b.now) {
			t.Fatalf("unchanged put: changed=%v flow=%+v", changed, f2)
		}

		in.YAML, in.Description = "name: clients\n# v2\n", "d2"
		later := b.now.Add(time.Hour)
		f3, changed, err := b.store.PutFlow(b.ctx, q, in, later)
		if err != nil {
			t.Fatal(err)
		}
		if !changed || f3.ID != f.ID || f3.Version != 2 || f3.Description != "d2" || !f3.UpdatedAt.Equal(later) || !f3.CreatedAt.Equal(b.now) {
			t.Fatalf("second put: changed=%v flow=%+v", changed, f3)
		}

		cur, err := b.store.GetFlowVersion(b.ctx, q, "clients", 0)
		if err != nil {
			t.Fatal(err)
		}
		if cur.Version != 2 || cur.YAML != in.YAML || cur.Name != "clients" || !cur.CreatedAt.Equal(later) {
			t.Fatalf("current version: %+v", cur)
		}
		v1, err := b.store.GetFlowVersion(b.ctx, q, "clients", 1)
		if err != nil {
			t.Fatal(err)
		}
		if v1.YAML != "name: clients\n" {
			t.Fatalf("version 1 yaml = %q", v1.YAML)
		}
		if _, err := b.store.GetFlowVersion(b.ctx, q, "clients", 3); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing version: %v", err)
		}
		if _, err := b.store.GetFlowVersion(b.ctx, q, "nope", 0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing flow: %v", err)
		}

		versions, err := b.store.ListFlowVersions(b.ctx, q, "clients")
		if err != nil {
			t.Fatal(err)
		}
		if len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 {
			t.Fatalf("versions: %+v", versions)
		}
	})
}

func TestFlowListEnableDelete(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		q := b.store.DB()
		for _, name := range []string{"b-flow", "a-flow"} {
			if _, _, err := b.store.PutFlow(b.ctx, q, store.FlowInput{Name: name, Kind: "automation", YAML: "name: " + name}, b.now); err != nil {
				t.Fatal(err)
			}
		}
		list, err := b.store.ListFlows(b.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Name != "a-flow" || list[1].Name != "b-flow" {
			t.Fatalf("list: %+v", list)
		}

		if err := b.store.SetFlowEnabled(b.ctx, q, "a-flow", false, b.now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		f, err := b.store.GetFlow(b.ctx, q, "a-flow")
		if err != nil {
			t.Fatal(err)
		}
		if f.Enabled || !f.UpdatedAt.Equal(b.now.Add(time.Second)) {
			t.Fatalf("after disable: %+v", f)
		}
		if err := b.store.SetFlowEnabled(b.ctx, q, "nope", true, b.now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("enable missing flow: %v", err)
		}

		if err := b.store.DeleteFlow(b.ctx, q, "a-flow"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.GetFlow(b.ctx, q, "a-flow"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted flow: %v", err)
		}
		if err := b.store.DeleteFlow(b.ctx, q, "a-flow"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		// A new flow under the old name starts again at version 1.
		f, _, err = b.store.PutFlow(b.ctx, q, store.FlowInput{Name: "a-flow", Kind: "automation", YAML: "x"}, b.now)
		if err != nil {
			t.Fatal(err)
		}
		if f.Version != 1 {
			t.Fatalf("recreated flow version %d", f.Version)
		}
	})
}

func TestFlowPutInTx(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		boom := errors.New("boom")
		err := b.store.InTx(b.ctx, func(tx store.Tx) error {
			if _, _, err := b.store.PutFlow(b.ctx, tx, store.FlowInput{Name: "x", Kind: "sync", YAML: "y"}, b.now); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if _, err := b.store.GetFlow(b.ctx, b.store.DB(), "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("flow survived rollback: %v", err)
		}
	})
}
