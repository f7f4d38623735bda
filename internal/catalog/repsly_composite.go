package catalog

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// contactCodePrefix starts the Code of a Repsly client made from a
// HighLevel contact: "GHL-<contactId>" is deterministic, so a retried import
// updates the client instead of adding a second one (DESIGN: default mapping).
const contactCodePrefix = "GHL-"

// maxCodeLen is the longest Code Repsly accepts.
const maxCodeLen = 50

// contactIn is the part of a HighLevel contact the cross-app actions read.
// Other fields are allowed (a trigger's contact can be passed whole) and
// ignored.
type contactIn struct {
	ID          string `json:"id"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	CompanyName string `json:"companyName"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
	Address1    string `json:"address1"`
	City        string `json:"city"`
	State       string `json:"state"`
	PostalCode  string `json:"postalCode"`
	Country     string `json:"country"`
	Website     string `json:"website"`
}

// contactProp is the schema of a HighLevel contact given as input.
func contactProp() map[string]any {
	return map[string]any{"type": "object", "required": []string{"id"},
		"description": "a HighLevel contact (e.g. a trigger's contact); id is required, other fields are used when present",
		"properties": map[string]any{"id": nonEmpty("contact id"), "firstName": str(""), "lastName": str(""),
			"companyName": str(""), "email": str(""), "phone": str(""), "address1": str(""), "city": str(""),
			"state": str(""), "postalCode": str(""), "country": str("ISO 3166-1 alpha-2"), "website": str("")}}
}

// Outputs of the composite Repsly actions.
type (
	// ClientImportResult is an import of one client, with its Code.
	ClientImportResult struct {
		Code   string              `json:"Code"`
		Result repsly.ImportResult `json:"Result"`
	}
	// ScheduledVisit is a visit planned for a contact.
	ScheduledVisit struct {
		ClientCode    string              `json:"ClientCode"`
		ClientCreated bool                `json:"ClientCreated"`
		ScheduleCode  string              `json:"ScheduleCode"`
		Result        repsly.ImportResult `json:"Result"`
	}
)

type (
	fromContactInput struct {
		Contact            contactIn `json:"contact"`
		Code               string    `json:"Code"`
		RepresentativeCode string    `json:"RepresentativeCode"`
	}
	scheduleForContactInput struct {
		Contact            contactIn `json:"contact"`
		ClientCode         string    `json:"ClientCode"`
		RepresentativeCode string    `json:"RepresentativeCode"`
		Date               string    `json:"Date"`
		Time               string    `json:"Time"`
		DurationMinutes    int       `json:"DurationMinutes"`
		Note               string    `json:"Note"`
		ScheduleCode       string    `json:"ScheduleCode"`
	}
	cancelScheduleInput struct {
		ScheduleCode  string `json:"ScheduleCode"`
		ClientCode    string `json:"ClientCode"`
		UserID        string `json:"UserID"`
		ScheduledDate string `json:"ScheduledDate"`
	}
	// clientUpdateInput is a partial client: only Code is required.
	clientUpdateInput = repsly.ClientImport
)

func repslyCompositeActions() []*Entry {
	codeIn := hand(map[string]any{"Code": nonEmpty("client code")}, "Code")
	return []*Entry{
		action(spec{id: "repsly.client.deactivate", app: AppRepsly, title: "Deactivate client",
			desc: "Sets Active=false on the client with this Code, Repsly's stand-in for deleting it (Repsly has no deletes). " +
				"The client is read first and written back whole, so no other field changes.",
			ops: []string{"get_client", "import_client"}, input: codeIn, output: outputOf[repsly.ImportResult](),
			example: `{"Code":"C-1001"}`},
			func(ctx context.Context, x *exec, in codeInput) (any, error) {
				return x.repsly.DeactivateClient(ctx, in.Code)
			}),
		action(spec{id: "repsly.client.activate", app: AppRepsly, title: "Reactivate client",
			desc: "Sets Active=true on a deactivated client, changing nothing else.",
			ops:  []string{"get_client", "import_client"}, input: codeIn, output: outputOf[repsly.ImportResult](),
			example: `{"Code":"C-1001"}`},
			func(ctx context.Context, x *exec, in codeInput) (any, error) {
				cl, err := x.repsly.GetClient(ctx, in.Code)
				if err != nil {
					return nil, err
				}
				imp := repsly.ClientImportFrom(cl)
				imp.Active = repsly.Bool(true)
				return x.repsly.UpsertClients(ctx, []repsly.ClientImport{imp})
			}),
		action(spec{id: "repsly.client.update", app: AppRepsly, title: "Update client fields",
			desc: "Changes only the given fields of the client with this Code: the client is read, the fields are laid over it and " +
				"it is written back, so Name need not be known. An unknown Code is a not-found error (use repsly.client.upsert to create).",
			ops:     []string{"get_client", "import_client"},
			input:   schemaOf[clientUpdateInput]([]string{"Code"}),
			output:  outputOf[repsly.ImportResult](),
			example: `{"Code":"C-1001","Phone":"+1 617 555 0100","Territory":"East>Boston"}`},
			func(ctx context.Context, x *exec, in json.RawMessage) (any, error) {
				var code codeInput
				if err := json.Unmarshal(in, &code); err != nil {
					return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
				}
				cl, err := x.repsly.GetClient(ctx, code.Code)
				if err != nil {
					return nil, err
				}
				imp := repsly.ClientImportFrom(cl)
				if err := json.Unmarshal(in, &imp); err != nil {
					return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
				}
				return x.repsly.UpsertClients(ctx, []repsly.ClientImport{imp})
			}),
		action(spec{id: "repsly.client.upsert_from_contact", app: AppRepsly, title: "Create or update client from HighLevel contact",
			desc: "Turns a HighLevel contact into a Repsly client with the default mapping (companyName or the contact's name as " +
				"Name, first and last name as ContactName, address, email, phone, website) and upserts it under Code GHL-<contactId> " +
				"(or the Code given), so running it twice updates the same client.",
			ops: []string{"import_client"},
			input: hand(map[string]any{"contact": contactProp(), "Code": str("client code; default GHL-<contact id>"),
				"RepresentativeCode": str("rep who owns the client")}, "contact"),
			output:  outputOf[ClientImportResult](),
			example: `{"contact":{"id":"ocQHyuzHvysMo5N5VsXc","firstName":"Ada","lastName":"Lovelace","companyName":"Corner Market","email":"ada@corner.example","city":"Boston","country":"US"}}`},
			func(ctx context.Context, x *exec, in fromContactInput) (any, error) {
				imp, err := clientFromContact(in.Contact, in.Code)
				if err != nil {
					return nil, err
				}
				imp.RepresentativeCode = in.RepresentativeCode
				res, err := x.repsly.UpsertClients(ctx, []repsly.ClientImport{imp})
				return ClientImportResult{Code: imp.Code, Result: res}, err
			}),
		action(spec{id: "repsly.visit.schedule_for_contact", app: AppRepsly, title: "Schedule a rep visit for a HighLevel contact",
			desc: "Plans a one-off visit by a rep at the Repsly client of a HighLevel contact: the client is found by ClientCode " +
				"(default GHL-<contactId>) and created from the contact when missing. The ScheduleCode defaults to one derived from " +
				"the contact, date and time, so a retry updates the same schedule instead of planning a second visit.",
			ops: []string{"get_client", "import_client", "import_schedule"},
			input: hand(map[string]any{"contact": contactProp(), "ClientCode": str("Repsly client code; default GHL-<contact id>"),
				"RepresentativeCode": nonEmpty("the rep's code (UserID in Repsly)"), "Date": date("visit day, YYYY-MM-DD"),
				"Time":            map[string]any{"type": "string", "pattern": `^([01]\d|2[0-3]):[0-5]\d$`, "description": "HH:MM, default 09:00"},
				"DurationMinutes": map[string]any{"type": "integer", "minimum": 1, "maximum": 1440},
				"Note":            str("visit note for the rep"), "ScheduleCode": str("schedule code; default derived")},
				"contact", "RepresentativeCode", "Date"),
			output:  outputOf[ScheduledVisit](),
			example: `{"contact":{"id":"ocQHyuzHvysMo5N5VsXc","companyName":"Corner Market"},"RepresentativeCode":"REP-1","Date":"2025-03-04","Time":"10:30","Note":"Follow-up from the web enquiry"}`},
			scheduleForContact),
		action(spec{id: "repsly.schedule.cancel", app: AppRepsly, title: "Cancel visit schedule",
			desc: "Deletes a planned visit by ScheduleCode (an import with Active=false, the only way Repsly removes one). " +
				"An unknown code fails the import job.",
			ops: []string{"import_schedule"},
			input: hand(map[string]any{"ScheduleCode": nonEmpty("schedule code"), "ClientCode": str("client code, if Repsly asks for it"),
				"UserID": str("rep code, if Repsly asks for it"), "ScheduledDate": date("planned day, if Repsly asks for it")}, "ScheduleCode"),
			output: outputOf[repsly.ImportResult](), example: `{"ScheduleCode":"GHL-ocQHyuzHvysMo5N5VsXc-202503041030"}`},
			cancelSchedule),
	}
}

// cancelSchedule posts the schedule with Active=false. The record is built
// by hand: the client's ImportSchedules insists on ClientCode, UserID and
// ScheduledDate, which a delete by ScheduleCode does not need.
func cancelSchedule(ctx context.Context, x *exec, in cancelScheduleInput) (any, error) {
	rec := map[string]any{"ScheduleCode": in.ScheduleCode, "Active": false, "RepeatEveryWeeks": 0}
	for k, v := range map[string]string{"ClientCode": in.ClientCode, "UserID": in.UserID, "ScheduledDate": in.ScheduledDate} {
		if v != "" {
			rec[k] = v
		}
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return x.repsly.Import(ctx, "import_schedule", []json.RawMessage{raw})
}

// clientFromContact maps a HighLevel contact to a Repsly client import.
func clientFromContact(c contactIn, code string) (repsly.ClientImport, error) {
	if code == "" {
		code = contactCodePrefix + c.ID
	}
	if len(code) > maxCodeLen {
		return repsly.ClientImport{}, fmt.Errorf("%w: client code %q is longer than %d characters", ErrInvalidInput, code, maxCodeLen)
	}
	person := strings.TrimSpace(c.FirstName + " " + c.LastName)
	name := cmp.Or(strings.TrimSpace(c.CompanyName), person, c.Email, code)
	return repsly.ClientImport{Code: code, Name: name, ContactName: person, Email: c.Email, Phone: c.Phone,
		StreetAddress: c.Address1, City: c.City, State: c.State, ZIP: c.PostalCode, Country: c.Country, Website: c.Website}, nil
}

// scheduleForContact implements repsly.visit.schedule_for_contact.
func scheduleForContact(ctx context.Context, x *exec, in scheduleForContactInput) (any, error) {
	day, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return nil, fmt.Errorf("%w: Date: %v", ErrInvalidInput, err)
	}
	clock := cmp.Or(in.Time, "09:00")
	at, err := time.Parse("15:04", clock)
	if err != nil {
		return nil, fmt.Errorf("%w: Time: %v", ErrInvalidInput, err)
	}
	out := ScheduledVisit{ClientCode: cmp.Or(in.ClientCode, contactCodePrefix+in.Contact.ID)}
	if _, err := x.repsly.GetClient(ctx, out.ClientCode); errors.Is(err, repsly.ErrNotFound) {
		imp, err := clientFromContact(in.Contact, out.ClientCode)
		if err != nil {
			return nil, err
		}
		imp.RepresentativeCode = in.RepresentativeCode
		if _, err := x.repsly.UpsertClients(ctx, []repsly.ClientImport{imp}); err != nil {
			return nil, fmt.Errorf("create client %s: %w", out.ClientCode, err)
		}
		out.ClientCreated = true
	} else if err != nil {
		return nil, err
	}
	out.ScheduleCode = in.ScheduleCode
	if out.ScheduleCode == "" {
		out.ScheduleCode = scheduleCode(in.Contact.ID, day, clock)
	}
	res, err := x.repsly.ImportSchedules(ctx, []repsly.ScheduleImport{{
		ScheduleCode: out.ScheduleCode, ClientCode: out.ClientCode, UserID: in.RepresentativeCode,
		ScheduledDate: repsly.NewTime(day, repsly.LayoutDate), ScheduledTime: repsly.NewTime(at, repsly.LayoutClock),
		ScheduledDuration: in.DurationMinutes, VisitNote: in.Note, ExternalID: "ghl:" + in.Contact.ID,
	}})
	out.Result = res
	return out, err
}

// scheduleCode derives a stable schedule code from the contact and time.
func scheduleCode(contactID string, day time.Time, clock string) string {
	code := contactCodePrefix + contactID + "-" + day.Format("20060102") + strings.ReplaceAll(clock, ":", "")
	if len(code) <= maxCodeLen {
		return code
	}
	sum := sha256.Sum256([]byte(code))
	return contactCodePrefix + hex.EncodeToString(sum[:12])
}
