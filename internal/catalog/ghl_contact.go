package catalog

import (
	"context"
	"encoding/json"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// Inputs of the contact operations: the path parameters next to the body.
type (
	updateContactInput struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1" jsonschema_description:"the HighLevel contact id"`
		ghl.ContactFields
		Clear []string `json:"clear,omitzero" jsonschema_description:"field names to blank, e.g. [\"email\"]"`
	}
	upsertContactInput struct {
		ghl.UpsertContactRequest
		Clear []string `json:"clear,omitzero" jsonschema_description:"field names to blank on the matched contact"`
	}
	searchContactsInput struct {
		PageLimit   int             `json:"pageLimit,omitzero" jsonschema:"minimum=1,maximum=500" jsonschema_description:"page size, default 100"`
		Page        int             `json:"page,omitzero" jsonschema:"minimum=1" jsonschema_description:"page number (not with searchAfter); reaches 10,000 records at most"`
		SearchAfter json.RawMessage `json:"searchAfter,omitzero" jsonschema_description:"the searchAfter of the last contact of the previous page"`
		Filters     []ghl.Filter    `json:"filters,omitzero"`
		Sort        []ghl.Sort      `json:"sort,omitzero"`
		Query       string          `json:"query,omitzero" jsonschema:"maxLength=75"`
	}
	listContactsInput struct {
		Query        string `json:"query,omitzero"`
		Limit        int    `json:"limit,omitzero" jsonschema:"minimum=1,maximum=100"`
		StartAfterID string `json:"startAfterId,omitzero"`
		StartAfter   int64  `json:"startAfter,omitzero" jsonschema_description:"dateAdded (epoch ms) of the last contact seen; with startAfterId"`
	}
	byBusinessInput struct {
		BusinessID string `json:"businessId" jsonschema:"minLength=1"`
		Query      string `json:"query,omitzero"`
		Limit      int    `json:"limit,omitzero" jsonschema:"minimum=1,maximum=100"`
		Skip       int    `json:"skip,omitzero" jsonschema:"minimum=0"`
	}
	emailPhoneInput struct {
		Email string `json:"email,omitzero"`
		Phone string `json:"phone,omitzero"`
	}
)

// FoundContact is the output of the lookups: Found is false (and Contact
// empty) when nothing matched.
type FoundContact struct {
	Found   bool        `json:"found"`
	Contact ghl.Contact `json:"contact"`
}

// Deleted is the output of delete and remove actions.
type Deleted struct {
	Deleted bool   `json:"deleted"`
	ID      string `json:"id"`
}

// OK is the output of actions HighLevel answers with a bare success.
type OK struct {
	OK bool `json:"ok"`
}

func ghlContactActions() []*Entry {
	contactOut := outputOf[ghl.Contact]()
	return []*Entry{
		action(spec{id: "ghl.contact.create", app: AppGHL, title: "Create contact",
			desc: "Creates a contact in the connection's location. When the location does not allow duplicates and the email or phone is taken, " +
				"HighLevel refuses and the error names the existing contact; use ghl.contact.find_or_create or ghl.contact.upsert to avoid that. " +
				"Additional emails and phones cannot be set through the API.",
			ops:     []string{ghl.OpCreateContact},
			input:   schemaOf[ghl.CreateContactRequest](nil, "locationId"),
			output:  contactOut,
			example: `{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","phone":"+14155550100","companyName":"Analytical Engines","tags":["repsly"]}`},
			func(ctx context.Context, x *exec, in ghl.CreateContactRequest) (any, error) {
				return x.ghl.CreateContact(ctx, in)
			}),
		action(spec{id: "ghl.contact.get", app: AppGHL, title: "Get contact",
			desc:    "Returns one contact by id, with its custom fields and tags. An unknown id is an error.",
			ops:     []string{ghl.OpGetContact},
			input:   hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output:  contactOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				return x.ghl.GetContact(ctx, in.ContactID)
			}),
		action(spec{id: "ghl.contact.update", app: AppGHL, title: "Update contact",
			desc: "Changes the given fields of a contact; fields left out stay as they are, and fields named in clear are blanked. " +
				"Tags given here replace all of the contact's tags: use the tag actions to add or remove some. " +
				"HighLevel refuses companyName, gender and locationId on update.",
			ops:     []string{ghl.OpUpdateContact},
			input:   schemaOf[updateContactInput]([]string{"contactId"}),
			output:  contactOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","city":"Boston","postalCode":"02110"}`},
			func(ctx context.Context, x *exec, in updateContactInput) (any, error) {
				return x.ghl.UpdateContact(ctx, in.ContactID, ghl.UpdateContactRequest{ContactFields: in.ContactFields, Clear: in.Clear})
			}),
		action(spec{id: "ghl.contact.delete", app: AppGHL, title: "Delete contact",
			desc:    "Deletes a contact with its tasks and notes. This cannot be undone; HighLevel sends a ContactDelete webhook.",
			ops:     []string{ghl.OpDeleteContact},
			input:   hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output:  outputOf[Deleted](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				if err := x.ghl.DeleteContact(ctx, in.ContactID); err != nil {
					return nil, err
				}
				return Deleted{Deleted: true, ID: in.ContactID}, nil
			}),
		action(spec{id: "ghl.contact.upsert", app: AppGHL, title: "Create or update contact",
			desc: "Updates the contact matching the email or phone (following the location's duplicate settings) or creates one. " +
				"HighLevel keeps the email match and silently drops a conflicting phone (highlevel-api-docs#37); new tells whether a contact was created.",
			ops:     []string{ghl.OpUpsertContact},
			input:   schemaOf[upsertContactInput](nil, "locationId"),
			output:  outputOf[ghl.UpsertResult](),
			example: `{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","tags":["repsly"]}`},
			func(ctx context.Context, x *exec, in upsertContactInput) (any, error) {
				r := in.UpsertContactRequest
				r.Clear = in.Clear
				return x.ghl.UpsertContact(ctx, r)
			}),
		action(spec{id: "ghl.contact.search", app: AppGHL, title: "Search contacts",
			desc: "Runs one page of an advanced contact search: filters on any field or customFields.<key>, sort, full-text query, " +
				"page numbers or a searchAfter cursor. The search index is eventually consistent: a change can take seconds to show.",
			ops:     []string{ghl.OpSearchContacts},
			input:   schemaOf[searchContactsInput](nil),
			output:  outputOf[ghl.SearchContactsResult](),
			example: `{"pageLimit":20,"filters":[{"field":"tags","operator":"contains","value":"repsly"}],"sort":[{"field":"dateUpdated","direction":"desc"}]}`},
			func(ctx context.Context, x *exec, in searchContactsInput) (any, error) {
				return x.ghl.SearchContacts(ctx, ghl.SearchContactsRequest{PageLimit: in.PageLimit, Page: in.Page,
					SearchAfter: in.SearchAfter, Filters: in.Filters, Sort: in.Sort, Query: in.Query})
			}),
		action(spec{id: "ghl.contact.find_duplicate", app: AppGHL, title: "Find duplicate contact",
			desc: "Returns the contact that a new contact with this email and/or phone would duplicate, following the location's " +
				"duplicate settings; found is false when there is none.",
			ops: []string{ghl.OpGetDuplicateContact},
			input: anyOfRequired(hand(map[string]any{"email": str("email to match"), "phone": str("phone to match")}),
				"email", "phone"),
			output:  outputOf[FoundContact](),
			example: `{"email":"ada@example.com"}`},
			func(ctx context.Context, x *exec, in emailPhoneInput) (any, error) {
				c, err := x.ghl.FindDuplicateContact(ctx, in.Email, in.Phone)
				return found(c, err)
			}),
		action(spec{id: "ghl.contact.list", app: AppGHL, title: "List contacts (deprecated)",
			desc: "Fetches one page of the deprecated GET /contacts/ listing, at most 100 a page, resuming after startAfterId and startAfter. " +
				"HighLevel deprecated it in favour of search; it remains for accounts where search lags.",
			ops:     []string{ghl.OpListContacts},
			input:   schemaOf[listContactsInput](nil),
			output:  outputOf[ghl.ListContactsResult](),
			example: `{"limit":20}`},
			func(ctx context.Context, x *exec, in listContactsInput) (any, error) {
				return x.ghl.ListContacts(ctx, ghl.ListContactsRequest{Query: in.Query, Limit: in.Limit,
					After: ghl.ListCursor{StartAfterID: in.StartAfterID, StartAfter: in.StartAfter}})
			}),
		action(spec{id: "ghl.business.contact.list", app: AppGHL, title: "List a business's contacts",
			desc:    "Lists the contacts attached to a business (HighLevel's company record), filtered by name, with skip/limit paging.",
			ops:     []string{ghl.OpListContactsByBusiness},
			input:   schemaOf[byBusinessInput]([]string{"businessId"}),
			output:  outputOf[ghl.BusinessContacts](),
			example: `{"businessId":"5DP4iH6HLkQsiKESj6rh","limit":25}`},
			func(ctx context.Context, x *exec, in byBusinessInput) (any, error) {
				return x.ghl.ListContactsByBusiness(ctx, in.BusinessID, in.Query, in.Limit, in.Skip)
			}),
	}
}

// found turns a lookup's (contact or nil, error) into a FoundContact.
func found(c *ghl.Contact, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if c == nil {
		return FoundContact{}, nil
	}
	return FoundContact{Found: true, Contact: *c}, nil
}

// anyOfRequired adds "at least one of names is required" to an object schema.
func anyOfRequired(schema json.RawMessage, names ...string) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(schema, &m); err != nil {
		panic("catalog: anyOfRequired: " + err.Error())
	}
	var alts []any
	for _, n := range names {
		alts = append(alts, map[string]any{"required": []string{n}})
	}
	m["anyOf"] = alts
	return objectJSON(m)
}
