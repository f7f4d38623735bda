package syncer

import (
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// DefaultToGHL is DESIGN's default Repsly client -> HighLevel contact
// mapping. Templates start from it.
func DefaultToGHL() mapping.Spec {
	return mapping.Spec{Fields: []mapping.FieldSpec{
		{Target: "customFields.repsly_client_code", Source: "client.Code"},
		{Target: "companyName", Expr: `trim(client.Name)`},
		{Target: "firstName", Expr: `firstName(trim(client.ContactName))`},
		{Target: "lastName", Expr: `lastName(trim(client.ContactName))`},
		{Target: "email", Expr: `lower(trim(client.Email))`},
		{Target: "phone", Expr: `e164(client.Phone, country(client.Country)) ?? e164(client.Mobile, country(client.Country))`},
		{Target: "address1", Expr: `trim(client.StreetAddress)`},
		{Target: "city", Expr: `trim(client.City)`},
		{Target: "state", Expr: `trim(client.State)`},
		{Target: "postalCode", Expr: `trim(client.ZIP)`},
		{Target: "country", Expr: `country(client.Country)`},
		{Target: "website", Expr: `trim(client.Website)`},
		{Target: "tags", Expr: `tags(client.Tag, trim(client.Territory ?? "") != "" ? "territory:" + trim(client.Territory) : nil)`},
	}}
}

// DefaultToRepsly is DESIGN's default HighLevel contact -> Repsly client
// mapping. A contact that came from Repsly carries its Code in the custom
// field; a new lead gets Code GHL-<contact id>.
func DefaultToRepsly() mapping.Spec {
	return mapping.Spec{Fields: []mapping.FieldSpec{
		{Target: "Code", Expr: `customField(contact, "repsly_client_code") ?? ("GHL-" + contact.id)`},
		{Target: "Name", Expr: `trim(contact.companyName) != "" ? trim(contact.companyName) : joinName(contact.firstName, contact.lastName)`},
		{Target: "ContactName", Expr: `joinName(contact.firstName, contact.lastName)`},
		{Target: "Email", Expr: `lower(trim(contact.email))`},
		{Target: "Phone", Source: "contact.phone"},
		{Target: "StreetAddress", Source: "contact.address1"},
		{Target: "City", Source: "contact.city"},
		{Target: "State", Source: "contact.state"},
		{Target: "ZIP", Source: "contact.postalCode"},
		{Target: "Country", Source: "contact.country"},
		{Target: "Website", Source: "contact.website"},
	}}
}

// DefaultSpec compiles the default mappings into a two-way spec for flow.
func DefaultSpec(flow string, now func() time.Time) (Spec, error) {
	toGHL, err := mapping.Compile(DefaultToGHL(), mapping.Options{Roots: []string{"client"}, Now: now})
	if err != nil {
		return Spec{}, err
	}
	toRepsly, err := mapping.Compile(DefaultToRepsly(), mapping.Options{Roots: []string{"contact"}, Now: now})
	if err != nil {
		return Spec{}, err
	}
	return Spec{Flow: flow, Direction: TwoWay, ToGHL: toGHL, ToRepsly: toRepsly, DeactivateOnGHLDelete: true}, nil
}
