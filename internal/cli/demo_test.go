package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

// TestDemoOnce runs the demo end to end on a small account: seeded
// sandboxes, backfill on the job queue, full reconcile.
func TestDemoOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code := cli.Main(ctx, []string{"demo", "--once", "--json", "--listen", "127.0.0.1:0", "--clients", "120", "--contacts", "60"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("demo exited %d\nstdout: %s\nstderr: %s", code, out.String(), errOut.String())
	}
	var sum struct {
		Clients  int    `json:"repsly_clients"`
		Contacts int    `json:"ghl_contacts"`
		Links    int    `json:"links"`
		InSync   bool   `json:"in_sync"`
		Token    string `json:"api_token"`
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out.String())
	}
	if !sum.InSync || sum.Clients != sum.Contacts || sum.Links != sum.Clients || sum.Clients < 120 || sum.Token == "" {
		t.Fatalf("summary %+v", sum)
	}
}
