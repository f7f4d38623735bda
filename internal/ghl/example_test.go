package ghl_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// fakeHighLevel answers canned bodies by path, standing in for HighLevel.
func fakeHighLevel(answers map[string]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		body, ok := answers[r.Method+" "+r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			body = `{"statusCode":400,"message":"Contact with id ` + r.URL.Path[len("/contacts/"):] + ` not found"}`
		}
		fmt.Fprint(w, body)
	}))
}

func ExampleClient_GetContact() {
	srv := fakeHighLevel(map[string]string{
		"GET /contacts/c1": `{"contact":{"id":"c1","firstName":"Ada","lastName":"Lovelace","tags":["vip"]}}`,
	})
	defer srv.Close()

	client := ghl.New(ghl.Options{
		BaseURL:     srv.URL, // omit for https://services.leadconnectorhq.com
		TokenSource: ghl.StaticToken("pit-xxxxxxxx"),
		LocationID:  "ve9EPM428h8vShlRW1KT",
	})
	ctx := context.Background()
	contact, err := client.GetContact(ctx, "c1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(contact.FirstName, contact.LastName, contact.Tags)

	// HighLevel answers an unknown id with a 400; it still matches ErrNotFound.
	_, err = client.GetContact(ctx, "nope")
	fmt.Println(errors.Is(err, ghl.ErrNotFound))
	// Output:
	// Ada Lovelace [vip]
	// true
}

func ExampleClient_CreateContact_duplicate() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"statusCode":400,"message":"This location does not allow duplicated contacts.","meta":{"contactName":"Ada Lovelace","contactId":"c1","matchingField":"email"}}`)
	}))
	defer srv.Close()
	client := ghl.New(ghl.Options{BaseURL: srv.URL, TokenSource: ghl.StaticToken("pit-xxxxxxxx"), LocationID: "loc"})

	_, err := client.CreateContact(context.Background(), ghl.CreateContactRequest{
		ContactFields: ghl.ContactFields{Email: "ada@example.com"},
	})
	var dup *ghl.DuplicateContactError
	if errors.As(err, &dup) {
		fmt.Println("link to existing contact", dup.ContactID, "matched by", dup.MatchingField)
	}
	// Output: link to existing contact c1 matched by email
}

func ExampleClient_SearchContactPages() {
	page := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page++
		w.Header().Set("Content-Type", "application/json")
		if page == 1 {
			fmt.Fprint(w, `{"contacts":[{"id":"a","searchAfter":[1,"a"]},{"id":"b","searchAfter":[2,"b"]}],"total":3}`)
			return
		}
		fmt.Fprint(w, `{"contacts":[{"id":"c","searchAfter":[3,"c"]}],"total":3}`)
	}))
	defer srv.Close()
	client := ghl.New(ghl.Options{BaseURL: srv.URL, TokenSource: ghl.StaticToken("pit-xxxxxxxx"), LocationID: "loc"})

	var saved json.RawMessage // a real caller loads this from its database
	req := ghl.SearchContactsRequest{
		PageLimit:   2,
		SearchAfter: saved,
		Sort:        []ghl.Sort{{Field: "dateUpdated", Direction: "asc"}},
	}
	for p, err := range client.SearchContactPages(context.Background(), req) {
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range p.Contacts {
			fmt.Print(c.ID, " ")
		}
		// Store p.Cursor in the same transaction as the page's work.
		fmt.Printf("cursor=%s\n", p.Cursor)
	}
	// Output:
	// a b cursor=[2,"b"]
	// c cursor=
}

func ExampleWebhookVerifier_Verify() {
	// HighLevel signs with its own key; here a test key stands in for it.
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	verifier, err := ghl.NewWebhookVerifier(ghl.VerifierOptions{
		Keys:    []crypto.PublicKey{pub}, // nil: HighLevel's published keys
		Clock:   func() time.Time { return now },
		Deduper: ghl.NewMemoryDeduper(0, nil),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	body := []byte(`{"type":"NoteCreate","locationId":"loc","webhookId":"w1","timestamp":"2026-03-04T11:59:58.000Z","id":"n1","contactId":"c1","body":"Visited, 30 min"}`)
	header := http.Header{}
	header.Set(ghl.HeaderSignature, base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body)))

	delivery, err := verifier.Verify(context.Background(), header, body)
	if err != nil {
		fmt.Println("reject:", err)
		return
	}
	// ... store the raw body durably, then:
	_ = verifier.MarkDelivered(context.Background(), delivery)

	ev, _ := ghl.ParseEvent(body)
	switch e := ev.(type) {
	case *ghl.NoteEvent:
		fmt.Println(e.Type, e.Note.ContactID, e.Note.Body)
	case *ghl.UnknownEvent:
		fmt.Println("ignored", e.Type)
	}

	_, err = verifier.Verify(context.Background(), header, body)
	fmt.Println(errors.Is(err, ghl.ErrDuplicateDelivery))
	// Output:
	// NoteCreate c1 Visited, 30 min
	// true
}

func ExampleOAuthCredentials_AuthorizeURL() {
	app := ghl.OAuthCredentials{ClientID: "app-id", ClientSecret: "s3cret", RedirectURL: "https://fieldbridge.example/oauth/callback"}
	fmt.Println(app.AuthorizeURL("", []string{"contacts.readonly", "contacts.write"}, "st4te"))
	fmt.Println(app)
	// Output:
	// https://marketplace.gohighlevel.com/v2/oauth/chooselocation?client_id=app-id&redirect_uri=https%3A%2F%2Ffieldbridge.example%2Foauth%2Fcallback&response_type=code&scope=contacts.readonly+contacts.write&state=st4te
	// OAuthCredentials{ClientID:app-id ClientSecret:REDACTED RedirectURL:https://fieldbridge.example/oauth/callback}
}

func ExampleOperations() {
	for _, op := range ghl.Operations() {
		if op.ID == ghl.OpCreateAppointment || op.ID == ghl.OpUpsertContact {
			fmt.Println(op.ID, op.Method, op.Path, op.Version, op.Scopes)
		}
	}
	// Output:
	// upsert-contact POST /contacts/upsert 2021-07-28 [contacts.write]
	// create-appointment POST /calendars/events/appointments 2021-04-15 [calendars/events.write]
}
