package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// Composite HighLevel actions: what users of Zapier, Make and n8n build by
// chaining two or three steps, done in one.

type (
	findOrCreateInput struct {
		ghl.ContactFields
		CompanyName string `json:"companyName,omitzero"`
	}
	emailInput struct {
		Email string `json:"email"`
	}
	phoneInput struct {
		Phone string `json:"phone"`
	}
	customFieldMatchInput struct {
		Field string `json:"field"`
		Value any    `json:"value"`
	}
	noteByEmailInput struct {
		Email string `json:"email"`
		Body  string `json:"body"`
		Title string `json:"title"`
	}
	tagsByEmailInput struct {
		Email string   `json:"email"`
		Tags  []string `json:"tags"`
	}
	taskByContactInput struct {
		Email      string `json:"email"`
		Phone      string `json:"phone"`
		Title      string `json:"title"`
		Body       string `json:"body"`
		DueDate    string `json:"dueDate"`
		AssignedTo string `json:"assignedTo"`
	}
	setCustomFieldInput struct {
		ContactID string `json:"contactId"`
		Field     string `json:"field"`
		Value     any    `json:"value"`
	}
	upsertWithNoteInput struct {
		ghl.UpsertContactRequest
		Note string `json:"note"`
	}
	dndInput struct {
		ContactID string `json:"contactId"`
		DND       bool   `json:"dnd"`
	}
	bookFirstSlotInput struct {
		CalendarID string    `json:"calendarId"`
		ContactID  string    `json:"contactId"`
		From       time.Time `json:"from"`
		Days       int       `json:"days"`
		Title      string    `json:"title"`
		Timezone   string    `json:"timezone"`
	}
)

// Outputs of the composite actions.
type (
	// ContactResult is a contact and whether the action created it.
	ContactResult struct {
		Created bool        `json:"created"`
		Contact ghl.Contact `json:"contact"`
	}
	// ContactNote is a note with the contact it went to.
	ContactNote struct {
		ContactID string   `json:"contactId"`
		Note      ghl.Note `json:"note"`
	}
	// ContactTags are a contact's tags after a change.
	ContactTags struct {
		ContactID string   `json:"contactId"`
		Tags      []string `json:"tags"`
	}
	// ContactTask is a task with the contact it went to.
	ContactTask struct {
		ContactID string   `json:"contactId"`
		Task      ghl.Task `json:"task"`
	}
	// UpsertNoteResult is an upsert followed by a note.
	UpsertNoteResult struct {
		New     bool        `json:"new"`
		Contact ghl.Contact `json:"contact"`
		Note    *ghl.Note   `json:"note,omitempty"`
	}
)

func ghlCompositeActions() []*Entry {
	byEmail := hand(map[string]any{"email": nonEmpty("email to look up (case-insensitive)")}, "email")
	return []*Entry{
		action(spec{id: "ghl.contact.find_or_create", app: AppGHL, title: "Find or create contact",
			desc: "Returns the contact holding the email or phone, or creates one with the given fields. Matching uses HighLevel's " +
				"duplicate lookup (not the eventually consistent search), and a create that races another is answered with the " +
				"existing contact, so a retry never makes a second contact. An existing contact is returned unchanged.",
			ops:     []string{ghl.OpGetDuplicateContact, ghl.OpCreateContact, ghl.OpGetContact},
			input:   anyOfRequired(withFormat(schemaOf[findOrCreateInput](nil), "email", "email"), "email", "phone"),
			output:  outputOf[ContactResult](),
			example: `{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","companyName":"Analytical Engines"}`},
			findOrCreate),
		action(spec{id: "ghl.contact.find_by_email", app: AppGHL, title: "Find contact by email",
			desc: "Searches for the contact with this email (case-insensitive); found is false when there is none. With duplicates " +
				"allowed, the oldest match wins. The search index may lag a just-made change by a few seconds.",
			ops: []string{ghl.OpSearchContacts}, input: byEmail, output: outputOf[FoundContact](), example: `{"email":"ada@example.com"}`},
			func(ctx context.Context, x *exec, in emailInput) (any, error) {
				return found(findBy(ctx, x.ghl, "email", in.Email))
			}),
		action(spec{id: "ghl.contact.find_by_phone", app: AppGHL, title: "Find contact by phone",
			desc: "Searches for the contact with this phone number, compared in E.164; found is false when there is none.",
			ops:  []string{ghl.OpSearchContacts}, input: hand(map[string]any{"phone": nonEmpty("phone, best in E.164")}, "phone"),
			output: outputOf[FoundContact](), example: `{"phone":"+14155550100"}`},
			func(ctx context.Context, x *exec, in phoneInput) (any, error) {
				return found(findBy(ctx, x.ghl, "phone", in.Phone))
			}),
		action(spec{id: "ghl.contact.find_by_custom_field", app: AppGHL, title: "Find contact by custom field",
			desc: "Searches for the contact whose custom field (by key, e.g. contact.repsly_client_code, or id) equals the value: " +
				"how a Repsly client code is matched to its contact.",
			ops: []string{ghl.OpSearchContacts},
			input: hand(map[string]any{"field": nonEmpty("custom field key or id"),
				"value": map[string]any{"type": []string{"string", "number", "boolean"}}}, "field", "value"),
			output: outputOf[FoundContact](), example: `{"field":"contact.repsly_client_code","value":"C-1001"}`},
			func(ctx context.Context, x *exec, in customFieldMatchInput) (any, error) {
				return found(findBy(ctx, x.ghl, "customFields."+in.Field, in.Value))
			}),
		action(spec{id: "ghl.contact.note.add_by_email", app: AppGHL, title: "Add note to contact found by email",
			desc: "Finds the contact with the email and adds a note to it; fails with not found (and writes nothing) when no " +
				"contact has the email.",
			ops: []string{ghl.OpSearchContacts, ghl.OpCreateNote},
			input: hand(map[string]any{"email": nonEmpty("contact email"), "body": nonEmpty("note text"), "title": str("note title")},
				"email", "body"),
			output: outputOf[ContactNote](), example: `{"email":"ada@example.com","body":"Rep visit: ordered 12 cases."}`},
			func(ctx context.Context, x *exec, in noteByEmailInput) (any, error) {
				c, err := mustFind(ctx, x.ghl, "email", in.Email)
				if err != nil {
					return nil, err
				}
				n, err := x.ghl.CreateNote(ctx, c.ID, ghl.NoteRequest{Body: in.Body, Title: in.Title})
				if err != nil {
					return nil, err
				}
				return ContactNote{ContactID: c.ID, Note: *n}, nil
			}),
		tagByEmail("ghl.contact.tag.add_by_email", "Add tags to contact found by email", ghl.OpAddTags,
			"Finds the contact with the email and adds tags, keeping its others; not found is an error.",
			func(ctx context.Context, c *ghl.Client, id string, tags []string) ([]string, error) {
				return c.AddTags(ctx, id, tags)
			}),
		tagByEmail("ghl.contact.tag.remove_by_email", "Remove tags from contact found by email", ghl.OpRemoveTags,
			"Finds the contact with the email and removes tags; not found is an error.",
			func(ctx context.Context, c *ghl.Client, id string, tags []string) ([]string, error) {
				return c.RemoveTags(ctx, id, tags)
			}),
		action(spec{id: "ghl.contact.task.create_by_email", app: AppGHL, title: "Add task to contact found by email or phone",
			desc: "Finds the contact by email, else by phone, and creates a task on it (Zapier's \"Add Task\"); not found is an error.",
			ops:  []string{ghl.OpSearchContacts, ghl.OpCreateTask},
			input: anyOfRequired(hand(map[string]any{"email": str("contact email"), "phone": str("contact phone"),
				"title": nonEmpty("task title"), "body": str("details"), "dueDate": dateTime("due"), "assignedTo": str("user id")},
				"title", "dueDate"), "email", "phone"),
			output:  outputOf[ContactTask](),
			example: `{"email":"ada@example.com","title":"Send the price list","dueDate":"2025-03-01T15:00:00Z"}`},
			func(ctx context.Context, x *exec, in taskByContactInput) (any, error) {
				var c *ghl.Contact
				var err error
				if in.Email != "" {
					c, err = findBy(ctx, x.ghl, "email", in.Email)
				}
				if err == nil && c == nil && in.Phone != "" {
					c, err = findBy(ctx, x.ghl, "phone", in.Phone)
				}
				if err != nil {
					return nil, err
				}
				if c == nil {
					return nil, fmt.Errorf("%w: no contact with email %q or phone %q", ErrNotFound, in.Email, in.Phone)
				}
				t, err := x.ghl.CreateTask(ctx, c.ID, ghl.CreateTaskRequest{Title: in.Title, Body: in.Body, DueDate: in.DueDate, AssignedTo: in.AssignedTo})
				if err != nil {
					return nil, err
				}
				return ContactTask{ContactID: c.ID, Task: *t}, nil
			}),
		action(spec{id: "ghl.contact.task.complete_open", app: AppGHL, title: "Complete contact's open tasks",
			desc: "Marks every open task of a contact completed and returns them; completed tasks are left alone, so a retry " +
				"completes only what is still open.",
			ops: []string{ghl.OpListTasks, ghl.OpCompleteTask}, input: hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output: outputOf[TaskList](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				tasks, err := x.ghl.ListTasks(ctx, in.ContactID)
				if err != nil {
					return nil, err
				}
				done := []ghl.Task{}
				for _, t := range tasks {
					if t.Completed {
						continue
					}
					ct, err := x.ghl.CompleteTask(ctx, in.ContactID, t.ID, true)
					if err != nil {
						return nil, err
					}
					done = append(done, *ct)
				}
				return TaskList{done}, nil
			}),
		action(spec{id: "ghl.contact.custom_field.set", app: AppGHL, title: "Set a contact's custom field",
			desc: "Sets one custom field named by id, key (contact.repsly_client_code or repsly_client_code) or label, looking the " +
				"definition up first, so flows need not know ids. An unknown field is an error and nothing is written.",
			ops: []string{ghl.OpListCustomFields, ghl.OpUpdateContact},
			input: hand(map[string]any{"contactId": contactIDProp, "field": nonEmpty("custom field id, key or label"),
				"value": map[string]any{"description": "text, number, list of options, or null to clear"}}, "contactId", "field", "value"),
			output: outputOf[ghl.Contact](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","field":"repsly_client_code","value":"C-1001"}`},
			func(ctx context.Context, x *exec, in setCustomFieldInput) (any, error) {
				def, err := customField(ctx, x.ghl, in.Field)
				if err != nil {
					return nil, err
				}
				return x.ghl.UpdateContact(ctx, in.ContactID, ghl.UpdateContactRequest{ContactFields: ghl.ContactFields{
					CustomFields: []ghl.CustomFieldInput{{ID: def.ID, FieldValue: in.Value}}}})
			}),
		action(spec{id: "ghl.contact.upsert_with_note", app: AppGHL, title: "Create or update contact, then add a note",
			desc:    "Upserts a contact by email/phone and, when note is given, adds it to the contact's timeline (n8n's \"additional note\").",
			ops:     []string{ghl.OpUpsertContact, ghl.OpCreateNote},
			input:   addProp(schemaOf[ghl.UpsertContactRequest](nil, "locationId"), "note", str("note to add after the upsert")),
			output:  outputOf[UpsertNoteResult](),
			example: `{"email":"ada@example.com","firstName":"Ada","note":"Met at the trade fair."}`},
			func(ctx context.Context, x *exec, in upsertWithNoteInput) (any, error) {
				res, err := x.ghl.UpsertContact(ctx, in.UpsertContactRequest)
				if err != nil {
					return nil, err
				}
				out := UpsertNoteResult{New: res.New, Contact: res.Contact}
				if strings.TrimSpace(in.Note) != "" {
					n, err := x.ghl.CreateNote(ctx, res.Contact.ID, ghl.NoteRequest{Body: in.Note})
					if err != nil {
						return nil, fmt.Errorf("contact %s upserted, note not added: %w", res.Contact.ID, err)
					}
					out.Note = n
				}
				return out, nil
			}),
		action(spec{id: "ghl.contact.dnd.set", app: AppGHL, title: "Set do-not-disturb",
			desc: "Switches a contact's do-not-disturb flag for every channel (ContactDndUpdate webhook). HighLevel sends no " +
				"webhook when the contact changes inbound DND themselves (highlevel-api-docs#264).",
			ops:     []string{ghl.OpUpdateContact},
			input:   hand(map[string]any{"contactId": contactIDProp, "dnd": boolean("true to stop all messages")}, "contactId", "dnd"),
			output:  outputOf[ghl.Contact](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","dnd":true}`},
			func(ctx context.Context, x *exec, in dndInput) (any, error) {
				return x.ghl.UpdateContact(ctx, in.ContactID, ghl.UpdateContactRequest{ContactFields: ghl.ContactFields{DND: &in.DND}})
			}),
		action(spec{id: "ghl.appointment.cancel", app: AppGHL, title: "Cancel appointment",
			desc: "Sets an appointment's status to cancelled and keeps it on the calendar's history (AppointmentUpdate webhook).",
			ops:  []string{ghl.OpUpdateAppointment}, input: hand(map[string]any{"eventId": nonEmpty("appointment id")}, "eventId"),
			output: outputOf[ghl.Appointment](), example: `{"eventId":"evt_1"}`},
			func(ctx context.Context, x *exec, in eventRef) (any, error) {
				return x.ghl.UpdateAppointment(ctx, in.EventID, ghl.UpdateAppointmentRequest{
					AppointmentFields: ghl.AppointmentFields{AppointmentStatus: ghl.AppointmentCancelled}})
			}),
		action(spec{id: "ghl.appointment.book_first_free_slot", app: AppGHL, title: "Book the first free slot",
			desc: "Looks up the calendar's free slots from a time (default now) over some days (default 7, at most 31) and books " +
				"the contact into the first one. Fails with not found when the calendar is full.",
			ops: []string{ghl.OpGetFreeSlots, ghl.OpCreateAppointment},
			input: hand(map[string]any{"calendarId": nonEmpty("calendar id"), "contactId": contactIDProp,
				"from": dateTime("look from (default now)"), "days": map[string]any{"type": "integer", "minimum": 1, "maximum": 31},
				"title": str("appointment title"), "timezone": str("IANA zone")}, "calendarId", "contactId"),
			output: outputOf[ghl.Appointment](), example: `{"calendarId":"cal_1","contactId":"ocQHyuzHvysMo5N5VsXc","days":5}`},
			bookFirstFreeSlot),
	}
}

// findOrCreate implements ghl.contact.find_or_create.
func findOrCreate(ctx context.Context, x *exec, in findOrCreateInput) (any, error) {
	c, err := x.ghl.FindDuplicateContact(ctx, in.Email, in.Phone)
	if err != nil {
		return nil, err
	}
	if c != nil {
		return ContactResult{Contact: *c}, nil
	}
	c, err = x.ghl.CreateContact(ctx, ghl.CreateContactRequest{ContactFields: in.ContactFields, CompanyName: in.CompanyName})
	var dup *ghl.DuplicateContactError
	if errors.As(err, &dup) && dup.ContactID != "" {
		// Someone created it between the lookup and the create.
		c, err = x.ghl.GetContact(ctx, dup.ContactID)
		if err != nil {
			return nil, err
		}
		return ContactResult{Contact: *c}, nil
	}
	if err != nil {
		return nil, err
	}
	return ContactResult{Created: true, Contact: *c}, nil
}

// findBy returns the oldest contact whose field equals value, or nil.
func findBy(ctx context.Context, c *ghl.Client, field string, value any) (*ghl.Contact, error) {
	res, err := c.SearchContacts(ctx, ghl.SearchContactsRequest{PageLimit: 1,
		Filters: []ghl.Filter{{Field: field, Operator: "eq", Value: value}},
		Sort:    []ghl.Sort{{Field: "dateAdded", Direction: "asc"}}})
	if err != nil {
		return nil, err
	}
	if len(res.Contacts) == 0 {
		return nil, nil
	}
	return &res.Contacts[0], nil
}

// mustFind is findBy where no match is an error wrapping ErrNotFound.
func mustFind(ctx context.Context, c *ghl.Client, field, value string) (*ghl.Contact, error) {
	ct, err := findBy(ctx, c, field, value)
	if err != nil {
		return nil, err
	}
	if ct == nil {
		return nil, fmt.Errorf("%w: no contact with %s %q", ErrNotFound, field, value)
	}
	return ct, nil
}

func tagByEmail(id, title, op, desc string, apply func(context.Context, *ghl.Client, string, []string) ([]string, error)) *Entry {
	return action(spec{id: id, app: AppGHL, title: title, desc: desc, ops: []string{ghl.OpSearchContacts, op},
		input:  hand(map[string]any{"email": nonEmpty("contact email"), "tags": nonEmptyList("tags")}, "email", "tags"),
		output: outputOf[ContactTags](), example: `{"email":"ada@example.com","tags":["vip"]}`},
		func(ctx context.Context, x *exec, in tagsByEmailInput) (any, error) {
			c, err := mustFind(ctx, x.ghl, "email", in.Email)
			if err != nil {
				return nil, err
			}
			tags, err := apply(ctx, x.ghl, c.ID, in.Tags)
			if err != nil {
				return nil, err
			}
			return ContactTags{ContactID: c.ID, Tags: nonNil(tags)}, nil
		})
}

// customField finds a contact custom field definition by id, key (with or
// without the "contact." prefix) or label.
func customField(ctx context.Context, c *ghl.Client, ref string) (*ghl.CustomField, error) {
	fields, err := c.ListCustomFields(ctx, "contact")
	if err != nil {
		return nil, err
	}
	match := func(f ghl.CustomField) bool {
		return f.ID == ref || f.FieldKey == ref || f.FieldKey == "contact."+ref || strings.EqualFold(f.Name, ref)
	}
	if i := slices.IndexFunc(fields, match); i >= 0 {
		return &fields[i], nil
	}
	return nil, fmt.Errorf("%w: no contact custom field %q (list them with ghl.location.custom_field.list)", ErrNotFound, ref)
}

// bookFirstFreeSlot implements ghl.appointment.book_first_free_slot.
func bookFirstFreeSlot(ctx context.Context, x *exec, in bookFirstSlotInput) (any, error) {
	from := in.From
	if from.IsZero() {
		from = x.now()
	}
	days := in.Days
	if days == 0 {
		days = 7
	}
	slots, err := x.ghl.GetFreeSlots(ctx, in.CalendarID, ghl.FreeSlotsQuery{Start: from, End: from.Add(time.Duration(days) * 24 * time.Hour), Timezone: in.Timezone})
	if err != nil {
		return nil, err
	}
	var first string
	var firstAt time.Time
	for _, starts := range slots {
		for _, s := range starts {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil || t.Before(from) {
				continue
			}
			if first == "" || t.Before(firstAt) {
				first, firstAt = s, t
			}
		}
	}
	if first == "" {
		return nil, fmt.Errorf("%w: calendar %s has no free slot in the %d days from %s", ErrNotFound, in.CalendarID, days, from.Format(time.RFC3339))
	}
	return x.ghl.CreateAppointment(ctx, ghl.CreateAppointmentRequest{CalendarID: in.CalendarID, ContactID: in.ContactID,
		AppointmentFields: ghl.AppointmentFields{Title: in.Title, StartTime: first}})
}
