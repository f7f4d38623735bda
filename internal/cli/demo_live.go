package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// simulateUsers edits both sandboxes as their users would: reps change
// clients and add new ones, HighLevel users edit contacts and add leads.
func simulateUsers(ctx context.Context, env *sandbox.Env, o demoOptions, w io.Writer) {
	r := rand.New(rand.NewPCG(uint64(o.seed), 99))
	cities := []string{"Springfield", "Riverside", "Fairview", "Madison", "Georgetown", "Salem"}
	t := time.NewTicker(o.editsEvery)
	defer t.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var err error
		switch n % 4 {
		case 0:
			clients := env.Repsly.Clients()
			c := clients[r.IntN(len(clients))]
			city := cities[r.IntN(len(cities))]
			_, err = env.Repsly.RepUpdateClient(c.Code, func(cl *repslysandbox.Client) { cl.City = city })
			fmt.Fprintf(w, "[repsly user] client %s moved to %s\n", c.Code, city)
		case 1:
			contacts := env.GHL.Contacts()
			c := contacts[r.IntN(len(contacts))]
			web := fmt.Sprintf("https://shop%d.example", r.IntN(1000))
			_, err = env.GHL.UserUpdateContact(c.ID, func(ct *ghlsandbox.Contact) { ct.Website = web })
			fmt.Fprintf(w, "[highlevel user] contact %s website set to %s\n", c.ID, web)
		case 2:
			name := fmt.Sprintf("Lead %d", n)
			_, err = env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "New", LastName: name, Email: fmt.Sprintf("lead%d-%d@example.test", o.seed, n), CompanyName: name + " Market"})
			fmt.Fprintf(w, "[highlevel user] new lead %q\n", name)
		case 3:
			code := fmt.Sprintf("DEMO-%04d", n)
			reps := env.Repsly.Representatives()
			rep := ""
			if len(reps) > 0 {
				rep = reps[0].Code
			}
			_, err = env.Repsly.RepCreateClient(rep, repslysandbox.Client{Code: code, Name: "Corner Store " + code, Email: fmt.Sprintf("store-%s@example.test", code), Active: true, City: "Springfield", Country: "US"})
			fmt.Fprintf(w, "[repsly user] new client %s\n", code)
		}
		if err != nil {
			fmt.Fprintf(w, "[simulation] %v\n", err)
		}
	}
}

// printRuns prints each finished run with its outcome counts, the way an
// operator would tail run history.
func printRuns(ctx context.Context, a *app.App, w io.Writer) {
	var last int64
	if runs, err := a.Store.ListRuns(ctx, "", 1); err == nil && len(runs) > 0 {
		last = runs[0].ID
	}
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		runs, err := a.Store.ListRuns(ctx, "", 50)
		if err != nil {
			continue
		}
		for i := len(runs) - 1; i >= 0; i-- {
			r := runs[i]
			if r.ID <= last {
				continue
			}
			last = r.ID
			fmt.Fprintf(w, "[synced] run %d %s: %s %s\n", r.ID, r.Kind, r.Status, r.Stats)
		}
	}
}
