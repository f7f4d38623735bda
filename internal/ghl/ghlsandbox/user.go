package ghlsandbox

import (
	"reflect"
	"slices"
	"time"
)

// The User* methods change the sandbox as someone working in the HighLevel
// UI would: they skip API validation, count no API call, and emit the same
// webhooks as the corresponding API operations.

// UserCreateContact creates a contact in c.LocationID (the first location
// when empty). The location's duplicate rule applies, as in the UI: a
// *DuplicateContactError says which contact holds the email or phone.
func (s *Server) UserCreateContact(c Contact) (Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.LocationID == "" {
		c.LocationID = s.locOrder[0]
	}
	ls, ok := s.locs[c.LocationID]
	if !ok {
		return Contact{}, ErrNotFound
	}
	ct := c.clone()
	ct.ID = ""
	if err := s.insertContact(ls, &ct, s.clock(), true); err != nil {
		return Contact{}, err
	}
	return ct.clone(), nil
}

// UserUpdateContact edits a contact through edit, which receives a copy.
// Id, location and dateAdded cannot change. An edit that changes nothing
// emits nothing.
func (s *Server) UserUpdateContact(id string, edit func(*Contact)) (Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.contacts[id]
	if !ok {
		return Contact{}, contactNotFound(id)
	}
	ls := s.locs[old.LocationID]
	next := old.clone()
	edit(&next)
	next.ID, next.LocationID, next.DateAdded, next.DateUpdated = old.ID, old.LocationID, old.DateAdded, old.DateUpdated
	normalizeContact(ls, &next)
	if reflect.DeepEqual(old.clone(), next) {
		return next, nil
	}
	s.replaceContact(ls, &next, s.clock(), otherFieldsDiffer(old, &next))
	return next.clone(), nil
}

// otherFieldsDiffer reports whether two versions of a contact differ in
// more than tags and DND settings.
func otherFieldsDiffer(a, b *Contact) bool {
	x, y := a.clone(), b.clone()
	for _, c := range []*Contact{&x, &y} {
		c.Tags, c.DND, c.DNDSettings, c.InboundDND = nil, false, nil, nil
	}
	return !reflect.DeepEqual(x, y)
}

// UserDeleteContact deletes a contact with its tasks and notes.
func (s *Server) UserDeleteContact(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[id]
	if !ok {
		return contactNotFound(id)
	}
	s.deleteContact(ct)
	return nil
}

// UserAddTag adds tags to a contact (ContactTagUpdate when any is new).
func (s *Server) UserAddTag(contactID string, tags ...string) (Contact, error) {
	return s.userTags(contactID, tags, nil)
}

// UserRemoveTag removes tags from a contact.
func (s *Server) UserRemoveTag(contactID string, tags ...string) (Contact, error) {
	return s.userTags(contactID, nil, tags)
}

func (s *Server) userTags(contactID string, add, remove []string) (Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[contactID]
	if !ok {
		return Contact{}, contactNotFound(contactID)
	}
	s.changeTags(s.locs[ct.LocationID], ct, add, remove, false, s.clock())
	return s.contacts[contactID].clone(), nil
}

// UserSetDND switches a contact's DND flag and every channel with it
// (ContactDndUpdate).
func (s *Server) UserSetDND(contactID string, dnd bool) (Contact, error) {
	status := "inactive"
	if dnd {
		status = "active"
	}
	return s.UserUpdateContact(contactID, func(c *Contact) {
		c.DND = dnd
		c.DNDSettings = map[string]DNDSetting{}
		for _, ch := range dndChannels {
			c.DNDSettings[ch] = DNDSetting{Status: status}
		}
	})
}

// UserAddNote adds a note to a contact (NoteCreate).
func (s *Server) UserAddNote(contactID, body string) (Note, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[contactID]
	if !ok {
		return Note{}, contactNotFound(contactID)
	}
	n := &Note{Body: body}
	s.insertNote(ct, n, s.clock())
	return *n, nil
}

// UserUpdateNote changes a note's body (NoteUpdate).
func (s *Server) UserUpdateNote(noteID, body string) (Note, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[noteID]
	if !ok {
		return Note{}, noteNotFound(noteID)
	}
	n.Body = body
	s.emit("NoteUpdate", n.LocationID, noteEvent(n))
	return *n, nil
}

// UserDeleteNote deletes a note (NoteDelete).
func (s *Server) UserDeleteNote(noteID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.notes[noteID]
	if !ok {
		return noteNotFound(noteID)
	}
	delete(s.notes, n.ID)
	s.emit("NoteDelete", n.LocationID, noteEvent(n))
	return nil
}

// UserCreateTask adds a task to a contact (TaskCreate). A zero DueDate
// means a day from now.
func (s *Server) UserCreateTask(contactID string, t Task) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[contactID]
	if !ok {
		return Task{}, contactNotFound(contactID)
	}
	now := s.clock()
	nt := t
	if nt.DueDate.IsZero() {
		nt.DueDate = now.Add(24 * time.Hour)
	}
	s.insertTask(ct, &nt, now)
	return nt, nil
}

// UserCompleteTask marks a task completed (TaskComplete).
func (s *Server) UserCompleteTask(taskID string) (Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[taskID]
	if !ok {
		return Task{}, taskNotFound(taskID)
	}
	s.setTaskCompleted(t, true, s.clock())
	return *t, nil
}

// UserDeleteTask deletes a task (TaskDelete).
func (s *Server) UserDeleteTask(taskID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[taskID]
	if !ok {
		return taskNotFound(taskID)
	}
	s.deleteTask(t)
	return nil
}

// UserCreateAppointment books an appointment for a.ContactID
// (AppointmentCreate), on the location's first calendar when CalendarID is
// empty, one slot long when EndTime is zero. Like a user overriding the
// calendar, it ignores free-slot rules.
func (s *Server) UserCreateAppointment(a Appointment) (Appointment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[a.ContactID]
	if !ok {
		return Appointment{}, contactNotFound(a.ContactID)
	}
	ls := s.locs[ct.LocationID]
	na := a.clone()
	na.ID, na.LocationID, na.Blocked = "", ct.LocationID, false
	if na.CalendarID == "" {
		na.CalendarID = ls.loc.Calendars[0].ID
	}
	cal, err := calendarOf(ls, na.CalendarID)
	if err != nil {
		return Appointment{}, &notFoundError{msg: "Calendar with id " + na.CalendarID + " not found"}
	}
	if na.EndTime.IsZero() {
		na.EndTime = na.StartTime.Add(time.Duration(cal.SlotMinutes) * time.Minute)
	}
	if na.Title == "" {
		na.Title = "Appointment with " + ct.fullName()
	}
	if na.Source == "" {
		na.Source = "booking_widget"
	}
	na.GroupID = cal.GroupID
	s.insertAppointment(&na, s.clock())
	return na.clone(), nil
}

// UserUpdateAppointment edits an appointment (AppointmentUpdate), e.g. to
// reschedule it or set Status "cancelled".
func (s *Server) UserUpdateAppointment(id string, edit func(*Appointment)) (Appointment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.appts[id]
	if !ok || a.Blocked {
		return Appointment{}, appointmentNotFound(id)
	}
	next := a.clone()
	edit(&next)
	next.ID, next.LocationID, next.DateAdded, next.Blocked = a.ID, a.LocationID, a.DateAdded, false
	s.updateAppointment(&next, s.clock())
	return next.clone(), nil
}

// UserDeleteAppointment deletes an appointment (AppointmentDelete).
func (s *Server) UserDeleteAppointment(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.appts[id]
	if !ok || a.Blocked {
		return appointmentNotFound(id)
	}
	s.deleteAppointment(a)
	return nil
}

// Contacts returns every contact of every location, oldest first.
func (s *Server) Contacts() []Contact { return s.LocationContacts("") }

// LocationContacts returns a location's contacts, oldest first ("" for all).
func (s *Server) LocationContacts(locationID string) []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Contact
	for _, ct := range s.sortedContacts(locationID) {
		out = append(out, ct.clone())
	}
	return out
}

// Contact returns one contact.
func (s *Server) Contact(id string) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ct, ok := s.contacts[id]
	if !ok {
		return Contact{}, false
	}
	return ct.clone(), true
}

// Tasks returns a contact's tasks, oldest first.
func (s *Server) Tasks(contactID string) []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Task
	for _, t := range s.contactTasks(contactID) {
		out = append(out, *t)
	}
	return out
}

// Notes returns a contact's notes, newest first.
func (s *Server) Notes(contactID string) []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Note
	for _, n := range s.contactNotes(contactID) {
		out = append(out, *n)
	}
	return out
}

// Appointments returns a location's appointments and blocked slots by
// start time ("" for every location).
func (s *Server) Appointments(locationID string) []Appointment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Appointment
	for _, a := range s.sortedAppointments(locationID) {
		out = append(out, a.clone())
	}
	return slices.Clip(out)
}
