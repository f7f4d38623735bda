package ghlsandbox

import (
	"slices"
	"strings"
)

// Hand-written encoders of the contact renderings in render.go
// (contactGetJSON, contactCreateJSON, contactSearchJSON, contactEvent).
// They write the members in the order encoding/json writes a map's keys
// (sorted), so the output is byte for byte what json.Marshal of the
// map-based rendering gives; contactjson_test.go compares the two.

// contactForm selects one of the contact renderings.
type contactForm int

const (
	formGet    contactForm = iota // GetContectByIdSchema: GET, PUT, upsert
	formCreate                    // CreateContactSchema: POST /contacts/
	formSearch                    // the search item, with searchAfter
)

// dndChannelsSorted are dndChannels in encoding/json's key order.
var dndChannelsSorted = slices.Sorted(slices.Values(dndChannels))

// contact appends ct as an object in the given form; searchAfter is used
// by formSearch only.
func (w *jsonWriter) contact(ct *Contact, form contactForm, searchAfter []any) {
	search := form == formSearch
	w.open('{')
	if search || len(ct.AdditionalEmails) > 0 {
		w.key("additionalEmails")
		w.list((ct.AdditionalEmails))
	}
	if search || len(ct.AdditionalPhones) > 0 {
		w.key("additionalPhones")
		w.list((ct.AdditionalPhones))
	}
	if search {
		w.strField("address", ct.Address1)
	} else {
		w.strField("address1", ct.Address1)
	}
	w.strField("assignedTo", ct.AssignedTo)
	if form == formCreate && !ct.DateOfBirth.IsZero() {
		w.key("birthDay")
		w.int(ct.DateOfBirth.Day())
		w.key("birthMonth")
		w.int(int(ct.DateOfBirth.Month()) - 1)
	}
	w.strField("businessId", ct.BusinessID)
	w.strField("city", ct.City)
	w.strField("companyName", ct.CompanyName)
	w.strField("country", ct.Country)
	w.key("customFields")
	w.customFields(ct.CustomFields)
	w.key("dateAdded")
	w.time(ct.DateAdded)
	w.timeField("dateOfBirth", ct.DateOfBirth)
	w.key("dateUpdated")
	w.time(ct.DateUpdated)
	if form == formCreate {
		w.key("deleted")
		w.boolean(false)
	}
	w.key("dnd")
	w.boolean(ct.DND)
	if len(ct.DNDSettings) > 0 {
		w.key("dndSettings")
		w.dndSettings(ct.DNDSettings)
	}
	w.strField("email", ct.Email)
	if !search {
		w.strField("emailLowerCase", strings.ToLower(ct.Email))
	}
	w.strField("firstName", ct.FirstName)
	w.strField("firstNameLowerCase", strings.ToLower(ct.FirstName))
	if search || len(ct.Followers) > 0 {
		w.key("followers")
		w.list((ct.Followers))
	}
	if !search {
		w.strField("fullNameLowerCase", strings.ToLower(ct.fullName()))
	}
	w.key("id")
	w.str(ct.ID)
	if !search && ct.InboundDND != nil {
		w.key("inboundDndSettings")
		w.open('{')
		w.key("all")
		w.open('{')
		w.strField("message", ct.InboundDND.Message)
		w.key("status")
		w.str(ct.InboundDND.Status)
		w.close('}')
		w.close('}')
	}
	w.strField("lastName", ct.LastName)
	w.strField("lastNameLowerCase", strings.ToLower(ct.LastName))
	w.key("locationId")
	w.str(ct.LocationID)
	w.strField("phone", ct.Phone)
	w.strField("postalCode", ct.PostalCode)
	if search {
		w.key("searchAfter")
		w.value(searchAfter)
	}
	w.strField("source", ct.Source)
	w.strField("state", ct.State)
	w.key("tags")
	w.list((ct.Tags))
	if !search {
		w.strField("timezone", ct.Timezone)
	}
	w.key("type")
	w.str(ct.Type)
	w.strField("website", ct.Website)
	w.close('}')
}

// list writes strList(v): nil as an empty array.
func (w *jsonWriter) list(v []string) {
	if v == nil {
		v = []string{}
	}
	w.strs(v)
}

// customFields writes customFieldsJSON: [{id, value}], never null.
func (w *jsonWriter) customFields(cfs []CustomFieldValue) {
	w.open('[')
	for _, cf := range cfs {
		w.sep()
		w.open('{')
		w.key("id")
		w.str(cf.ID)
		w.key("value")
		w.value(cf.Value)
		w.close('}')
	}
	w.close(']')
}

// dndSettings writes dndJSON: the known channels that are set.
func (w *jsonWriter) dndSettings(settings map[string]DNDSetting) {
	w.open('{')
	for _, ch := range dndChannelsSorted {
		set, ok := settings[ch]
		if !ok {
			continue
		}
		w.key(ch)
		w.open('{')
		w.strField("code", set.Code)
		w.strField("message", set.Message)
		w.key("status")
		w.str(set.Status)
		w.close('}')
	}
	w.close('}')
}

// appendContactEvent appends the body of a Contact* webhook: contactEvent
// with the delivery fields emit adds, and dndSettings for ContactDndUpdate.
func appendContactEvent(b []byte, ct *Contact, typ, locationID, webhookID, timestamp string, withDND bool) ([]byte, error) {
	w := jsonWriter{b: b}
	w.open('{')
	w.strField("address1", ct.Address1)
	w.strField("assignedTo", ct.AssignedTo)
	w.key("attachments")
	w.open('[')
	w.close(']')
	w.strField("city", ct.City)
	w.strField("companyName", ct.CompanyName)
	w.strField("country", ct.Country)
	w.key("customFields")
	w.customFields(ct.CustomFields)
	w.key("dateAdded")
	w.time(ct.DateAdded)
	w.timeField("dateOfBirth", ct.DateOfBirth)
	w.key("dnd")
	w.boolean(ct.DND)
	if withDND {
		w.key("dndSettings")
		w.dndSettings(ct.DNDSettings)
	}
	w.strField("email", ct.Email)
	w.strField("firstName", ct.FirstName)
	w.key("id")
	w.str(ct.ID)
	w.strField("lastName", ct.LastName)
	w.key("locationId")
	w.str(locationID)
	w.strField("name", ct.fullName())
	w.strField("phone", ct.Phone)
	w.strField("postalCode", ct.PostalCode)
	w.strField("source", ct.Source)
	w.strField("state", ct.State)
	w.key("tags")
	w.list((ct.Tags))
	w.key("timestamp")
	w.str(timestamp)
	w.key("type")
	w.str(typ)
	w.key("webhookId")
	w.str(webhookID)
	w.strField("website", ct.Website)
	w.close('}')
	return w.b, w.err
}

// encodedBody is a handler result that encodes itself. ServeHTTP encodes
// it after releasing s.mu, so it must hold no references to state another
// request could change: the contact bodies below hold snapshots
// (snapshotContact) taken while s.mu was held.
type encodedBody interface {
	appendJSON(b []byte, traceID string) ([]byte, error)
}

// snapshotContact copies a stored contact for encoding outside s.mu. The
// copy shares the slices and maps of the stored contact: those are never
// written in place once stored (changes assign fresh ones, see
// Server.contacts), so only the struct needs copying.
func snapshotContact(ct *Contact) Contact { return *ct }

// contactBody is {contact} (GET, POST), {contact, succeded} (PUT) or
// {contact, new} (upsert), with the traceId every response carries.
type contactBody struct {
	ct   Contact
	form contactForm // formGet or formCreate
	// flagKey, when set, is "new" or "succeded", written with flag.
	flagKey string
	flag    bool
}

func (cb *contactBody) appendJSON(b []byte, traceID string) ([]byte, error) {
	w := jsonWriter{b: b}
	w.open('{')
	w.key("contact")
	w.contact(&cb.ct, cb.form, nil)
	switch cb.flagKey {
	case "new":
		w.key("new")
		w.boolean(cb.flag)
	case "succeded":
		w.key("succeded")
		w.boolean(cb.flag)
	}
	w.key("traceId")
	w.str(traceID)
	w.close('}')
	return w.b, w.err
}

// searchBody is the POST /contacts/search answer {contacts, total}.
type searchBody struct {
	contacts []Contact // snapshots
	cursors  [][]any   // searchAfter of each contact
	total    int
}

func (sb *searchBody) appendJSON(b []byte, traceID string) ([]byte, error) {
	// About 700 bytes a contact: grow once rather than a dozen times.
	w := jsonWriter{b: slices.Grow(b, 700*len(sb.contacts)+64)}
	w.open('{')
	w.key("contacts")
	w.open('[')
	for i := range sb.contacts {
		w.sep()
		w.contact(&sb.contacts[i], formSearch, sb.cursors[i])
	}
	w.close(']')
	w.key("total")
	w.int(sb.total)
	w.key("traceId")
	w.str(traceID)
	w.close('}')
	return w.b, w.err
}
