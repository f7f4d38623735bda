package repsly

import "context"

// Form is a submitted form (flat). Items keep the questions in order;
// Field is the question text verbatim.
type Form struct {
	FormID             int64         `json:"FormID"`
	FormName           string        `json:"FormName"`
	ClientCode         string        `json:"ClientCode"`
	ClientName         string        `json:"ClientName"`
	DateAndTime        Time          `json:"DateAndTime"`
	RepresentativeCode string        `json:"RepresentativeCode"`
	RepresentativeName string        `json:"RepresentativeName"`
	StreetAddress      string        `json:"StreetAddress"`
	ZIP                string        `json:"ZIP"`
	ZIPExt             string        `json:"ZIPExt"`
	City               string        `json:"City"`
	State              string        `json:"State"`
	Country            string        `json:"Country"`
	Email              string        `json:"Email"`
	Phone              string        `json:"Phone"`
	Mobile             string        `json:"Mobile"`
	Territory          string        `json:"Territory"`
	Longitude          float64       `json:"Longitude"`
	Latitude           float64       `json:"Latitude"`
	SignatureURL       string        `json:"SignatureURL"`
	VisitStart         Time          `json:"VisitStart"`
	VisitEnd           Time          `json:"VisitEnd"`
	Items              []CustomField `json:"Items"`
	VisitID            int64         `json:"VisitID"`
}

// ExportForms returns the form submissions after an ID cursor.
func (c *Client) ExportForms(ctx context.Context, cursor Cursor) (Page[Form], error) {
	return exportPage[Form](ctx, c, "export_forms", cursor)
}

// FormSubmission is a submission of the "forms with matrix" export, which
// also carries matrix answers. The docs' table was cut off, so only the
// fields below are known.
type FormSubmission struct {
	ID              Text             `json:"Id"`
	CreatedUTC      Time             `json:"CreatedUtc"`
	TemplateID      Text             `json:"TemplateId"`
	TemplateName    string           `json:"TemplateName"`
	TemplateVersion Text             `json:"TemplateVersion"`
	LastUpdatedBy   string           `json:"LastUpdatedBy"`
	LastUpdatedUTC  Time             `json:"LastUpdatedUtc"`
	Answers         []FormAnswer     `json:"Answers"`
	Place           SubmissionPlace  `json:"Place"`
	User            SubmissionPerson `json:"User"`
}

// FormAnswer is one answer of a FormSubmission.
type FormAnswer struct {
	ID         Text   `json:"Id"`
	Name       string `json:"Name"`
	QuestionID Text   `json:"QuestionId"`
	Value      Text   `json:"Value"`
}

// SubmissionPlace is the client a FormSubmission was made at.
type SubmissionPlace struct {
	ID       Text     `json:"Id"`
	Name     string   `json:"Name"`
	Code     string   `json:"Code"`
	Address  string   `json:"Address"`
	TagNames []string `json:"TagNames"`
}

// SubmissionPerson is the user who made a FormSubmission.
type SubmissionPerson struct {
	ID        Text   `json:"Id"`
	Name      string `json:"Name"`
	Code      string `json:"Code"`
	AvatarURL string `json:"AvatarUrl"`
	Email     string `json:"Email"`
}

// ExportFormSubmissions returns "forms with matrix" submissions after an ID
// cursor. Its path and cursor are guesses (see Endpoints).
func (c *Client) ExportFormSubmissions(ctx context.Context, cursor Cursor) (Page[FormSubmission], error) {
	return exportPage[FormSubmission](ctx, c, "export_form_submissions", cursor)
}

// Photo is a photo a rep took.
type Photo struct {
	PhotoID            int64  `json:"PhotoID"`
	ClientCode         string `json:"ClientCode"`
	ClientName         string `json:"ClientName"`
	Note               string `json:"Note"`
	DateAndTime        Time   `json:"DateAndTime"`
	PhotoURL           string `json:"PhotoURL"`
	RepresentativeCode string `json:"RepresentativeCode"`
	RepresentativeName string `json:"RepresentativeName"`
	VisitID            int64  `json:"VisitID"`
	Tag                string `json:"Tag"`
}

// ExportPhotos returns the photos after an ID cursor. (encoding/json
// matches keys case-insensitively, so the "PhotoUrl" spelling one client
// reports fills PhotoURL too.)
func (c *Client) ExportPhotos(ctx context.Context, cursor Cursor) (Page[Photo], error) {
	return exportPage[Photo](ctx, c, "export_photos", cursor)
}
