package repslysandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

// get fetches path from the sandbox with its Basic credentials.
func get(ts *httptest.Server, s *repslysandbox.Server, path string) []byte {
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.SetBasicAuth(s.Credentials())
	res, err := ts.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

// Page through every client with the timestamp cursor, as a Repsly client
// does against api.repsly.com/v3.
func Example() {
	s := repslysandbox.New(repslysandbox.Options{
		Clock: func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
	})
	if err := s.Seed(repslysandbox.SeedOptions{Clients: 120, Seed: 1}); err != nil {
		panic(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()

	var cursor int64
	for {
		var page struct {
			MetaCollectionResult repslysandbox.TimestampMeta
			Clients              []repslysandbox.Client
		}
		if err := json.Unmarshal(get(ts, s, fmt.Sprintf("/v3/export/clients/%d", cursor)), &page); err != nil {
			panic(err)
		}
		fmt.Println("page of", page.MetaCollectionResult.TotalCount)
		if page.MetaCollectionResult.TotalCount == 0 {
			break
		}
		cursor = page.MetaCollectionResult.LastTimeStamp
	}
	// Output:
	// page of 50
	// page of 50
	// page of 20
	// page of 0
}

// Imports are asynchronous: the answer carries the job ID in its message,
// and the job answers Pending once before it completes (Options.PendingPolls).
func Example_import() {
	s := repslysandbox.New(repslysandbox.Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()

	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v3/import/client", strings.NewReader(`{"Code":"C-1","Name":"Main St Market"}`))
	req.SetBasicAuth(s.Credentials())
	req.Header.Set("Content-Type", "application/json")
	res, err := ts.Client().Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(string(body))

	var r repslysandbox.Result
	_ = json.Unmarshal(body, &r)
	id := r.Message[strings.LastIndex(r.Message, " ")+1:]
	for range 2 {
		var st repslysandbox.ImportStatus
		_ = json.Unmarshal(get(ts, s, "/v3/export/importStatus/"+id), &st)
		fmt.Println(st.ImportStatus, st.RowsInserted)
	}
	c, _ := s.Client("C-1")
	fmt.Println(c.Name, c.Active)
	// Output:
	// {"Code":0,"Message":"Client import job started asynchronously under ID: 3000001"}
	// Pending 0
	// Completed 1
	// Main St Market true
}
