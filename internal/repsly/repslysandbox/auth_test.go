package repslysandbox

import (
	"net/http"
	"strings"
	"testing"
)

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, 1, Options{Username: "AAAAAAAA-1111-2222-3333-BBBBBBBBBBBB", Password: "CCCCCCCC-4444-5555-6666-DDDDDDDDDDDD"})
	u, p := b.s.Credentials()
	tests := []struct {
		name, user, pass string
		want             int
	}{
		{"right", u, p, http.StatusOK},
		{"no credentials", "", "", http.StatusUnauthorized},
		{"wrong password", u, "CCCCCCCC-4444-5555-6666-DDDDDDDDDDDE", http.StatusUnauthorized},
		{"wrong user", "aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb", p, http.StatusUnauthorized},
		{"swapped", p, u, http.StatusUnauthorized},
		{"login instead of API credentials", "rep@example.com", "hunter2", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := b.doAuth(http.MethodGet, "/v3/export/clients/0", "", tc.user, tc.pass, "")
			if res.status != tc.want {
				t.Fatalf("status = %d, want %d", res.status, tc.want)
			}
			if tc.want != http.StatusUnauthorized {
				return
			}
			if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Basic ") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				t.Errorf("401 headers = %v", res.header)
			}
			if strings.Contains(string(res.body), p) || strings.Contains(string(res.body), u) {
				t.Error("401 body echoes credentials")
			}
		})
	}
	// Unauthenticated requests count against no endpoint. Cleanup runs
	// after the parallel subtests.
	t.Cleanup(func() {
		if n := b.s.RequestCount("export/clients"); n != 1 {
			t.Errorf("export/clients count = %d, want 1", n)
		}
	})
}

func TestDefaultCredentials(t *testing.T) {
	t.Parallel()
	u, p := New(Options{}).Credentials()
	if u != DefaultUsername || p != DefaultPassword {
		t.Errorf("credentials = %q %q", u, p)
	}
}
