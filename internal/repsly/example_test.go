package repsly_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// exampleServer stands in for api.repsly.com: two clients on the first
// page, then an empty page; an import that completes at the first poll.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v3/export/clients/0", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"MetaCollectionResult":{"TotalCount":2,"LastTimeStamp":638413},"Clients":[`+
			`{"ClientID":1,"TimeStamp":638412,"Code":"C-0001","Name":"Main St Market","Active":true},`+
			`{"ClientID":2,"TimeStamp":638413,"Code":"C-0002","Name":"Corner Shop","Active":true}]}`)
	})
	mux.HandleFunc("GET /v3/export/clients/638413", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"MetaCollectionResult":{"TotalCount":0,"LastTimeStamp":0},"Clients":[]}`)
	})
	mux.HandleFunc("POST /v3/import/client", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"Code":0,"Message":"Client import job started asynchronously under ID: 4711"}`)
	})
	mux.HandleFunc("GET /v3/export/importStatus/4711", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ImportStatus":"Completed","RowsInserted":1,"RowsUpdated":0,"RowsInvalid":0,"RowsTotal":1,"Warnings":[],"Errors":[]}`)
	})
	return httptest.NewServer(mux)
}

// Drain the clients export, persisting the cursor after every page.
func ExampleClient_ExportClients() {
	srv := exampleServer()
	defer srv.Close()
	c := repsly.New(repsly.Options{BaseURL: srv.URL + "/v3/", Username: "api-user", Password: "api-password"})

	saved := repsly.Cursor{} // load from storage; zero starts from the beginning
	for page, err := range repsly.Pages(context.Background(), c.ExportClients, saved) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, cl := range page.Items {
			fmt.Println(cl.Code, cl.Name)
		}
		saved = page.Next // store page.Next.String() together with the page's work
	}
	fmt.Println("cursor:", saved)
	// Output:
	// C-0001 Main St Market
	// C-0002 Corner Shop
	// cursor: timestamp:638413
}

// Create or update a client (upsert on Code) and wait for the import job.
func ExampleClient_UpsertClients() {
	srv := exampleServer()
	defer srv.Close()
	c := repsly.New(repsly.Options{BaseURL: srv.URL + "/v3/", Username: "api-user", Password: "api-password"})

	res, err := c.UpsertClients(context.Background(), []repsly.ClientImport{
		{Code: "GHL-abc123", Name: "New Lead Ltd", Email: "owner@example.com", Active: repsly.Bool(true)},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(res.Status, res.JobIDs, "inserted:", res.RowsInserted)
	// Output: Completed [4711] inserted: 1
}

// Read any Repsly date form and write it back in the form a field needs.
func ExampleParseDate() {
	for _, s := range []string{`\/Date(1704189600000+0000)\/`, "/Date(1497120177000)/", "2022-03-31T00:00:00.000Z", "2024-11-25"} {
		t, err := repsly.ParseDate(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(t.UTC().Format(time.RFC3339), repsly.FormatDate(t, repsly.LayoutDate))
	}
	fmt.Println(repsly.FormatDate(time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC), repsly.LayoutWCF))
	// Output:
	// 2024-01-02T10:00:00Z 2024-01-02
	// 2017-06-10T18:42:57Z 2017-06-10
	// 2022-03-31T00:00:00Z 2022-03-31
	// 2024-11-25T00:00:00Z 2024-11-25
	// /Date(1704189600000+0000)/
}

// Catalog code can walk the endpoint table instead of naming each call.
func ExampleEndpoints() {
	for _, ep := range repsly.Endpoints()[:3] {
		fmt.Println(ep.Name, ep.Method, ep.Path, ep.Cursor, ep.Envelope)
	}
	// Output:
	// get_client GET export/internal/client/{clientCode} none Clients
	// export_clients GET export/clients/{lastTimestamp} timestamp Clients
	// export_client_notes GET export/clientnotes/{lastClientNoteID} id ClientNotes
}
