package ghlsandbox

import (
	"slices"
	"strings"
	"time"
)

// The real service stores documents that simply lack unset fields, so the
// renderers below omit empty strings rather than sending nulls.

func putStr(m obj, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func putTime(m obj, k string, t time.Time) {
	if !t.IsZero() {
		m[k] = isoMillis(t)
	}
}

func strList(v []string) []string {
	if v == nil {
		return []string{}
	}
	return slices.Clone(v)
}

func customFieldsJSON(cfs []CustomFieldValue) []obj {
	out := make([]obj, 0, len(cfs))
	for _, cf := range cfs {
		out = append(out, obj{"id": cf.ID, "value": cloneValue(cf.Value)})
	}
	return out
}

func dndJSON(settings map[string]DNDSetting) obj {
	out := obj{}
	for _, ch := range dndChannels {
		set, ok := settings[ch]
		if !ok {
			continue
		}
		m := obj{"status": set.Status}
		putStr(m, "message", set.Message)
		putStr(m, "code", set.Code)
		out[ch] = m
	}
	return out
}

// contactGetJSON is GetContectByIdSchema (sic), the contact of GET, PUT and
// upsert responses.
func contactGetJSON(ct *Contact) obj {
	m := obj{
		"id":           ct.ID,
		"locationId":   ct.LocationID,
		"dnd":          ct.DND,
		"tags":         strList(ct.Tags),
		"customFields": customFieldsJSON(ct.CustomFields),
		"dateAdded":    isoMillis(ct.DateAdded),
		"dateUpdated":  isoMillis(ct.DateUpdated),
		"type":         ct.Type,
	}
	putStr(m, "firstName", ct.FirstName)
	putStr(m, "lastName", ct.LastName)
	putStr(m, "firstNameLowerCase", strings.ToLower(ct.FirstName))
	putStr(m, "lastNameLowerCase", strings.ToLower(ct.LastName))
	putStr(m, "fullNameLowerCase", strings.ToLower(ct.fullName()))
	putStr(m, "email", ct.Email)
	putStr(m, "emailLowerCase", strings.ToLower(ct.Email))
	putStr(m, "phone", ct.Phone)
	putStr(m, "companyName", ct.CompanyName)
	putStr(m, "address1", ct.Address1)
	putStr(m, "city", ct.City)
	putStr(m, "state", ct.State)
	putStr(m, "postalCode", ct.PostalCode)
	putStr(m, "country", ct.Country)
	putStr(m, "website", ct.Website)
	putStr(m, "timezone", ct.Timezone)
	putStr(m, "source", ct.Source)
	putStr(m, "assignedTo", ct.AssignedTo)
	putStr(m, "businessId", ct.BusinessID)
	putTime(m, "dateOfBirth", ct.DateOfBirth)
	if len(ct.DNDSettings) > 0 {
		m["dndSettings"] = dndJSON(ct.DNDSettings)
	}
	if ct.InboundDND != nil {
		all := obj{"status": ct.InboundDND.Status}
		putStr(all, "message", ct.InboundDND.Message)
		m["inboundDndSettings"] = obj{"all": all}
	}
	if len(ct.AdditionalEmails) > 0 {
		m["additionalEmails"] = slices.Clone(ct.AdditionalEmails)
	}
	if len(ct.AdditionalPhones) > 0 {
		m["additionalPhones"] = slices.Clone(ct.AdditionalPhones)
	}
	if len(ct.Followers) > 0 {
		m["followers"] = slices.Clone(ct.Followers)
	}
	return m
}

// taskJSON is TaskSchema.
func taskJSON(t *Task) obj {
	m := obj{
		"id":        t.ID,
		"title":     t.Title,
		"dueDate":   isoMillis(t.DueDate),
		"completed": t.Completed,
		"contactId": t.ContactID,
	}
	putStr(m, "body", t.Body)
	putStr(m, "assignedTo", t.AssignedTo)
	return m
}

// taskEvent is the payload of TaskCreate, TaskComplete and TaskDelete (no
// "completed" field, as documented).
func taskEvent(t *Task) obj {
	m := obj{
		"id":        t.ID,
		"contactId": t.ContactID,
		"title":     t.Title,
		"dateAdded": isoMillis(t.DateAdded),
		"dueDate":   isoMillis(t.DueDate),
	}
	putStr(m, "body", t.Body)
	putStr(m, "assignedTo", t.AssignedTo)
	return m
}

// noteJSON is the contacts spec's GetNoteSchema.
func noteJSON(n *Note) obj {
	m := obj{
		"id":        n.ID,
		"body":      n.Body,
		"dateAdded": isoMillis(n.DateAdded),
		"contactId": n.ContactID,
		"pinned":    n.Pinned,
	}
	putStr(m, "userId", n.UserID)
	putStr(m, "title", n.Title)
	putStr(m, "color", n.Color)
	return m
}

// noteEvent is the payload of NoteCreate, NoteUpdate and NoteDelete.
func noteEvent(n *Note) obj {
	return obj{"id": n.ID, "body": n.Body, "contactId": n.ContactID, "dateAdded": isoMillis(n.DateAdded)}
}
