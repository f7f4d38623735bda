package ghlsandbox

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
)

// normalizeContact applies what the service does to every stored contact:
// E.164 phones, trimmed emails, lower-case unique tags, a default type.
func normalizeContact(ls *locState, ct *Contact) {
	ct.Country = strings.ToUpper(strings.TrimSpace(ct.Country))
	ct.Phone = normalizePhone(ct.Phone, ct.Country, ls.loc.Country)
	ct.Email = normalizeEmail(ct.Email)
	ct.Tags = normalizeTags(ct.Tags)
	for i, p := range ct.AdditionalPhones {
		ct.AdditionalPhones[i] = normalizePhone(p, ct.Country, ls.loc.Country)
	}
	if ct.Type == "" {
		ct.Type = "lead"
	}
}

// findMatch returns the location's contact with the same email or, failing
// that, the same phone: the "email, then phone" priority HighLevel uses for
// duplicates and upserts (reference §7).
func (s *Server) findMatch(locationID, email, phone, exceptID string) (*Contact, string) {
	if m := s.matches.lookup(locationID, email, "", exceptID, true); m != nil {
		return m, "email"
	}
	if m := s.matches.lookup(locationID, "", phone, exceptID, false); m != nil {
		return m, "phone"
	}
	return nil, ""
}

// earlier reports whether a was added before b (or b is nil); the oldest
// match wins, deterministically.
func earlier(a, b *Contact) bool {
	if b == nil {
		return true
	}
	if c := a.DateAdded.Compare(b.DateAdded); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// checkDuplicate refuses ct when its location does not allow duplicates and
// another contact has its email or phone.
func (s *Server) checkDuplicate(ls *locState, ct *Contact) error {
	if ls.loc.AllowDuplicateContact {
		return nil
	}
	if m, field := s.findMatch(ls.loc.ID, ct.Email, ct.Phone, ct.ID); m != nil {
		return &DuplicateContactError{ContactID: m.ID, ContactName: m.fullName(), MatchingField: field}
	}
	return nil
}

// insertContact stores a new contact and emits ContactCreate. Callers hold s.mu.
func (s *Server) insertContact(ls *locState, ct *Contact, now time.Time, checkDup bool) error {
	normalizeContact(ls, ct)
	if checkDup {
		if err := s.checkDuplicate(ls, ct); err != nil {
			return err
		}
	}
	if ct.ID == "" {
		ct.ID = s.newID()
	}
	ct.LocationID = ls.loc.ID
	if ct.DateAdded.IsZero() {
		ct.DateAdded = now
	}
	ct.DateUpdated = now
	s.contacts[ct.ID] = ct
	s.searchVersion++
	s.dropAddedOrder(ct.LocationID)
	s.matches.add(ct)
	s.learnTags(ls, ct.Tags)
	s.emitContact("ContactCreate", ct, false)
	return nil
}

// replaceContact stores the changed contact next (a modified clone of the
// stored one) and emits the events its changes call for. sentOther says
// whether the change touched more than tags and DND. Callers hold s.mu.
func (s *Server) replaceContact(ls *locState, next *Contact, now time.Time, sentOther bool) {
	old := s.contacts[next.ID]
	normalizeContact(ls, next)
	tagsChanged := !slices.Equal(old.Tags, next.Tags)
	dndChanged := old.DND != next.DND || !reflect.DeepEqual(old.DNDSettings, next.DNDSettings) ||
		!reflect.DeepEqual(old.InboundDND, next.InboundDND)
	next.DateUpdated = now
	s.matches.remove(old)
	s.contacts[next.ID] = next
	s.searchVersion++
	s.matches.add(next)
	s.learnTags(ls, next.Tags)
	// ContactUpdate fires for every update call that is not only a tag or
	// DND change; ContactTagUpdate and ContactDndUpdate fire when those change.
	if sentOther || (!tagsChanged && !dndChanged) {
		s.emitContact("ContactUpdate", next, false)
	}
	if tagsChanged {
		s.emitContact("ContactTagUpdate", next, false)
	}
	if dndChanged {
		s.emitContact("ContactDndUpdate", next, true)
	}
}

// deleteContact removes a contact with its tasks and notes and emits
// ContactDelete. Callers hold s.mu.
func (s *Server) deleteContact(ct *Contact) {
	delete(s.contacts, ct.ID)
	s.searchVersion++
	s.dropAddedOrder(ct.LocationID)
	s.matches.remove(ct)
	for id, t := range s.tasks {
		if t.ContactID == ct.ID {
			delete(s.tasks, id)
		}
	}
	for id, n := range s.notes {
		if n.ContactID == ct.ID {
			delete(s.notes, id)
		}
	}
	s.emitContact("ContactDelete", ct, false)
}

// contactFor finds the contact of a path parameter and checks the token may
// see it. Some of its callers change the contact in place (followers,
// campaigns, workflows), so cached search totals are dropped.
func (s *Server) contactFor(c *call, id string) (*Contact, *locState, error) {
	ct, ok := s.contacts[id]
	if !ok {
		return nil, nil, contactNotFound(id)
	}
	ls, err := s.needLocation(c, ct.LocationID)
	if err != nil {
		return nil, nil, err
	}
	s.searchVersion++
	return ct, ls, nil
}

// sentOtherFields reports whether a PUT/upsert body holds more than tags
// and DND properties.
func sentOtherFields(in input) bool {
	for k := range in {
		switch k {
		case "tags", "dnd", "dndSettings", "inboundDndSettings", "locationId", "createNewIfDuplicateAllowed":
		default:
			return true
		}
	}
	return false
}

// POST /contacts/ (create-contact): 201 {contact}.
func (s *Server) hCreateContact(c *call) (int, any, error) {
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	ct := &Contact{LocationID: locID}
	if err := applyContactInput(ls, ct, c.in); err != nil {
		return 0, nil, err
	}
	if err := s.insertContact(ls, ct, c.now, true); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, &contactBody{ct: snapshotContact(ct), form: formCreate}, nil
}

// GET /contacts/{contactId} (get-contact): 200 {contact}.
func (s *Server) hGetContact(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &contactBody{ct: snapshotContact(ct), form: formGet}, nil
}

// PUT /contacts/{contactId} (update-contact): 200 {succeded, contact}.
func (s *Server) hUpdateContact(c *call) (int, any, error) {
	ct, ls, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	next := ct.clone()
	if err := applyContactInput(ls, &next, c.in); err != nil {
		return 0, nil, err
	}
	normalizeContact(ls, &next)
	if err := s.checkDuplicate(ls, &next); err != nil {
		return 0, nil, err
	}
	s.replaceContact(ls, &next, c.now, sentOtherFields(c.in))
	return http.StatusOK, &contactBody{ct: next, form: formGet, flagKey: "succeded", flag: true}, nil
}

// DELETE /contacts/{contactId} (delete-contact): 200 {succeded}.
func (s *Server) hDeleteContact(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	s.deleteContact(ct)
	return http.StatusOK, obj{"succeded": true}, nil
}

// POST /contacts/upsert (upsert-contact): 200 {new, contact, traceId}, also
// when the contact is new (reference §7). An existing contact is found by
// email, then phone; with duplicates allowed and createNewIfDuplicateAllowed
// a new contact is always created.
func (s *Server) hUpsertContact(c *call) (int, any, error) {
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	probe := &Contact{LocationID: locID}
	if err := applyContactInput(ls, probe, c.in); err != nil {
		return 0, nil, err
	}
	normalizeContact(ls, probe)
	createNew, _ := c.in.boolean("createNewIfDuplicateAllowed")
	var match *Contact
	if !(createNew && ls.loc.AllowDuplicateContact) {
		match, _ = s.findMatch(locID, probe.Email, probe.Phone, "")
	}
	if match == nil {
		if err := s.insertContact(ls, probe, c.now, false); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, &contactBody{ct: snapshotContact(probe), form: formGet, flagKey: "new", flag: true}, nil
	}
	next := match.clone()
	if err := applyContactInput(ls, &next, c.in); err != nil {
		return 0, nil, err
	}
	s.replaceContact(ls, &next, c.now, sentOtherFields(c.in))
	return http.StatusOK, &contactBody{ct: next, form: formGet, flagKey: "new", flag: false}, nil
}

// GET /contacts/search/duplicate (get-duplicate-contact): 200 {contact},
// contact null when none matches.
func (s *Server) hDuplicateContact(c *call) (int, any, error) {
	locID, _ := c.q.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	email, _ := c.q.str("email")
	number, _ := c.q.str("number")
	if email == "" && number == "" {
		return 0, nil, errBadRequest("Pass at least one of number, email query parameter")
	}
	phone := normalizePhone(number, "", ls.loc.Country)
	m, _ := s.findMatch(locID, normalizeEmail(email), phone, "")
	if m == nil {
		return http.StatusOK, obj{"contact": nil}, nil
	}
	return http.StatusOK, obj{"contact": contactGetJSON(m)}, nil
}

// sortedContacts returns a location's contacts ordered by dateAdded, then
// id, so that every scan is deterministic. Callers hold s.mu.
func (s *Server) sortedContacts(locationID string) []*Contact {
	out := make([]*Contact, 0, len(s.contacts))
	for _, ct := range s.contacts {
		if locationID == "" || ct.LocationID == locationID {
			out = append(out, ct)
		}
	}
	slices.SortFunc(out, func(a, b *Contact) int {
		if c := a.DateAdded.Compare(b.DateAdded); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
