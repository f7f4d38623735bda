package ghlsandbox

import (
	"maps"
	"slices"
	"time"
)

// Contact is a HighLevel contact as the sandbox stores it. Values returned by
// the Server are copies; changing them changes nothing in the sandbox.
type Contact struct {
	ID          string
	LocationID  string
	FirstName   string
	LastName    string
	Email       string // as entered; matching uses its lower-case form
	Phone       string // E.164 when it could be parsed
	CompanyName string
	Address1    string
	City        string
	State       string
	PostalCode  string
	Country     string // ISO 3166-1 alpha-2
	Website     string
	Timezone    string
	Source      string
	Type        string // "lead" unless set
	Gender      string
	AssignedTo  string // user id
	DateOfBirth time.Time
	DND         bool
	// DNDSettings is keyed by channel: Call, Email, SMS, WhatsApp, GMB, FB.
	DNDSettings map[string]DNDSetting
	// InboundDND is inboundDndSettings.all; nil when never set.
	InboundDND *DNDSetting
	// Tags are trimmed, lower-cased and unique, in the order first added.
	Tags         []string
	CustomFields []CustomFieldValue
	// AdditionalEmails and AdditionalPhones can be set in the HighLevel UI
	// (UserCreateContact, UserUpdateContact) and are returned by reads, but
	// the API refuses them on writes (422), as the real service does.
	AdditionalEmails []string
	AdditionalPhones []string
	Followers        []string
	BusinessID       string
	Campaigns        []string
	Workflows        []string
	DateAdded        time.Time
	DateUpdated      time.Time
}

// CustomFieldValue is one custom field value of a contact. Value is a string,
// a number (float64), a []string or an object, depending on the field type.
type CustomFieldValue struct {
	ID    string
	Value any
}

// DNDSetting is a do-not-disturb setting of one channel.
type DNDSetting struct {
	Status  string // active, inactive or permanent
	Message string
	Code    string
}

// Task is a task on a contact.
type Task struct {
	ID          string
	LocationID  string
	ContactID   string
	Title       string
	Body        string
	AssignedTo  string
	DueDate     time.Time
	Completed   bool
	DateAdded   time.Time
	DateUpdated time.Time
}

// Note is a note on a contact.
type Note struct {
	ID         string
	LocationID string
	ContactID  string
	Body       string
	UserID     string
	Title      string
	Color      string
	Pinned     bool
	DateAdded  time.Time
}

// Appointment is a calendar event: an appointment with a contact, or a
// blocked slot (Blocked true, no contact).
type Appointment struct {
	ID                  string
	LocationID          string
	CalendarID          string
	ContactID           string
	GroupID             string
	Title               string
	Status              string // appointmentStatus: new, confirmed, cancelled, showed, noshow, invalid
	AssignedUserID      string
	Users               []string
	Address             string
	Notes               string
	Description         string
	MeetingLocationType string
	MeetingLocationID   string
	RRule               string
	Source              string
	StartTime           time.Time
	EndTime             time.Time
	Blocked             bool
	DateAdded           time.Time
	DateUpdated         time.Time
}

// AppointmentNote is a note on an appointment.
type AppointmentNote struct {
	ID            string
	AppointmentID string
	ContactID     string
	Body          string
	UserID        string
	DateAdded     time.Time
}

// Location is a HighLevel sub-account.
type Location struct {
	ID        string
	CompanyID string
	Name      string
	// AllowDuplicateContact is settings.allowDuplicateContact: when false,
	// creating a contact whose email or phone is taken fails with 400.
	AllowDuplicateContact bool
	Country               string // default country for phone numbers; "US" if empty
	Timezone              string // IANA name; "America/New_York" if empty
	Email                 string
	Phone                 string
	Address               string
	City                  string
	State                 string
	PostalCode            string
	Website               string
	// Calendars of the location; one is created when none is given.
	Calendars []Calendar
	// CustomFields are the location's contact custom field definitions.
	CustomFields []CustomField
}

// Calendar is a bookable calendar. Free slots are SlotMinutes long, from
// 09:00 to 17:00 on weekdays in the calendar's time zone.
type Calendar struct {
	ID          string
	Name        string
	GroupID     string
	Timezone    string // IANA name; the location's when empty
	SlotMinutes int    // 30 when zero
}

// CustomField is a custom field definition of a location.
type CustomField struct {
	ID              string
	Name            string
	Key             string // fieldKey, e.g. "contact.repsly_client_code"
	DataType        string // TEXT, LARGE_TEXT, NUMERICAL, MONETORY, CHECKBOX, SINGLE_OPTIONS, ...
	Placeholder     string
	Position        int
	PicklistOptions []string
	Model           string // contact or opportunity
}

// LocationTag is a tag known to a location.
type LocationTag struct {
	ID   string
	Name string
}

func (c *Contact) clone() Contact {
	out := *c
	out.DNDSettings = maps.Clone(c.DNDSettings)
	if c.InboundDND != nil {
		in := *c.InboundDND
		out.InboundDND = &in
	}
	out.Tags = slices.Clone(c.Tags)
	out.CustomFields = make([]CustomFieldValue, len(c.CustomFields))
	for i, cf := range c.CustomFields {
		out.CustomFields[i] = CustomFieldValue{ID: cf.ID, Value: cloneValue(cf.Value)}
	}
	out.AdditionalEmails = slices.Clone(c.AdditionalEmails)
	out.AdditionalPhones = slices.Clone(c.AdditionalPhones)
	out.Followers = slices.Clone(c.Followers)
	out.Campaigns = slices.Clone(c.Campaigns)
	out.Workflows = slices.Clone(c.Workflows)
	return out
}

func (a *Appointment) clone() Appointment {
	out := *a
	out.Users = slices.Clone(a.Users)
	return out
}

func (l *Location) clone() Location {
	out := *l
	out.Calendars = slices.Clone(l.Calendars)
	out.CustomFields = slices.Clone(l.CustomFields)
	for i := range out.CustomFields {
		out.CustomFields[i].PicklistOptions = slices.Clone(l.CustomFields[i].PicklistOptions)
	}
	return out
}

// cloneValue deep-copies a decoded JSON value.
func cloneValue(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return slices.Clone(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = cloneValue(e)
		}
		return out
	default:
		return v
	}
}

// fullName joins first and last name the way HighLevel shows it.
func (c *Contact) fullName() string {
	switch {
	case c.FirstName == "":
		return c.LastName
	case c.LastName == "":
		return c.FirstName
	}
	return c.FirstName + " " + c.LastName
}
