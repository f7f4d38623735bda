package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

func TestConnectionCRUD(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		exp := b.now.Add(time.Hour)
		c := store.Connection{Name: "acme", App: store.AppGHL, AuthKind: store.AuthOAuth, BaseURL: "http://x",
			LocationID: "loc1", Scopes: []string{"contacts.readonly", "contacts.write"}, Status: store.StatusActive, CreatedAt: b.now}
		var id int64
		err := b.store.InTx(b.ctx, func(tx store.Tx) error {
			var err error
			if id, err = b.store.InsertConnection(b.ctx, tx, c); err != nil {
				return err
			}
			c.ID = id
			c.AccessToken, c.RefreshToken, c.TokenExpiresAt = "sealed-a", "sealed-r", &exp
			return b.store.UpdateConnectionSecrets(b.ctx, tx, c, b.now)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.store.GetConnectionByName(b.ctx, b.store.DB(), "acme")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != id || got.AccessToken != "sealed-a" || got.RefreshToken != "sealed-r" || !got.TokenExpiresAt.Equal(exp) ||
			strings.Join(got.Scopes, " ") != "contacts.readonly contacts.write" || got.LocationID != "loc1" {
			t.Fatalf("read back %+v", got)
		}
		if _, err := b.store.InsertConnection(b.ctx, b.store.DB(), c); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate name: got %v, want ErrConflict", err)
		}
		if err := b.store.SetConnectionStatus(b.ctx, b.store.DB(), id, store.StatusNeedsReauth, "refresh refused", b.now); err != nil {
			t.Fatal(err)
		}
		err = b.store.InTx(b.ctx, func(tx store.Tx) error {
			locked, err := b.store.LockConnection(b.ctx, tx, id)
			if err != nil {
				return err
			}
			if locked.Status != store.StatusNeedsReauth || locked.StatusReason != "refresh refused" {
				t.Errorf("locked read %+v", locked)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		list, err := b.store.ListConnections(b.ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %d", err, len(list))
		}
		if err := b.store.DeleteConnection(b.ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.GetConnection(b.ctx, b.store.DB(), id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if err := b.store.DeleteConnection(b.ctx, "acme"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}

func TestConnectionSecretsRewrite(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		for _, name := range []string{"a", "b"} {
			err := b.store.InTx(b.ctx, func(tx store.Tx) error {
				id, err := b.store.InsertConnection(b.ctx, tx, store.Connection{Name: name, App: store.AppRepsly,
					AuthKind: store.AuthBasic, BaseURL: "http://r", Status: store.StatusActive, CreatedAt: b.now})
				if err != nil {
					return err
				}
				return b.store.UpdateConnectionSecrets(b.ctx, tx, store.Connection{ID: id, Password: "old-" + name, Status: store.StatusActive}, b.now)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var seen []string
		err := b.store.ConnectionSecrets(b.ctx, func(aad, sealed string) (string, error) {
			seen = append(seen, aad)
			return strings.Replace(sealed, "old", "new", 1), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 || !strings.HasSuffix(seen[0], ":password") {
			t.Fatalf("visited %v", seen)
		}
		c, _ := b.store.GetConnectionByName(b.ctx, b.store.DB(), "b")
		if c.Password != "new-b" {
			t.Fatalf("password not rewritten: %q", c.Password)
		}
	})
}

func TestVaultKeys(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		mk, err := vault.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		ks := b.store.VaultKeys()
		kr, err := vault.LoadKeyring(b.ctx, vault.Config{Master: mk, Store: ks, Now: func() time.Time { return b.now }})
		if err != nil {
			t.Fatal(err)
		}
		sealed, err := kr.Seal("connection:1:password", []byte("pw"))
		if err != nil {
			t.Fatal(err)
		}
		first := kr.PrimaryID()
		if _, err := kr.AddPrimaryKey(b.ctx); err != nil {
			t.Fatal(err)
		}
		keys, err := ks.ListKeys(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		primaries := 0
		for _, k := range keys {
			if k.Primary {
				primaries++
				if k.ID == first {
					t.Fatal("old key still primary")
				}
			}
			// Sealed form, never key material: v1:<master key id>:<base64>.
			// (Searching the base64 for a short string fails by chance.)
			if parts := strings.Split(k.Wrapped, ":"); len(parts) != 3 || parts[0] != "v1" || len(parts[2]) < 40 {
				t.Fatalf("wrapped key %s is not in the sealed form", k.ID)
			}
		}
		if len(keys) != 2 || primaries != 1 {
			t.Fatalf("%d keys, %d primaries", len(keys), primaries)
		}
		// A second process loading the keyring reads the old value.
		kr2, err := vault.LoadKeyring(b.ctx, vault.Config{Master: mk, Store: ks})
		if err != nil {
			t.Fatal(err)
		}
		pt, err := kr2.Open("connection:1:password", sealed)
		if err != nil || string(pt) != "pw" {
			t.Fatalf("open after rotation: %q %v", pt, err)
		}
	})
}

func TestOAuthStateAndTokens(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		st := store.OAuthState{StateHash: "h1", ConnectionName: "acme", BaseURL: "http://x", RedirectURI: "http://cb",
			CreatedAt: b.now, ExpiresAt: b.now.Add(10 * time.Minute)}
		if err := b.store.InsertOAuthState(b.ctx, st); err != nil {
			t.Fatal(err)
		}
		take := func(now time.Time) (store.OAuthState, error) {
			var got store.OAuthState
			err := b.store.InTx(b.ctx, func(tx store.Tx) error {
				var err error
				got, err = b.store.TakeOAuthState(b.ctx, tx, "h1", now)
				return err
			})
			return got, err
		}
		got, err := take(b.now.Add(time.Minute))
		if err != nil || got.ConnectionName != "acme" {
			t.Fatalf("take: %+v %v", got, err)
		}
		if _, err := take(b.now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("state reused: %v", err)
		}
		if err := b.store.InsertAPIToken(b.ctx, "ci", "hash1", b.now); err != nil {
			t.Fatal(err)
		}
		if ok, err := b.store.APITokenExists(b.ctx, "hash1", b.now); !ok || err != nil {
			t.Fatalf("token lookup: %v %v", ok, err)
		}
		if ok, _ := b.store.APITokenExists(b.ctx, "nope", b.now); ok {
			t.Fatal("unknown token accepted")
		}
		cid := int64(7)
		if _, err := b.store.InsertAlertEvent(b.ctx, b.store.DB(), store.AlertEvent{Kind: "needs_reauth", ConnectionID: &cid, Message: "m", CreatedAt: b.now}); err != nil {
			t.Fatal(err)
		}
		evs, err := b.store.ListAlertEvents(b.ctx, 10)
		if err != nil || len(evs) != 1 || *evs[0].ConnectionID != 7 {
			t.Fatalf("alerts: %+v %v", evs, err)
		}
	})
}
