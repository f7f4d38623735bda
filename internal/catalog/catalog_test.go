package catalog_test

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

func TestCatalogShape(t *testing.T) {
	t.Parallel()
	c, err := catalog.New(catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range c.All() {
		counts[string(e.App)+"/"+string(e.Kind)+"/"+string(e.Mode)]++
		if _, err := e.Validate(e.Example); err != nil {
			t.Errorf("%s: example does not validate: %v", e.ID, err)
		}
	}
	t.Logf("%d entries: %v", len(c.All()), counts)
}
