package ghl

// Version header values. HighLevel declares the Version header per operation:
// contacts, locations and the OAuth location endpoints use 2021-07-28,
// calendars 2021-04-15, and POST /oauth/token takes none.
const (
	Version20210728 = "2021-07-28"
	Version20210415 = "2021-04-15"
)

// TokenKind says which token an operation needs.
type TokenKind string

const (
	// TokenLocation is a sub-account (location) OAuth access token or a
	// sub-account private integration token.
	TokenLocation TokenKind = "location"
	// TokenAgency is an agency (company) OAuth access token.
	TokenAgency TokenKind = "agency"
	// TokenNone means the request carries no bearer token (client credentials
	// travel in the form body instead).
	TokenNone TokenKind = "none"
)

// Operation describes one HighLevel API operation the client calls. The table
// returned by Operations is the single source of each call's method, path and
// Version header; the operations catalog generates actions from it.
type Operation struct {
	// ID is the operationId in HighLevel's OpenAPI file, e.g. "get-contact".
	ID string
	// Method is the HTTP method.
	Method string
	// Path is the path template with {name} placeholders, exactly as in the
	// spec (trailing slashes matter: "POST /contacts/").
	Path string
	// Version is the Version header value, or "" when none is sent.
	Version string
	// Scopes lists the OAuth scopes the operation requires.
	Scopes []string
	// ScopesInferred is true when the spec declares no security for the
	// operation and Scopes comes from HighLevel's scope documentation instead.
	ScopesInferred bool
	// Token says which kind of bearer token the operation needs.
	Token TokenKind
	// Spec names the OpenAPI file: "contacts", "calendars", "oauth" or "locations".
	Spec string
	// Summary is a one-line description.
	Summary string
	// Deprecated marks operations HighLevel has deprecated.
	Deprecated bool
}

// Operation ids (the spec's operationId values).
const (
	OpSearchContacts          = "search-contacts-advanced"
	OpGetDuplicateContact     = "get-duplicate-contact"
	OpListTasks               = "get-all-tasks"
	OpCreateTask              = "create-task"
	OpGetTask                 = "get-task"
	OpUpdateTask              = "update-task"
	OpDeleteTask              = "delete-task"
	OpCompleteTask            = "update-task-completed"
	OpListContactAppointments = "get-appointments-for-contact"
	OpAddTags                 = "add-tags"
	OpRemoveTags              = "remove-tags"
	OpListNotes               = "get-all-notes"
	OpCreateNote              = "create-note"
	OpGetNote                 = "get-note"
	OpUpdateNote              = "update-note"
	OpDeleteNote              = "delete-note"
	OpBulkUpdateTags          = "create-association"
	OpBulkUpdateBusiness      = "add-remove-contact-from-business"
	OpGetContact              = "get-contact"
	OpUpdateContact           = "update-contact"
	OpDeleteContact           = "delete-contact"
	OpUpsertContact           = "upsert-contact"
	OpListContactsByBusiness  = "get-contacts-by-businessId"
	OpAddFollowers            = "add-followers-contact"
	OpRemoveFollowers         = "remove-followers-contact"
	OpAddToCampaign           = "add-contact-to-campaign"
	OpRemoveFromCampaign      = "remove-contact-from-campaign"
	OpRemoveFromAllCampaigns  = "remove-contact-from-every-campaign"
	OpAddToWorkflow           = "add-contact-to-workflow"
	OpRemoveFromWorkflow      = "delete-contact-from-workflow"
	OpCreateContact           = "create-contact"
	OpListContacts            = "get-contacts"
	OpCreateAppointment       = "create-appointment"
	OpUpdateAppointment       = "edit-appointment"
	OpGetAppointment          = "get-appointment"
	OpListCalendarEvents      = "get-calendar-events"
	OpDeleteEvent             = "delete-event"
	OpListBlockedSlots        = "get-blocked-slots"
	OpCreateBlockSlot         = "create-block-slot"
	OpUpdateBlockSlot         = "edit-block-slot"
	OpGetFreeSlots            = "get-slots"
	OpListAppointmentNotes    = "get-appointment-notes"
	OpCreateAppointmentNote   = "create-appointment-note"
	OpUpdateAppointmentNote   = "update-appointment-note"
	OpDeleteAppointmentNote   = "delete-appointment-note"
	OpGetAccessToken          = "get-access-token"
	OpGetLocationAccessToken  = "get-location-access-token"
	OpListInstalledLocations  = "get-installed-location"
	OpGetLocation             = "get-location"
	OpListLocationTags        = "get-location-tags"
	OpListCustomFields        = "get-custom-fields"
	OpSearchTasks             = "task-search"
)

// Operations returns every operation the client implements: the 32 of the
// contacts API, the 13 calendar-event operations that touch contacts, the
// OAuth token endpoints and the location reads. Scopes follow the spec's
// security requirements; the bulk operations declare none, so theirs follow
// HighLevel's scope table (contacts.write).
func Operations() []Operation {
	const (
		r  = "contacts.readonly"
		w  = "contacts.write"
		er = "calendars/events.readonly"
		ew = "calendars/events.write"
	)
	contact := func(id, method, path, scope, summary string) Operation {
		return Operation{ID: id, Method: method, Path: path, Version: Version20210728, Scopes: []string{scope},
			Token: TokenLocation, Spec: "contacts", Summary: summary}
	}
	calendar := func(id, method, path, scope, summary string) Operation {
		return Operation{ID: id, Method: method, Path: path, Version: Version20210415, Scopes: []string{scope},
			Token: TokenLocation, Spec: "calendars", Summary: summary}
	}
	location := func(id, method, path, scope, summary string) Operation {
		return Operation{ID: id, Method: method, Path: path, Version: Version20210728, Scopes: []string{scope},
			Token: TokenLocation, Spec: "locations", Summary: summary}
	}
	bulkTags := contact(OpBulkUpdateTags, "POST", "/contacts/bulk/tags/update/{type}", w, "Add or remove tags on many contacts")
	bulkTags.ScopesInferred = true
	bulkBusiness := contact(OpBulkUpdateBusiness, "POST", "/contacts/bulk/business", w, "Add contacts to or remove them from a business")
	bulkBusiness.ScopesInferred = true
	listContacts := contact(OpListContacts, "GET", "/contacts/", r, "List contacts (deprecated; use search)")
	listContacts.Deprecated = true

	return []Operation{
		contact(OpSearchContacts, "POST", "/contacts/search", r, "Search contacts with filters, sort and cursor paging"),
		contact(OpGetDuplicateContact, "GET", "/contacts/search/duplicate", r, "Find the contact a new email or phone would duplicate"),
		contact(OpListTasks, "GET", "/contacts/{contactId}/tasks", r, "List a contact's tasks"),
		contact(OpCreateTask, "POST", "/contacts/{contactId}/tasks", w, "Create a task on a contact"),
		contact(OpGetTask, "GET", "/contacts/{contactId}/tasks/{taskId}", r, "Get a task"),
		contact(OpUpdateTask, "PUT", "/contacts/{contactId}/tasks/{taskId}", w, "Update a task"),
		contact(OpDeleteTask, "DELETE", "/contacts/{contactId}/tasks/{taskId}", w, "Delete a task"),
		contact(OpCompleteTask, "PUT", "/contacts/{contactId}/tasks/{taskId}/completed", w, "Mark a task completed or open"),
		contact(OpListContactAppointments, "GET", "/contacts/{contactId}/appointments", r, "List a contact's appointments"),
		contact(OpAddTags, "POST", "/contacts/{contactId}/tags", w, "Add tags to a contact"),
		contact(OpRemoveTags, "DELETE", "/contacts/{contactId}/tags", w, "Remove tags from a contact"),
		contact(OpListNotes, "GET", "/contacts/{contactId}/notes", r, "List a contact's notes"),
		contact(OpCreateNote, "POST", "/contacts/{contactId}/notes", w, "Create a note on a contact"),
		contact(OpGetNote, "GET", "/contacts/{contactId}/notes/{id}", r, "Get a note"),
		contact(OpUpdateNote, "PUT", "/contacts/{contactId}/notes/{id}", w, "Update a note"),
		contact(OpDeleteNote, "DELETE", "/contacts/{contactId}/notes/{id}", w, "Delete a note"),
		bulkTags,
		bulkBusiness,
		contact(OpGetContact, "GET", "/contacts/{contactId}", r, "Get a contact"),
		contact(OpUpdateContact, "PUT", "/contacts/{contactId}", w, "Update a contact"),
		contact(OpDeleteContact, "DELETE", "/contacts/{contactId}", w, "Delete a contact"),
		contact(OpUpsertContact, "POST", "/contacts/upsert", w, "Create or update a contact matched by email/phone"),
		contact(OpListContactsByBusiness, "GET", "/contacts/business/{businessId}", r, "List the contacts of a business"),
		contact(OpAddFollowers, "POST", "/contacts/{contactId}/followers", w, "Add followers to a contact"),
		contact(OpRemoveFollowers, "DELETE", "/contacts/{contactId}/followers", w, "Remove followers from a contact"),
		contact(OpAddToCampaign, "POST", "/contacts/{contactId}/campaigns/{campaignId}", w, "Add a contact to a campaign"),
		contact(OpRemoveFromCampaign, "DELETE", "/contacts/{contactId}/campaigns/{campaignId}", w, "Remove a contact from a campaign"),
		contact(OpRemoveFromAllCampaigns, "DELETE", "/contacts/{contactId}/campaigns/removeAll", w, "Remove a contact from every campaign"),
		contact(OpAddToWorkflow, "POST", "/contacts/{contactId}/workflow/{workflowId}", w, "Add a contact to a workflow"),
		contact(OpRemoveFromWorkflow, "DELETE", "/contacts/{contactId}/workflow/{workflowId}", w, "Remove a contact from a workflow"),
		contact(OpCreateContact, "POST", "/contacts/", w, "Create a contact"),
		listContacts,

		calendar(OpCreateAppointment, "POST", "/calendars/events/appointments", ew, "Create an appointment"),
		calendar(OpUpdateAppointment, "PUT", "/calendars/events/appointments/{eventId}", ew, "Update an appointment"),
		calendar(OpGetAppointment, "GET", "/calendars/events/appointments/{eventId}", er, "Get an appointment"),
		calendar(OpListCalendarEvents, "GET", "/calendars/events", er, "List calendar events in a time range"),
		calendar(OpDeleteEvent, "DELETE", "/calendars/events/{eventId}", ew, "Delete an appointment or blocked slot"),
		calendar(OpListBlockedSlots, "GET", "/calendars/blocked-slots", er, "List blocked slots in a time range"),
		calendar(OpCreateBlockSlot, "POST", "/calendars/events/block-slots", ew, "Create a blocked slot"),
		calendar(OpUpdateBlockSlot, "PUT", "/calendars/events/block-slots/{eventId}", ew, "Update a blocked slot"),
		calendar(OpGetFreeSlots, "GET", "/calendars/{calendarId}/free-slots", "calendars.readonly", "List a calendar's free slots"),
		calendar(OpListAppointmentNotes, "GET", "/calendars/appointments/{appointmentId}/notes", er, "List an appointment's notes"),
		calendar(OpCreateAppointmentNote, "POST", "/calendars/appointments/{appointmentId}/notes", ew, "Create an appointment note"),
		calendar(OpUpdateAppointmentNote, "PUT", "/calendars/appointments/{appointmentId}/notes/{noteId}", ew, "Update an appointment note"),
		calendar(OpDeleteAppointmentNote, "DELETE", "/calendars/appointments/{appointmentId}/notes/{noteId}", ew, "Delete an appointment note"),

		{ID: OpGetAccessToken, Method: "POST", Path: "/oauth/token", Token: TokenNone, Spec: "oauth",
			Summary: "Exchange an authorization code or refresh token for tokens"},
		{ID: OpGetLocationAccessToken, Method: "POST", Path: "/oauth/locationToken", Version: Version20210728,
			Scopes: []string{"oauth.write"}, Token: TokenAgency, Spec: "oauth", Summary: "Get a location token from an agency token"},
		{ID: OpListInstalledLocations, Method: "GET", Path: "/oauth/installedLocations", Version: Version20210728,
			Scopes: []string{"oauth.readonly"}, Token: TokenAgency, Spec: "oauth", Summary: "List the locations an app is installed in"},

		location(OpGetLocation, "GET", "/locations/{locationId}", "locations.readonly", "Get a location and its settings"),
		location(OpListLocationTags, "GET", "/locations/{locationId}/tags", "locations/tags.readonly", "List a location's tags"),
		location(OpListCustomFields, "GET", "/locations/{locationId}/customFields", "locations/customFields.readonly", "List a location's custom fields"),
		location(OpSearchTasks, "POST", "/locations/{locationId}/tasks/search", "locations/tasks.readonly", "Search tasks across a location"),
	}
}

// LookupOperation returns the operation with the given id.
func LookupOperation(id string) (Operation, bool) {
	op, ok := operationIndex()[id]
	return op, ok
}

// operationIndex maps operation ids to their table rows.
func operationIndex() map[string]Operation {
	ops := Operations()
	idx := make(map[string]Operation, len(ops))
	for _, op := range ops {
		idx[op.ID] = op
	}
	return idx
}
