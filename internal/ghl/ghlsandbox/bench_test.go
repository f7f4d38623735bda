package ghlsandbox

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchServer serves a sandbox with 1,000 seeded contacts on loopback.
func benchServer(b *testing.B) (*Server, string) {
	sb := New(Options{Seed: 1})
	loc := sb.DefaultLocationID()
	sb.AddPrivateToken(PrivateToken{Token: "bench", LocationID: loc})
	if err := sb.Seed(1000); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	b.Cleanup(func() {
		srv.Close()
		_ = sb.Close()
	})
	return sb, srv.URL
}

func benchDo(b *testing.B, client *http.Client, method, url string, body []byte) {
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer bench")
	req.Header.Set("Version", "2021-07-28")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkSandboxGetContact measures GET /contacts/{id} over loopback
// HTTP, one request at a time.
func BenchmarkSandboxGetContact(b *testing.B) {
	sb, url := benchServer(b)
	contacts := sb.Contacts()
	client := &http.Client{}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		benchDo(b, client, "GET", url+"/contacts/"+contacts[i%len(contacts)].ID, nil)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkSandboxSearch measures POST /contacts/search (a tag filter,
// sorted by dateUpdated, 100 per page) over 1,000 contacts.
func BenchmarkSandboxSearch(b *testing.B) {
	sb, url := benchServer(b)
	body := []byte(`{"locationId":"` + sb.DefaultLocationID() + `","pageLimit":100,` +
		`"filters":[{"field":"tags","operator":"eq","value":"customer"}],` +
		`"sort":[{"field":"dateUpdated","direction":"desc"}]}`)
	client := &http.Client{}
	b.ResetTimer()
	for b.Loop() {
		benchDo(b, client, "POST", url+"/contacts/search", body)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
