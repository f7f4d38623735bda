package ghlsandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
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
	if err := benchDoStatus(client, method, url, body, http.StatusOK); err != nil {
		b.Fatal(err)
	}
}

// benchDoStatus sends one request and checks its status; it returns an
// error rather than failing, so parallel benchmarks can call it.
func benchDoStatus(client *http.Client, method, url string, body []byte, want int) error {
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer bench")
	req.Header.Set("Version", "2021-07-28")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d", method, url, resp.StatusCode, want)
	}
	return nil
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

// BenchmarkSandboxCreateContact measures POST /contacts/ with 16
// concurrent clients, the shape of a backfill: every request takes the
// sandbox's lock, so this shows how serialised the create path is.
func BenchmarkSandboxCreateContact(b *testing.B) {
	sb, url := benchServer(b)
	loc := sb.DefaultLocationID()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var n atomic.Int64
	b.SetParallelism(8) // 16 goroutines on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Appendf(nil, `{"locationId":%q,"firstName":"Bench %d","lastName":"Müller","email":"bench%d@example.com",`+
				`"phone":"(628) %03d-%04d","companyName":"Acme & Co","tags":["backfill","repsly"],"source":"repsly"}`,
				loc, i, i, 200+i/10000%800, i%10000)
			if err := benchDoStatus(client, "POST", url+"/contacts/", body, http.StatusCreated); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
