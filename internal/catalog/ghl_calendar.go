package catalog

import (
	"context"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

type (
	createAppointmentInput struct {
		ghl.CreateAppointmentRequest
	}
	updateAppointmentInput struct {
		EventID string `json:"eventId" jsonschema:"minLength=1"`
		ghl.UpdateAppointmentRequest
	}
	eventRef struct {
		EventID string `json:"eventId"`
	}
	eventsInput struct {
		CalendarID string    `json:"calendarId"`
		UserID     string    `json:"userId"`
		GroupID    string    `json:"groupId"`
		StartTime  time.Time `json:"startTime"`
		EndTime    time.Time `json:"endTime"`
	}
	blockSlotInput struct {
		EventID string `json:"eventId"`
		ghl.BlockSlotRequest
	}
	freeSlotsInput struct {
		CalendarID string    `json:"calendarId"`
		StartDate  time.Time `json:"startDate"`
		EndDate    time.Time `json:"endDate"`
		Timezone   string    `json:"timezone"`
		UserID     string    `json:"userId"`
	}
	appointmentNotesInput struct {
		AppointmentID string `json:"appointmentId"`
		Limit         int    `json:"limit"`
		Offset        int    `json:"offset"`
	}
	appointmentNoteInput struct {
		AppointmentID string `json:"appointmentId"`
		NoteID        string `json:"noteId"`
		Body          string `json:"body"`
		UserID        string `json:"userId"`
	}
)

// Outputs of the calendar reads.
type (
	// AppointmentList is a list of appointments or blocked slots.
	AppointmentList struct {
		Events []ghl.Appointment `json:"events"`
	}
	// FreeSlots maps a day ("2024-10-28") to its free slot start times.
	FreeSlots struct {
		Slots map[string][]string `json:"slots"`
	}
	// AppointmentNotes is a page of an appointment's notes.
	AppointmentNotes struct {
		Notes   []ghl.Note `json:"notes"`
		HasMore bool       `json:"hasMore"`
	}
)

func ghlCalendarActions() []*Entry {
	apptOut := outputOf[ghl.Appointment]()
	eventIn := hand(map[string]any{"eventId": nonEmpty("appointment or blocked slot id")}, "eventId")
	rangeIn := anyOfRequired(hand(map[string]any{
		"calendarId": str("calendar id (or userId or groupId)"), "userId": str("user id"), "groupId": str("calendar group id"),
		"startTime": dateTime("range start"), "endTime": dateTime("range end"),
	}, "startTime", "endTime"), "calendarId", "userId", "groupId")
	rangeQuery := func(in eventsInput) ghl.EventsQuery {
		return ghl.EventsQuery{CalendarID: in.CalendarID, UserID: in.UserID, GroupID: in.GroupID, Start: in.StartTime, End: in.EndTime}
	}
	apptNoteProps := map[string]any{
		"appointmentId": nonEmpty("appointment id"), "noteId": nonEmpty("note id"),
		"body": map[string]any{"type": "string", "minLength": 1, "maxLength": ghl.MaxAppointmentNoteLen}, "userId": str("author user id"),
	}
	return []*Entry{
		action(spec{id: "ghl.appointment.create", app: AppGHL, title: "Book appointment",
			desc: "Books an appointment for a contact on a calendar. HighLevel refuses a time outside the calendar's free slots " +
				"unless ignoreFreeSlotValidation is set; endTime defaults to one slot.",
			ops:     []string{ghl.OpCreateAppointment},
			input:   withFormat(withFormat(schemaOf[createAppointmentInput]([]string{"calendarId", "contactId", "startTime"}, "locationId"), "startTime", "date-time"), "endTime", "date-time"),
			output:  apptOut,
			example: `{"calendarId":"cal_1","contactId":"ocQHyuzHvysMo5N5VsXc","startTime":"2025-03-03T10:00:00-05:00","title":"Store visit"}`},
			func(ctx context.Context, x *exec, in createAppointmentInput) (any, error) {
				return x.ghl.CreateAppointment(ctx, in.CreateAppointmentRequest)
			}),
		action(spec{id: "ghl.appointment.update", app: AppGHL, title: "Update appointment",
			desc: "Changes an appointment: reschedule, change status (confirmed, cancelled, showed, noshow), title or assignee. " +
				"Pass a series' masterEventId to change a whole recurring series.",
			ops:     []string{ghl.OpUpdateAppointment},
			input:   withFormat(withFormat(schemaOf[updateAppointmentInput]([]string{"eventId"}), "startTime", "date-time"), "endTime", "date-time"),
			output:  apptOut,
			example: `{"eventId":"evt_1","appointmentStatus":"confirmed"}`},
			func(ctx context.Context, x *exec, in updateAppointmentInput) (any, error) {
				return x.ghl.UpdateAppointment(ctx, in.EventID, in.UpdateAppointmentRequest)
			}),
		action(spec{id: "ghl.appointment.get", app: AppGHL, title: "Get appointment",
			desc: "Returns one appointment by id.", ops: []string{ghl.OpGetAppointment}, input: eventIn, output: apptOut,
			example: `{"eventId":"evt_1"}`},
			func(ctx context.Context, x *exec, in eventRef) (any, error) {
				return x.ghl.GetAppointment(ctx, in.EventID)
			}),
		action(spec{id: "ghl.appointment.delete", app: AppGHL, title: "Delete appointment or blocked slot",
			desc: "Deletes an appointment (AppointmentDelete webhook) or a blocked slot. To keep the record, cancel instead (ghl.appointment.cancel).",
			ops:  []string{ghl.OpDeleteEvent}, input: eventIn, output: outputOf[Deleted](), example: `{"eventId":"evt_1"}`},
			func(ctx context.Context, x *exec, in eventRef) (any, error) {
				return Deleted{Deleted: true, ID: in.EventID}, x.ghl.DeleteEvent(ctx, in.EventID)
			}),
		action(spec{id: "ghl.appointment.list", app: AppGHL, title: "List appointments in a time range",
			desc: "Lists the appointments of a calendar, user or calendar group between two times.",
			ops:  []string{ghl.OpListCalendarEvents}, input: rangeIn, output: outputOf[AppointmentList](),
			example: `{"calendarId":"cal_1","startTime":"2025-03-01T00:00:00Z","endTime":"2025-03-08T00:00:00Z"}`},
			func(ctx context.Context, x *exec, in eventsInput) (any, error) {
				evs, err := x.ghl.ListCalendarEvents(ctx, rangeQuery(in))
				return AppointmentList{nonNil(evs)}, err
			}),
		action(spec{id: "ghl.appointment.list_by_contact", app: AppGHL, title: "List contact's appointments",
			desc: "Lists every appointment of one contact. Times come as HighLevel sends them here (\"2021-07-16 11:00:00\").",
			ops:  []string{ghl.OpListContactAppointments}, input: hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output: outputOf[AppointmentList](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				evs, err := x.ghl.ListContactAppointments(ctx, in.ContactID)
				return AppointmentList{nonNil(evs)}, err
			}),
		action(spec{id: "ghl.blocked_slot.list", app: AppGHL, title: "List blocked slots",
			desc: "Lists the blocked times of a calendar, user or group between two times.",
			ops:  []string{ghl.OpListBlockedSlots}, input: rangeIn, output: outputOf[AppointmentList](),
			example: `{"calendarId":"cal_1","startTime":"2025-03-01T00:00:00Z","endTime":"2025-03-08T00:00:00Z"}`},
			func(ctx context.Context, x *exec, in eventsInput) (any, error) {
				evs, err := x.ghl.ListBlockedSlots(ctx, rangeQuery(in))
				return AppointmentList{nonNil(evs)}, err
			}),
		action(spec{id: "ghl.blocked_slot.create", app: AppGHL, title: "Block time",
			desc: "Blocks time on a calendar (or a user's time), so nothing can be booked then.", ops: []string{ghl.OpCreateBlockSlot},
			input:   withFormat(withFormat(schemaOf[ghl.BlockSlotRequest]([]string{"calendarId", "startTime", "endTime"}, "locationId"), "startTime", "date-time"), "endTime", "date-time"),
			output:  outputOf[ghl.BlockedSlot](),
			example: `{"calendarId":"cal_1","title":"Team meeting","startTime":"2025-03-03T12:00:00Z","endTime":"2025-03-03T13:00:00Z"}`},
			func(ctx context.Context, x *exec, in ghl.BlockSlotRequest) (any, error) {
				return x.ghl.CreateBlockSlot(ctx, in)
			}),
		action(spec{id: "ghl.blocked_slot.update", app: AppGHL, title: "Change blocked time",
			desc: "Moves or renames a blocked slot.", ops: []string{ghl.OpUpdateBlockSlot},
			input:   withFormat(withFormat(schemaOf[blockSlotInput]([]string{"eventId", "calendarId"}, "locationId"), "startTime", "date-time"), "endTime", "date-time"),
			output:  outputOf[ghl.BlockedSlot](),
			example: `{"eventId":"evt_2","calendarId":"cal_1","startTime":"2025-03-03T14:00:00Z","endTime":"2025-03-03T15:00:00Z"}`},
			func(ctx context.Context, x *exec, in blockSlotInput) (any, error) {
				return x.ghl.UpdateBlockSlot(ctx, in.EventID, in.BlockSlotRequest)
			}),
		action(spec{id: "ghl.calendar.free_slots", app: AppGHL, title: "Find free slots",
			desc: "Lists a calendar's free slot start times per day between two dates, at most 31 days apart.",
			ops:  []string{ghl.OpGetFreeSlots},
			input: hand(map[string]any{"calendarId": nonEmpty("calendar id"), "startDate": dateTime("from"), "endDate": dateTime("to, within 31 days"),
				"timezone": str("IANA zone of the returned times"), "userId": str("only this user's slots")}, "calendarId", "startDate", "endDate"),
			output:  outputOf[FreeSlots](),
			example: `{"calendarId":"cal_1","startDate":"2025-03-03T00:00:00Z","endDate":"2025-03-07T00:00:00Z","timezone":"America/New_York"}`},
			func(ctx context.Context, x *exec, in freeSlotsInput) (any, error) {
				slots, err := x.ghl.GetFreeSlots(ctx, in.CalendarID, ghl.FreeSlotsQuery{Start: in.StartDate, End: in.EndDate,
					Timezone: in.Timezone, UserID: in.UserID})
				return FreeSlots{Slots: slots}, err
			}),
		action(spec{id: "ghl.appointment.note.list", app: AppGHL, title: "List appointment notes",
			desc: "Lists a page of an appointment's notes (at most 20 a page).", ops: []string{ghl.OpListAppointmentNotes},
			input: hand(map[string]any{"appointmentId": apptNoteProps["appointmentId"],
				"limit":  map[string]any{"type": "integer", "minimum": 1, "maximum": ghl.MaxAppointmentNotesPage},
				"offset": map[string]any{"type": "integer", "minimum": 0}}, "appointmentId"),
			output: outputOf[AppointmentNotes](), example: `{"appointmentId":"evt_1"}`},
			func(ctx context.Context, x *exec, in appointmentNotesInput) (any, error) {
				notes, more, err := x.ghl.ListAppointmentNotes(ctx, in.AppointmentID, in.Limit, in.Offset)
				return AppointmentNotes{Notes: nonNil(notes), HasMore: more}, err
			}),
		action(spec{id: "ghl.appointment.note.create", app: AppGHL, title: "Add appointment note",
			desc: "Adds a note (at most 5,000 characters) to an appointment.", ops: []string{ghl.OpCreateAppointmentNote},
			input: hand(map[string]any{"appointmentId": apptNoteProps["appointmentId"], "body": apptNoteProps["body"],
				"userId": apptNoteProps["userId"]}, "appointmentId", "body"),
			output: outputOf[ghl.Note](), example: `{"appointmentId":"evt_1","body":"Bring samples."}`},
			func(ctx context.Context, x *exec, in appointmentNoteInput) (any, error) {
				return x.ghl.CreateAppointmentNote(ctx, in.AppointmentID, in.Body, in.UserID)
			}),
		action(spec{id: "ghl.appointment.note.update", app: AppGHL, title: "Update appointment note",
			desc: "Replaces an appointment note's body.", ops: []string{ghl.OpUpdateAppointmentNote},
			input:  hand(apptNoteProps, "appointmentId", "noteId", "body"),
			output: outputOf[ghl.Note](), example: `{"appointmentId":"evt_1","noteId":"anote_1","body":"Bring samples and the price list."}`},
			func(ctx context.Context, x *exec, in appointmentNoteInput) (any, error) {
				return x.ghl.UpdateAppointmentNote(ctx, in.AppointmentID, in.NoteID, in.Body, in.UserID)
			}),
		action(spec{id: "ghl.appointment.note.delete", app: AppGHL, title: "Delete appointment note",
			desc: "Deletes an appointment note.", ops: []string{ghl.OpDeleteAppointmentNote},
			input: hand(map[string]any{"appointmentId": apptNoteProps["appointmentId"], "noteId": apptNoteProps["noteId"]},
				"appointmentId", "noteId"),
			output: outputOf[Deleted](), example: `{"appointmentId":"evt_1","noteId":"anote_1"}`},
			func(ctx context.Context, x *exec, in appointmentNoteInput) (any, error) {
				return Deleted{Deleted: true, ID: in.NoteID}, x.ghl.DeleteAppointmentNote(ctx, in.AppointmentID, in.NoteID)
			}),
	}
}

// Outputs of the location reads.
type (
	// LocationTags lists a location's tags.
	LocationTags struct {
		Tags []ghl.LocationTag `json:"tags"`
	}
	// CustomFields lists a location's custom field definitions.
	CustomFields struct {
		CustomFields []ghl.CustomField `json:"customFields"`
	}
)

func ghlLocationActions() []*Entry {
	return []*Entry{
		action(spec{id: "ghl.location.get", app: AppGHL, title: "Get location and settings",
			desc: "Returns the connection's location (sub-account) with its business profile and the settings sync depends on, " +
				"such as whether duplicate contacts are allowed.",
			ops: []string{ghl.OpGetLocation}, output: outputOf[ghl.Location]()},
			func(ctx context.Context, x *exec, _ struct{}) (any, error) {
				return x.ghl.GetLocation(ctx)
			}),
		action(spec{id: "ghl.location.tag.list", app: AppGHL, title: "List location tags",
			desc: "Lists the tags defined in the location.", ops: []string{ghl.OpListLocationTags}, output: outputOf[LocationTags]()},
			func(ctx context.Context, x *exec, _ struct{}) (any, error) {
				tags, err := x.ghl.ListLocationTags(ctx)
				return LocationTags{nonNil(tags)}, err
			}),
		action(spec{id: "ghl.location.custom_field.list", app: AppGHL, title: "List custom fields",
			desc: "Lists the location's custom field definitions (id, name, key, type, options), to map fields by id.",
			ops:  []string{ghl.OpListCustomFields},
			input: hand(map[string]any{"model": enum("which records' fields (default: HighLevel's, contact)",
				"contact", "opportunity", "all")}),
			output: outputOf[CustomFields](), example: `{"model":"contact"}`},
			func(ctx context.Context, x *exec, in struct {
				Model string `json:"model"`
			}) (any, error) {
				fields, err := x.ghl.ListCustomFields(ctx, in.Model)
				return CustomFields{nonNil(fields)}, err
			}),
	}
}
