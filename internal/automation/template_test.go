package automation_test

import (
	"slices"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// contactByCode finds the sandbox contact whose Repsly code field is code.
func (b *bundle) contactByCode(code string) (ghlsandbox.Contact, bool) {
	for _, c := range b.env.GHL.LocationContacts(sandbox.LocationID) {
		for _, cf := range c.CustomFields {
			if cf.ID == sandbox.CodeFieldID && cf.Value == code {
				return c, true
			}
		}
	}
	return ghlsandbox.Contact{}, false
}

func TestTemplateRepslyClientToContact(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-to-ghl-contact", "clients", nil)
	b.client(repslysandbox.Client{Code: "C-100", Name: "Main St Market", Email: "Store@Example.com", Phone: "617-555-0100",
		Country: "USA", ContactName: "Bo Van Chan", Tag: "grocery", Territory: "East>Boston"})
	b.poll("clients")
	c, ok := b.contactByCode("C-100")
	if !ok {
		t.Fatalf("no contact with code C-100; runs: %+v", b.runs("clients"))
	}
	if c.Email != "store@example.com" || c.FirstName != "Bo Van" || c.LastName != "Chan" {
		t.Errorf("contact = %+v", c)
	}
	for _, tag := range []string{"repsly", "grocery", "territory:east>boston"} {
		if !slices.Contains(c.Tags, tag) {
			t.Errorf("tags %v lack %q", c.Tags, tag)
		}
	}
	t.Logf("runs: %+v", b.runs("clients"))
}
