package ghlsandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
)

// A test mounts the sandbox in-process, changes a contact as a HighLevel
// user would, and reads it back through the API as any client does.
func Example() {
	sb := ghlsandbox.New(ghlsandbox.Options{
		Locations: []ghlsandbox.Location{{ID: "ve9EPM428h8vShlRW1KT", Name: "Acme"}},
		Tokens:    []ghlsandbox.PrivateToken{{Token: "pit-example", LocationID: "ve9EPM428h8vShlRW1KT"}},
	})
	defer sb.Close()
	srv := httptest.NewServer(sb)
	defer srv.Close()

	c, err := sb.UserCreateContact(ghlsandbox.Contact{FirstName: "Ann", Phone: "(202) 555-0143"})
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/contacts/"+c.ID, nil)
	req.Header.Set("Authorization", "Bearer pit-example")
	req.Header.Set("Version", "2021-07-28")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	_ = sb.Flush(context.Background())

	fmt.Println(resp.StatusCode, c.Phone, sb.Events()[0].Type, sb.CallCountFor("GET /contacts/{contactId}"))
	// Output: 200 +12025550143 ContactCreate 1
}
