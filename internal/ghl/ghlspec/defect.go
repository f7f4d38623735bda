package ghlspec

// Known defects of HighLevel's OpenAPI files (GoHighLevel/highlevel-api-docs
// @ 0af86a4), each repaired here and nowhere else. A patch fails loudly when
// its target is gone, so an upstream fix shows up as a failing Load.
//
// | id  | file            | defect                                                                 | repair                                             |
// |-----|-----------------|------------------------------------------------------------------------|----------------------------------------------------|
// | D1  | all             | many `example`s contradict their schema ("false" for booleans, objects | example validation disabled (examples are docs)    |
// |     |                 | in string arrays, numbers for `object`)                                |                                                    |
// | D2  | calendars       | schemas use `examples`, an OpenAPI 3.1 keyword, in a 3.0 document       | `examples` dropped                                 |
// | D3  | all             | http bearer security schemes carry `in`/`name` (apiKey-only fields)    | fields cleared                                     |
// | D4  | contacts        | POST /contacts/bulk/tags/update/{type} declares no `type` parameter     | path param type ∈ {add, remove} (as in 5f8673c)    |
// | D5  | calendars       | PUT/DELETE …/appointments/{appointmentId}/notes/{noteId}: no `noteId`  | path param noteId added                            |
// | D6  | locations       | `type: array` without `items` (templates, tasks search response)       | items = {} (tasks: object)                         |
// | D7  | contacts        | customFields input: every anyOf member requires `id` though `key` may  | items = object with id or key required and         |
// |     |                 | replace it; Numeric/Monetory field_value typed object, sent as number  | field_value of any type                            |
// | D8  | contacts        | dateOfBirth typed object in create/update/upsert, documented as a date  | string, nullable                                   |
// |     |                 | string ("1990-09-25")                                                  |                                                    |
// | D9  | contacts        | SearchBodyV2DTO is empty; the fields live in an external ClickUp doc   | schema from reference/ghl-api.md §6, closed        |
// | D10 | contacts        | POST /contacts/search 200 has no schema (dropped after 5f8673c)         | SearchContactSuccessResponseDto of 5f8673c, with   |
// |     |                 | and its searchAfter is typed [string] though it is [number, string]    | searchAfter items of any type                      |
// | D11 | calendars       | event/blocked-slot startTime, endTime, dateAdded, dateUpdated typed     | string                                             |
// |     |                 | object; examples and real payloads are ISO strings                     |                                                    |
// | D12 | contacts        | UpdateTagsResponseDTO.responses items typed string, example objects    | object {contactId, message, type, oldTags, …}      |
// | D13 | contacts        | GET /contacts/search/duplicate 200 has no schema                       | {contact: GetContectByIdSchema, nullable}          |
// | D14 | contacts        | GET /contacts/ 200 lacks the `meta` object HighLevel sends (the        | meta: ContactsMetaSchema added                     |
// |     |                 | ContactsMetaSchema exists but is not wired)                            |                                                    |
// | D15 | contacts        | bulk business `ids`: maxLength 50 on each id instead of maxItems 50    | maxItems 50 on the array, maxLength dropped        |
// | D16 | locations       | GET /locations/{locationId}/timezones declares no `locationId`         | path param locationId added                        |
//
// Not repaired (harmless for validation): `POST /contacts/bulk/*` declare no
// security; get-contacts-by-businessId types limit/skip as strings.

import (
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Defect describes one repaired spec defect.
type Defect struct {
	// ID is the short id used in the table above, e.g. "D4".
	ID string
	// File is the spec file the repair applies to.
	File string
	// What says what is wrong upstream.
	What string

	apply func(doc *openapi3.T) error
}

// Defects lists the repaired defects in the order they are applied.
func Defects() []Defect {
	return []Defect{
		{ID: "D2", File: "apps/calendars.json", What: "3.1 `examples` keyword in a 3.0 document", apply: dropExamples},
		{ID: "D3", File: "apps/contacts.json", What: "http security schemes with `in`", apply: fixSecuritySchemes},
		{ID: "D3", File: "apps/calendars.json", What: "http security schemes with `in`", apply: fixSecuritySchemes},
		{ID: "D3", File: "apps/oauth.json", What: "http security schemes with `in`", apply: fixSecuritySchemes},
		{ID: "D3", File: "apps/locations.json", What: "http security schemes with `in`", apply: fixSecuritySchemes},
		{ID: "D4", File: "apps/contacts.json", What: "bulk tags: undeclared path parameter type", apply: addBulkTagsType},
		{ID: "D5", File: "apps/calendars.json", What: "appointment notes: undeclared path parameter noteId", apply: addNoteID},
		{ID: "D16", File: "apps/locations.json", What: "timezones: undeclared path parameter locationId", apply: addTimezonesLocationID},
		{ID: "D6", File: "apps/locations.json", What: "arrays without items", apply: fixItemlessArrays},
		{ID: "D7", File: "apps/contacts.json", What: "customFields input requires id, numbers typed object", apply: fixCustomFieldInput},
		{ID: "D8", File: "apps/contacts.json", What: "dateOfBirth typed object", apply: fixDateOfBirth},
		{ID: "D9", File: "apps/contacts.json", What: "empty search body schema", apply: fixSearchBody},
		{ID: "D10", File: "apps/contacts.json", What: "search response without schema", apply: fixSearchResponse},
		{ID: "D11", File: "apps/calendars.json", What: "event times typed object", apply: fixEventTimes},
		{ID: "D12", File: "apps/contacts.json", What: "bulk tags responses typed string", apply: fixBulkTagsResponse},
		{ID: "D13", File: "apps/contacts.json", What: "duplicate search response without schema", apply: fixDuplicateResponse},
		{ID: "D14", File: "apps/contacts.json", What: "contacts list without meta", apply: fixContactsMeta},
		{ID: "D15", File: "apps/contacts.json", What: "bulk business ids maxLength instead of maxItems", apply: fixBusinessIDs},
	}
}

func applyPatches(docs map[string]*openapi3.T) error {
	for _, d := range Defects() {
		doc := docs[d.File]
		if doc == nil {
			return fmt.Errorf("ghlspec: defect %s: %s not loaded", d.ID, d.File)
		}
		if err := d.apply(doc); err != nil {
			return fmt.Errorf("ghlspec: defect %s (%s) in %s: %w", d.ID, d.What, d.File, err)
		}
	}
	return nil
}

var errGone = errors.New("defect not found; upstream may have fixed it, remove the patch")

func schema(doc *openapi3.T, name string) (*openapi3.Schema, error) {
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("schema %s missing: %w", name, errGone)
	}
	return ref.Value, nil
}

func operation(doc *openapi3.T, method, path string) (*openapi3.Operation, error) {
	item := doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		return nil, fmt.Errorf("operation %s %s missing: %w", method, path, errGone)
	}
	return item.GetOperation(method), nil
}

func types(t ...string) *openapi3.Types {
	ts := openapi3.Types(t)
	return &ts
}

func stringSchema() *openapi3.SchemaRef { return openapi3.NewStringSchema().NewRef() }

// anySchema accepts any JSON value.
func anySchema() *openapi3.SchemaRef { return openapi3.NewSchema().NewRef() }

// walkSchemas calls fn once for every schema reachable from doc.
func walkSchemas(doc *openapi3.T, fn func(*openapi3.Schema)) {
	seen := make(map[*openapi3.Schema]bool)
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		fn(s)
		for _, p := range s.Properties {
			walk(p)
		}
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, r := range list {
				walk(r)
			}
		}
		walk(s.Items)
		walk(s.Not)
		walk(s.AdditionalProperties.Schema)
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
}

func dropExamples(doc *openapi3.T) error {
	n := 0
	walkSchemas(doc, func(s *openapi3.Schema) {
		if len(s.Examples) > 0 {
			s.Examples = nil
			n++
		}
	})
	if n == 0 {
		return errGone
	}
	return nil
}

func fixSecuritySchemes(doc *openapi3.T) error {
	n := 0
	for _, ref := range doc.Components.SecuritySchemes {
		if s := ref.Value; s != nil && s.Type == "http" && s.In != "" {
			s.In, s.Name = "", ""
			n++
		}
	}
	if n == 0 {
		return errGone
	}
	return nil
}

func addPathParam(op *openapi3.Operation, p *openapi3.Parameter) error {
	if op.Parameters.GetByInAndName(openapi3.ParameterInPath, p.Name) != nil {
		return errGone
	}
	op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
	return nil
}

func addBulkTagsType(doc *openapi3.T) error {
	op, err := operation(doc, "POST", "/contacts/bulk/tags/update/{type}")
	if err != nil {
		return err
	}
	typ := openapi3.NewStringSchema().WithEnum("add", "remove")
	return addPathParam(op, openapi3.NewPathParameter("type").WithSchema(typ))
}

func addNoteID(doc *openapi3.T) error {
	for _, method := range []string{"PUT", "DELETE"} {
		op, err := operation(doc, method, "/calendars/appointments/{appointmentId}/notes/{noteId}")
		if err != nil {
			return err
		}
		if err := addPathParam(op, openapi3.NewPathParameter("noteId").WithSchema(openapi3.NewStringSchema())); err != nil {
			return err
		}
	}
	return nil
}

func addTimezonesLocationID(doc *openapi3.T) error {
	op, err := operation(doc, "GET", "/locations/{locationId}/timezones")
	if err != nil {
		return err
	}
	return addPathParam(op, openapi3.NewPathParameter("locationId").WithSchema(openapi3.NewStringSchema()))
}

func fixItemlessArrays(doc *openapi3.T) error {
	n := 0
	walkSchemas(doc, func(s *openapi3.Schema) {
		if s.Type.Is("array") && s.Items == nil {
			s.Items = anySchema()
			n++
		}
	})
	if n == 0 {
		return errGone
	}
	tasks, err := schema(doc, "LocationTaskListSuccessfulResponseDto")
	if err != nil {
		return err
	}
	tasks.Properties["tasks"].Value.Items = openapi3.NewObjectSchema().NewRef()
	return nil
}

func fixCustomFieldInput(doc *openapi3.T) error {
	item := openapi3.NewObjectSchema().
		WithProperty("id", openapi3.NewStringSchema()).
		WithProperty("key", openapi3.NewStringSchema()).
		WithPropertyRef("field_value", anySchema())
	item.AnyOf = openapi3.SchemaRefs{
		(&openapi3.Schema{Required: []string{"id"}}).NewRef(),
		(&openapi3.Schema{Required: []string{"key"}}).NewRef(),
	}
	for _, name := range []string{"CreateContactDto", "UpdateContactDto", "UpsertContactDto"} {
		s, err := schema(doc, name)
		if err != nil {
			return err
		}
		cf := s.Properties["customFields"]
		if cf == nil || cf.Value.Items == nil || len(cf.Value.Items.Value.AnyOf) == 0 {
			return fmt.Errorf("%s.customFields: %w", name, errGone)
		}
		s.Properties["customFields"] = openapi3.NewArraySchema().WithItems(item).NewRef()
	}
	return nil
}

func fixDateOfBirth(doc *openapi3.T) error {
	for _, name := range []string{"CreateContactDto", "UpdateContactDto", "UpsertContactDto"} {
		s, err := schema(doc, name)
		if err != nil {
			return err
		}
		p := s.Properties["dateOfBirth"]
		if p == nil || !p.Value.Type.Is("object") {
			return fmt.Errorf("%s.dateOfBirth: %w", name, errGone)
		}
		s.Properties["dateOfBirth"] = openapi3.NewStringSchema().WithNullable().NewRef()
	}
	return nil
}

func fixSearchBody(doc *openapi3.T) error {
	s, err := schema(doc, "SearchBodyV2DTO")
	if err != nil {
		return err
	}
	if len(s.Properties) != 0 {
		return errGone
	}
	sort := openapi3.NewObjectSchema().
		WithProperty("field", openapi3.NewStringSchema()).
		WithProperty("direction", openapi3.NewStringSchema().WithEnum("asc", "desc"))
	sort.Required = []string{"field", "direction"}
	s.Properties = openapi3.Schemas{
		"locationId":  stringSchema(),
		"pageLimit":   openapi3.NewFloat64Schema().WithMin(1).WithMax(500).NewRef(),
		"page":        openapi3.NewFloat64Schema().WithMin(1).NewRef(),
		"searchAfter": openapi3.NewArraySchema().WithItems(openapi3.NewSchema()).NewRef(),
		"filters":     openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema()).NewRef(),
		"sort":        openapi3.NewArraySchema().WithItems(sort).NewRef(),
		"query":       openapi3.NewStringSchema().WithMaxLength(75).NewRef(),
	}
	s.Required = []string{"locationId", "pageLimit"}
	s.AdditionalProperties = openapi3.AdditionalProperties{Has: new(false)}
	return nil
}

func fixSearchResponse(doc *openapi3.T) error {
	op, err := operation(doc, "POST", "/contacts/search")
	if err != nil {
		return err
	}
	resp := op.Responses.Status(200)
	if resp == nil || resp.Value == nil || len(resp.Value.Content) != 0 {
		return fmt.Errorf("search 200 content: %w", errGone)
	}
	contact := openapi3.NewObjectSchema()
	for _, name := range []string{"id", "phoneLabel", "country", "address", "source", "type", "locationId",
		"state", "businessName", "dateAdded", "phone", "companyName", "dateUpdated", "city", "dateOfBirth",
		"firstName", "lastName", "firstNameLowerCase", "lastNameLowerCase", "email", "assignedTo",
		"postalCode", "businessId"} {
		contact.WithProperty(name, openapi3.NewStringSchema())
	}
	for _, name := range []string{"tags", "additionalEmails", "additionalPhones", "followers"} {
		contact.WithProperty(name, openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()))
	}
	contact.WithProperty("dnd", openapi3.NewBoolSchema())
	contact.WithProperty("validEmail", openapi3.NewBoolSchema())
	contact.WithPropertyRef("customFields", openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema()).NewRef())
	contact.WithPropertyRef("dndSettings", doc.Components.Schemas["DndSettingsSchema"])
	contact.WithProperty("opportunities", openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema()))
	contact.WithProperty("searchAfter", openapi3.NewArraySchema().WithItems(openapi3.NewSchema()))
	body := openapi3.NewObjectSchema().
		WithProperty("contacts", openapi3.NewArraySchema().WithItems(contact)).
		WithProperty("total", openapi3.NewFloat64Schema()).
		WithProperty("traceId", openapi3.NewStringSchema())
	body.Required = []string{"contacts", "total"}
	resp.Value.Content = openapi3.NewContentWithJSONSchema(body)
	return nil
}

func fixEventTimes(doc *openapi3.T) error {
	fix := map[string][]string{
		"CalendarEventDTO":                 {"startTime", "endTime", "dateAdded", "dateUpdated"},
		"BlockedSlotSuccessfulResponseDto": {"startTime", "endTime"},
	}
	for name, props := range fix {
		s, err := schema(doc, name)
		if err != nil {
			return err
		}
		for _, p := range props {
			ref := s.Properties[p]
			if ref == nil || !ref.Value.Type.Is("object") {
				return fmt.Errorf("%s.%s: %w", name, p, errGone)
			}
			ref.Value.Type = types("string")
		}
	}
	return nil
}

func fixBulkTagsResponse(doc *openapi3.T) error {
	s, err := schema(doc, "UpdateTagsResponseDTO")
	if err != nil {
		return err
	}
	p := s.Properties["responses"]
	if p == nil || p.Value.Items == nil || !p.Value.Items.Value.Type.Is("string") {
		return errGone
	}
	strs := openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())
	item := openapi3.NewObjectSchema().
		WithProperty("contactId", openapi3.NewStringSchema()).
		WithProperty("message", openapi3.NewStringSchema()).
		WithProperty("type", openapi3.NewStringSchema()).
		WithProperty("oldTags", strs).
		WithProperty("tagsAdded", strs).
		WithProperty("tagsRemoved", strs)
	p.Value.Items = item.NewRef()
	return nil
}

func fixDuplicateResponse(doc *openapi3.T) error {
	op, err := operation(doc, "GET", "/contacts/search/duplicate")
	if err != nil {
		return err
	}
	resp := op.Responses.Status(200)
	if resp == nil || resp.Value == nil || len(resp.Value.Content) != 0 {
		return fmt.Errorf("duplicate 200 content: %w", errGone)
	}
	byID, err := schema(doc, "GetContectByIdSchema")
	if err != nil {
		return err
	}
	// A nullable wrapper around the shared schema, so the shared one stays as is.
	contact := &openapi3.Schema{Nullable: true, AllOf: openapi3.SchemaRefs{byID.NewRef()}}
	body := openapi3.NewObjectSchema().
		WithProperty("contact", contact).
		WithProperty("traceId", openapi3.NewStringSchema())
	resp.Value.Content = openapi3.NewContentWithJSONSchema(body)
	return nil
}

func fixContactsMeta(doc *openapi3.T) error {
	s, err := schema(doc, "ContactsSearchSuccessfulResponseDto")
	if err != nil {
		return err
	}
	if s.Properties["meta"] != nil {
		return errGone
	}
	meta := doc.Components.Schemas["ContactsMetaSchema"]
	if meta == nil {
		return fmt.Errorf("ContactsMetaSchema: %w", errGone)
	}
	// nextPageUrl, startAfterId and startAfter are null on the last page.
	for _, p := range []string{"nextPageUrl", "startAfterId", "startAfter", "nextPage"} {
		if ref := meta.Value.Properties[p]; ref != nil {
			ref.Value.Nullable = true
		}
	}
	s.WithPropertyRef("meta", meta)
	return nil
}

func fixBusinessIDs(doc *openapi3.T) error {
	s, err := schema(doc, "ContactsBusinessUpdate")
	if err != nil {
		return err
	}
	ids := s.Properties["ids"]
	if ids == nil || ids.Value.Items == nil || ids.Value.Items.Value.MaxLength == nil {
		return errGone
	}
	ids.Value.Items = openapi3.NewStringSchema().NewRef()
	ids.Value.MaxItems = new(uint64(50))
	return nil
}
