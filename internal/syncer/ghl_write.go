package syncer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// ghlFields turns a flat patch into the writable contact fields. Keys the
// API cannot write are returned in unknown.
func (e *Engine) ghlFields(patch record) (f ghl.ContactFields, company *string, clear []string, unknown []string) {
	str := func(v any) string {
		s, _ := v.(string)
		return s
	}
	keys := make([]string, 0, len(patch))
	for k := range patch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := patch[k]
		if v == nil && k != "tags" && !strings.HasPrefix(k, "customFields.") && k != "companyName" {
			clear = append(clear, k)
			continue
		}
		switch k {
		case "firstName":
			f.FirstName = str(v)
		case "lastName":
			f.LastName = str(v)
		case "name":
			f.Name = str(v)
		case "email":
			f.Email = str(v)
		case "phone":
			f.Phone = str(v)
		case "address1":
			f.Address1 = str(v)
		case "city":
			f.City = str(v)
		case "state":
			f.State = str(v)
		case "postalCode":
			f.PostalCode = str(v)
		case "website":
			f.Website = str(v)
		case "timezone":
			f.Timezone = str(v)
		case "source":
			f.Source = str(v)
		case "dateOfBirth":
			f.DateOfBirth = str(v)
		case "country":
			f.Country = str(v)
		case "assignedTo":
			f.AssignedTo = str(v)
		case "companyName":
			s := str(v)
			company = &s
		case "tags":
			f.Tags = []string{}
			if list, ok := v.([]any); ok {
				for _, t := range list {
					f.Tags = append(f.Tags, fmt.Sprint(t))
				}
			}
		default:
			if key, ok := strings.CutPrefix(k, "customFields."); ok {
				in := ghl.CustomFieldInput{ID: e.idOf[key], FieldValue: v}
				if in.ID == "" {
					in.Key = "contact." + key
				}
				f.CustomFields = append(f.CustomFields, in)
				continue
			}
			unknown = append(unknown, k)
		}
	}
	return f, company, clear, unknown
}

// createContact creates a contact from a full image.
func (e *Engine) createContact(ctx context.Context, img record) (*ghl.Contact, error) {
	f, company, _, _ := e.ghlFields(img)
	req := ghl.CreateContactRequest{ContactFields: f, LocationID: e.ghl.LocationID()}
	if company != nil {
		req.CompanyName = *company
	}
	return e.ghl.CreateContact(ctx, req)
}

// updateContact writes a patch. HighLevel's update refuses companyName
// (it may only be set on create or upsert), so a patch that changes it
// goes through upsert, matched by the contact's email or phone, and the
// answer must name the same contact; without either key the company name
// cannot be changed and that is reported.
func (e *Engine) updateContact(ctx context.Context, id string, patch, current record) (*ghl.Contact, error) {
	f, company, clear, unknown := e.ghlFields(patch)
	if len(unknown) > 0 {
		return nil, fmt.Errorf("syncer: HighLevel contact fields %v cannot be written; fix the flow's mapping targets", unknown)
	}
	if company == nil {
		return e.ghl.UpdateContact(ctx, id, ghl.UpdateContactRequest{ContactFields: f, Clear: clear})
	}
	email, _ := current.merge(patch)["email"].(string)
	phone, _ := current.merge(patch)["phone"].(string)
	if email == "" && phone == "" {
		return nil, fmt.Errorf("syncer: contact %s: HighLevel only changes companyName through upsert, which needs an email or phone on the contact", id)
	}
	f.Email, f.Phone = email, phone
	res, err := e.ghl.UpsertContact(ctx, ghl.UpsertContactRequest{ContactFields: f, LocationID: e.ghl.LocationID(), CompanyName: *company, Clear: clear})
	if err != nil {
		return nil, err
	}
	if res.Contact.ID != id {
		return nil, fmt.Errorf("syncer: contact %s: upsert to change companyName matched contact %s instead (duplicate email or phone)", id, res.Contact.ID)
	}
	return &res.Contact, nil
}

// applyGHLPatch returns the contact input map with a flat patch applied;
// contact is not modified.
func applyGHLPatch(contact map[string]any, patch record, idOf map[string]string) map[string]any {
	out := make(map[string]any, len(contact)+len(patch))
	for k, v := range contact {
		out[k] = v
	}
	return patchGHL(out, patch, idOf)
}

// patchGHL applies a flat patch to out itself (a map no one else holds:
// link states are replaced, never mutated) and returns it.
func patchGHL(out map[string]any, patch record, idOf map[string]string) map[string]any {
	for k, v := range patch {
		key, isCF := strings.CutPrefix(k, "customFields.")
		if !isCF {
			if v == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
			continue
		}
		list, _ := out["customFields"].([]any)
		next := make([]any, 0, len(list)+1)
		found := false
		for _, e := range list {
			f, _ := e.(map[string]any)
			if f != nil && (f["key"] == key || (idOf[key] != "" && f["id"] == idOf[key])) {
				found = true
				if v == nil {
					continue
				}
				nf := map[string]any{"id": f["id"], "key": key, "value": v}
				next = append(next, nf)
				continue
			}
			next = append(next, e)
		}
		if !found && v != nil {
			next = append(next, map[string]any{"id": idOf[key], "key": key, "value": v})
		}
		out["customFields"] = next
	}
	return out
}

// mergeTagsPatch computes the contact's tag list after Repsly's tags moved
// from old to new: tags others set on the contact are kept (DESIGN: tags
// merge, never overwrite others' tags).
func mergeTagsPatch(current, old, new any) []any {
	drop := map[string]bool{}
	for _, t := range asList(old) {
		drop[strings.ToLower(fmt.Sprint(t))] = true
	}
	for _, t := range asList(new) {
		delete(drop, strings.ToLower(fmt.Sprint(t)))
	}
	var out []any
	for _, t := range asList(current) {
		if !drop[strings.ToLower(fmt.Sprint(t))] {
			out = append(out, t)
		}
	}
	out = append(out, asList(new)...)
	return sortedStrings(out)
}

func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}
