package mapping

// The mappings a backfill spends its time in, copied here because the
// packages that own them (syncer, flow) import this one. Keep them in step
// with internal/syncer/default.go and the repsly-ghl-two-way-sync template
// in internal/flow/template.

func benchDefaultToGHL() Spec {
	return Spec{Fields: []FieldSpec{
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

func benchDefaultToRepsly() Spec {
	return Spec{Fields: []FieldSpec{
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

var benchLookups = map[string]map[string]string{"reps": {"R07": "ghl-user-7", "EXAMPLE-REP": "example-highlevel-user-id"}}

func benchTemplateToGHL() Spec {
	return Spec{Lookups: benchLookups, Fields: []FieldSpec{
		{Target: "companyName", Source: "client.Name"},
		{Target: "firstName", Expr: `firstName(client.ContactName)`},
		{Target: "lastName", Expr: `lastName(client.ContactName)`},
		{Target: "email", Expr: `lower(trim(client.Email))`},
		{Target: "phone", Expr: `default(e164(client.Phone, client.Country), e164(client.Mobile, client.Country))`},
		{Target: "address1", Source: "client.StreetAddress"},
		{Target: "city", Source: "client.City"},
		{Target: "state", Source: "client.State"},
		{Target: "postalCode", Source: "client.ZIP"},
		{Target: "country", Expr: `country(client.Country)`},
		{Target: "website", Source: "client.Website"},
		{Target: "tags", Expr: `tags(filter(target.tags ?? [], {not (# startsWith "territory:")}),
               lower(client.Tag),
               trim(client.Territory) != "" ? lower("territory:" + client.Territory) : nil)`},
		{Target: "assignedTo", Expr: `lookup("reps", client.RepresentativeCode)`},
		{Target: "customFields", Expr: `[{"key": "contact.repsly_client_code", "field_value": client.Code}]`},
	}}
}

func benchTemplateToRepsly() Spec {
	return Spec{Lookups: benchLookups, Fields: []FieldSpec{
		{Target: "Code", Expr: `default(target.Code, default(customField(contact, "repsly_client_code"), "GHL-" + contact.id))`},
		{Target: "Name", Expr: `default(contact.companyName, default(target.Name,
                  default(joinName(contact.firstName, contact.lastName), contact.email)))`},
		{Target: "ContactName", Expr: `joinName(contact.firstName, contact.lastName) != "" ? joinName(contact.firstName, contact.lastName) : nil`},
		{Target: "Email", Expr: `lower(trim(target.Email)) == lower(trim(contact.email)) ? target.Email : contact.email`},
		{Target: "Phone", Expr: `e164(target.Phone, target.Country) == contact.phone ? target.Phone :
          (trim(target.Phone) == "" && e164(target.Mobile, target.Country) == contact.phone ? nil : contact.phone)`},
		{Target: "Mobile", Expr: `let m = first(contact.additionalPhones ?? []);
          m == nil ? nil : (e164(target.Mobile, target.Country) == m ? target.Mobile : m)`},
		{Target: "StreetAddress", Source: "contact.address1"},
		{Target: "City", Source: "contact.city"},
		{Target: "State", Source: "contact.state"},
		{Target: "ZIP", Source: "contact.postalCode"},
		{Target: "Country", Expr: `country(target.Country) == contact.country ? target.Country : contact.country`},
		{Target: "Website", Source: "contact.website"},
		{Target: "Tag", Expr: `join(map(filter(contact.tags ?? [], {not (# startsWith "territory:") && # != "repsly-inactive"}),
                   {let g = #; default(trim(first(filter(split(target.Tag ?? "", ","), {lower(trim(#)) == g}))), g)}), ",")`},
		{Target: "Territory", Expr: `let t = first(filter(contact.tags ?? [], {# startsWith "territory:"}));
          t == nil ? nil : (lower("territory:" + (target.Territory ?? "")) == t ? target.Territory : trimPrefix(t, "territory:"))`},
		{Target: "RepresentativeCode", Expr: `first(sort(filter(keys(lookups.reps), {lookups.reps[#] == contact.assignedTo})))`},
	}}
}
