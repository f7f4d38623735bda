package catalog_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/operations.md from the catalog")

// TestOperationsDoc fails when docs/operations.md is not what the catalog
// renders.
func TestOperationsDoc(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "docs", "operations.md")
	want := testCatalog.Markdown()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("docs/operations.md is stale or missing (%v); regenerate it with:\n\tgo test ./internal/catalog -run TestOperationsDoc -update", err)
	}
}

func TestMarkdownListsEveryEntry(t *testing.T) {
	t.Parallel()
	md := string(testCatalog.Markdown())
	for _, e := range testCatalog.All() {
		if !strings.Contains(md, "\n### "+e.ID+"\n") || !strings.Contains(md, "[`"+e.ID+"`]") {
			t.Errorf("%s is missing from the reference", e.ID)
		}
	}
	for _, want := range []string{"| `contactId` | string | yes |", "Give at least one of `email`, `phone`.", "webhook (ContactCreate)"} {
		if !strings.Contains(md, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
}
