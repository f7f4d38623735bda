package ghlsandbox

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultsAreDeterministic(t *testing.T) {
	t.Parallel()
	statuses := func(seed uint64) string {
		b := setup(t, func(o *Options) {
			o.Seed = seed
			o.Faults = Faults{ErrorRate: 0.2, RateLimitRate: 0.2}
		})
		var out strings.Builder
		for range 40 {
			r := b.api("GET", "/contacts/search/duplicate?locationId="+loc1+"&email=a%40b.example", nil)
			switch r.status {
			case 200:
				out.WriteByte('.')
			case 500:
				out.WriteByte('E')
			case 429:
				out.WriteByte('R')
			default:
				t.Fatalf("status %d", r.status)
			}
		}
		return out.String()
	}
	a, b, c := statuses(1), statuses(1), statuses(2)
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same faults: %s", a)
	}
	if !strings.Contains(a, "E") || !strings.Contains(a, "R") || !strings.Contains(a, ".") {
		t.Errorf("pattern %s lacks a kind", a)
	}
}

func TestFaultKinds(t *testing.T) {
	t.Parallel()
	t.Run("500 before processing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{ErrorRate: 1} })
		b.api("POST", "/contacts/", map[string]any{"locationId": loc1}).must(t, 500)
		if len(b.sb.Contacts()) != 0 || len(b.sb.Events()) != 0 {
			t.Error("a refused request changed state")
		}
	})
	t.Run("lost response after processing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{LostResponseRate: 1} })
		b.api("POST", "/contacts/", map[string]any{"locationId": loc1, "email": "lost@example.com"}).must(t, 500)
		if len(b.sb.Contacts()) != 1 || len(b.sb.Events()) != 1 {
			t.Error("the change should be made")
		}
		b.sb.SetFaults(Faults{})
		r := b.api("POST", "/contacts/", map[string]any{"locationId": loc1, "email": "lost@example.com"}).must(t, 400)
		if r.obj("meta")["matchingField"] != "email" {
			t.Errorf("a naive retry should meet the duplicate: %s", r.raw)
		}
	})
	t.Run("injected 429", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{RateLimitRate: 1} })
		if r := b.api("GET", "/contacts/x", nil).must(t, 429); r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	})
	t.Run("hang until the maximum", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{TimeoutRate: 1, TimeoutMax: 20 * time.Millisecond} })
		b.api("GET", "/contacts/x", nil).must(t, http.StatusGatewayTimeout)
	})
	t.Run("hang until the client gives up", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{TimeoutRate: 1, TimeoutMax: time.Hour} })
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", b.srv.URL+"/contacts/x", nil)
		req.Header.Set("Version", vContacts)
		_, err := b.http.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("only listed routes", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{ErrorRate: 1, Routes: []string{"POST /contacts/search"}} })
		id := b.createContact(nil)
		b.api("GET", "/contacts/"+id, nil).must(t, 200)
		b.api("POST", "/contacts/search", map[string]any{"locationId": loc1, "pageLimit": 1}).must(t, 500)
	})
	t.Run("latency", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *Options) { o.Faults = Faults{Latency: time.Millisecond} })
		b.createContact(nil)
	})
}
