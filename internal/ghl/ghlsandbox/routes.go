package ghlsandbox

// routeTable lists every operation the sandbox serves, with the scope and
// token type the specs declare (contacts.json, calendars.json, oauth.json,
// locations.json). Status codes are the handlers'.
func (s *Server) routeTable() []*route {
	const (
		cr  = "contacts.readonly"
		cw  = "contacts.write"
		er  = "calendars/events.readonly"
		ew  = "calendars/events.write"
		cal = "calendars.readonly"
	)
	rs := []*route{
		// Contacts (32 operations).
		{method: "POST", pattern: "/contacts/search", scope: cr, body: searchShape, handle: (*Server).hSearchContacts},
		{method: "GET", pattern: "/contacts/search/duplicate", scope: cr, handle: (*Server).hDuplicateContact,
			query: shape{{name: "locationId", required: true}, {name: "number"}, {name: "email"}}},
		{method: "GET", pattern: "/contacts/{contactId}/tasks", scope: cr, handle: (*Server).hListTasks},
		{method: "POST", pattern: "/contacts/{contactId}/tasks", scope: cw, body: createTaskShape, handle: (*Server).hCreateTask},
		{method: "GET", pattern: "/contacts/{contactId}/tasks/{taskId}", scope: cr, handle: (*Server).hGetTask},
		{method: "PUT", pattern: "/contacts/{contactId}/tasks/{taskId}", scope: cw, body: updateTaskShape, handle: (*Server).hUpdateTask},
		{method: "DELETE", pattern: "/contacts/{contactId}/tasks/{taskId}", scope: cw, handle: (*Server).hDeleteTask},
		{method: "PUT", pattern: "/contacts/{contactId}/tasks/{taskId}/completed", scope: cw, body: completeTaskShape, handle: (*Server).hCompleteTask},
		{method: "GET", pattern: "/contacts/{contactId}/appointments", scope: cr, handle: (*Server).hContactAppointments},
		{method: "POST", pattern: "/contacts/{contactId}/tags", scope: cw, body: tagsShape, handle: (*Server).hAddTags},
		{method: "DELETE", pattern: "/contacts/{contactId}/tags", scope: cw, body: tagsShape, handle: (*Server).hRemoveTags},
		{method: "GET", pattern: "/contacts/{contactId}/notes", scope: cr, handle: (*Server).hListNotes},
		{method: "POST", pattern: "/contacts/{contactId}/notes", scope: cw, body: createNoteShape, handle: (*Server).hCreateNote},
		{method: "GET", pattern: "/contacts/{contactId}/notes/{id}", scope: cr, handle: (*Server).hGetNote},
		{method: "PUT", pattern: "/contacts/{contactId}/notes/{id}", scope: cw, body: updateNoteShape, handle: (*Server).hUpdateNote},
		{method: "DELETE", pattern: "/contacts/{contactId}/notes/{id}", scope: cw, handle: (*Server).hDeleteNote},
		// The bulk operations declare no security in the spec; the sandbox
		// still wants a sub-account token (it has to know the caller) but
		// checks no scope.
		{method: "POST", pattern: "/contacts/bulk/tags/update/{type}", body: bulkTagsShape, handle: (*Server).hBulkTags},
		{method: "POST", pattern: "/contacts/bulk/business", body: businessShape, handle: (*Server).hBulkBusiness},
		{method: "GET", pattern: "/contacts/{contactId}", scope: cr, handle: (*Server).hGetContact},
		{method: "PUT", pattern: "/contacts/{contactId}", scope: cw, body: contactShape("update"), handle: (*Server).hUpdateContact},
		{method: "DELETE", pattern: "/contacts/{contactId}", scope: cw, handle: (*Server).hDeleteContact},
		{method: "POST", pattern: "/contacts/upsert", scope: cw, body: contactShape("upsert"), handle: (*Server).hUpsertContact},
		{method: "GET", pattern: "/contacts/business/{businessId}", scope: cr, query: byBusinessQuery, handle: (*Server).hContactsByBusiness},
		{method: "POST", pattern: "/contacts/{contactId}/followers", scope: cw, body: followersShape, handle: (*Server).hAddFollowers},
		{method: "DELETE", pattern: "/contacts/{contactId}/followers", scope: cw, body: followersShape, handle: (*Server).hRemoveFollowers},
		{method: "POST", pattern: "/contacts/{contactId}/campaigns/{campaignId}", scope: cw, body: shape{}, handle: (*Server).hAddCampaign},
		{method: "DELETE", pattern: "/contacts/{contactId}/campaigns/{campaignId}", scope: cw, handle: (*Server).hRemoveCampaign},
		{method: "DELETE", pattern: "/contacts/{contactId}/campaigns/removeAll", scope: cw, handle: (*Server).hRemoveAllCampaigns},
		{method: "POST", pattern: "/contacts/{contactId}/workflow/{workflowId}", scope: cw, body: workflowShape, handle: (*Server).hAddWorkflow},
		{method: "DELETE", pattern: "/contacts/{contactId}/workflow/{workflowId}", scope: cw, body: workflowShape, handle: (*Server).hRemoveWorkflow},
		{method: "POST", pattern: "/contacts/", scope: cw, body: contactShape("create"), handle: (*Server).hCreateContact},
		{method: "GET", pattern: "/contacts/", scope: cr, query: listContactsQuery, handle: (*Server).hListContacts},

		// Calendar events touching contacts (13 operations).
		{method: "POST", pattern: "/calendars/events/appointments", scope: ew, body: appointmentShape(true), handle: (*Server).hCreateAppointment},
		{method: "PUT", pattern: "/calendars/events/appointments/{eventId}", scope: ew, body: appointmentShape(false), handle: (*Server).hEditAppointment},
		{method: "GET", pattern: "/calendars/events/appointments/{eventId}", scope: er, handle: (*Server).hGetAppointment},
		{method: "GET", pattern: "/calendars/events", scope: er, query: eventsQuery, handle: (*Server).hListEvents},
		{method: "DELETE", pattern: "/calendars/events/{eventId}", scope: ew, body: deleteEventShape, handle: (*Server).hDeleteEvent},
		{method: "GET", pattern: "/calendars/blocked-slots", scope: er, query: eventsQuery, handle: (*Server).hListBlockedSlots},
		{method: "POST", pattern: "/calendars/events/block-slots", scope: ew, body: blockSlotShape, handle: (*Server).hCreateBlockSlot},
		{method: "PUT", pattern: "/calendars/events/block-slots/{eventId}", scope: ew, body: blockSlotShape, handle: (*Server).hEditBlockSlot},
		{method: "GET", pattern: "/calendars/{calendarId}/free-slots", scope: cal, query: freeSlotsQuery, handle: (*Server).hFreeSlots},
		{method: "GET", pattern: "/calendars/appointments/{appointmentId}/notes", scope: er, query: apptNotesQuery, handle: (*Server).hListApptNotes},
		{method: "POST", pattern: "/calendars/appointments/{appointmentId}/notes", scope: ew, body: apptNoteShape, handle: (*Server).hCreateApptNote},
		{method: "PUT", pattern: "/calendars/appointments/{appointmentId}/notes/{noteId}", scope: ew, body: apptNoteShape, handle: (*Server).hUpdateApptNote},
		{method: "DELETE", pattern: "/calendars/appointments/{appointmentId}/notes/{noteId}", scope: ew, handle: (*Server).hDeleteApptNote},

		// OAuth.
		{method: "POST", pattern: "/oauth/token", auth: authNone, noVersion: true, body: tokenShape, handle: (*Server).hToken},
		{method: "POST", pattern: "/oauth/locationToken", auth: authAgency, scope: "oauth.write", body: locationTokenShape, handle: (*Server).hLocationToken},
		{method: "GET", pattern: "/oauth/installedLocations", auth: authAgency, scope: "oauth.readonly", query: installedLocationsQuery, handle: (*Server).hInstalledLocations},

		// Locations.
		{method: "GET", pattern: "/locations/{locationId}", auth: authEither, scope: "locations.readonly", handle: (*Server).hGetLocation},
		{method: "GET", pattern: "/locations/{locationId}/tags", scope: "locations/tags.readonly", handle: (*Server).hLocationTags},
		{method: "POST", pattern: "/locations/{locationId}/tags", scope: "locations/tags.write", body: createTagShape, handle: (*Server).hCreateLocationTag},
		{method: "GET", pattern: "/locations/{locationId}/tags/{tagId}", handle: (*Server).hLocationTag},
		{method: "GET", pattern: "/locations/{locationId}/customFields", scope: "locations/customFields.readonly", query: customFieldsQuery, handle: (*Server).hCustomFields},
		{method: "POST", pattern: "/locations/{locationId}/customFields", scope: "locations/customFields.write", body: createFieldShape, handle: (*Server).hCreateCustomField},
		{method: "GET", pattern: "/locations/{locationId}/customFields/{id}", handle: (*Server).hCustomField},
		{method: "POST", pattern: "/locations/{locationId}/tasks/search", scope: "locations/tasks.readonly", body: searchTasksShape, handle: (*Server).hSearchTasks},
	}
	for _, r := range rs {
		r.init()
	}
	return rs
}
