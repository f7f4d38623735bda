package ghlsandbox

// The map-based contact renderings the sandbox used before contactjson.go
// encoded contacts by hand. They are the reference the hand-written
// encoders are checked against (contactjson_test.go): json.Marshal of these
// maps must give the same bytes.

// contactCreateJSON is CreateContactSchema, the contact of POST /contacts/.
func contactCreateJSON(ct *Contact) obj {
	m := contactGetJSON(ct)
	m["deleted"] = false
	if !ct.DateOfBirth.IsZero() {
		m["birthMonth"] = int(ct.DateOfBirth.Month()) - 1
		m["birthDay"] = ct.DateOfBirth.Day()
	}
	return m
}

// contactSearchJSON is the search item (Contact @5f8673c): "address"
// instead of address1, and the searchAfter cursor.
func contactSearchJSON(ct *Contact, searchAfter []any) obj {
	m := contactGetJSON(ct)
	for _, k := range []string{"emailLowerCase", "fullNameLowerCase", "inboundDndSettings", "timezone"} {
		delete(m, k)
	}
	if a, ok := m["address1"]; ok {
		delete(m, "address1")
		m["address"] = a
	}
	m["additionalEmails"] = strList(ct.AdditionalEmails)
	m["additionalPhones"] = strList(ct.AdditionalPhones)
	m["followers"] = strList(ct.Followers)
	m["searchAfter"] = searchAfter
	return m
}

// contactEvent is the payload of the Contact* webhook events.
func contactEvent(ct *Contact) obj {
	m := obj{
		"id":           ct.ID,
		"dnd":          ct.DND,
		"tags":         strList(ct.Tags),
		"customFields": customFieldsJSON(ct.CustomFields),
		"attachments":  []any{},
		"dateAdded":    isoMillis(ct.DateAdded),
	}
	putStr(m, "address1", ct.Address1)
	putStr(m, "city", ct.City)
	putStr(m, "state", ct.State)
	putStr(m, "companyName", ct.CompanyName)
	putStr(m, "country", ct.Country)
	putStr(m, "source", ct.Source)
	putTime(m, "dateOfBirth", ct.DateOfBirth)
	putStr(m, "email", ct.Email)
	putStr(m, "name", ct.fullName())
	putStr(m, "firstName", ct.FirstName)
	putStr(m, "lastName", ct.LastName)
	putStr(m, "phone", ct.Phone)
	putStr(m, "postalCode", ct.PostalCode)
	putStr(m, "website", ct.Website)
	putStr(m, "assignedTo", ct.AssignedTo)
	return m
}
