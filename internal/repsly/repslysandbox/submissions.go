package repslysandbox

import (
	"hash/fnv"
	"net/http"
	"strings"
)

// Submission is a form submission as the "forms with matrix" export returns
// it (documented fields only; the table was cut off after User).
type Submission struct {
	Id              int64              `json:"Id"`
	CreatedUtc      string             `json:"CreatedUtc"`
	TemplateId      string             `json:"TemplateId"`
	TemplateName    string             `json:"TemplateName"`
	TemplateVersion int                `json:"TemplateVersion"`
	LastUpdatedBy   string             `json:"LastUpdatedBy"`
	LastUpdatedUtc  string             `json:"LastUpdatedUtc"`
	Answers         []SubmissionAnswer `json:"Answers"`
	Place           SubmissionPlace    `json:"Place"`
	User            SubmissionUser     `json:"User"`
}

// SubmissionAnswer is one answer of a Submission.
type SubmissionAnswer struct {
	Id         string `json:"Id"`
	Name       string `json:"Name"`
	QuestionId string `json:"QuestionId"`
	Value      string `json:"Value"`
}

// SubmissionPlace is the client a Submission was made at.
type SubmissionPlace struct {
	Id       string   `json:"Id"`
	Name     string   `json:"Name"`
	Code     string   `json:"Code"`
	Address  string   `json:"Address"`
	TagNames []string `json:"TagNames"`
}

// SubmissionUser is the rep who made a Submission.
type SubmissionUser struct {
	Id        string `json:"Id"`
	Name      string `json:"Name"`
	Code      string `json:"Code"`
	AvatarUrl string `json:"AvatarUrl"`
	Email     string `json:"Email"`
}

// handleExportSubmissions serves the "forms with matrix" export, a richer
// view of the same submissions as export/forms.
// Guess: the path was not captured; export/formsWithMatrix/{lastFormID} is
// assumed (our client assumes the same). Only the Submissions array is
// documented; it is served with the ID-paging MetaCollectionResult of the
// other ID exports, Id is the FormID, and times are ISO UTC strings.
func (s *Server) handleExportSubmissions(w http.ResponseWriter, r *http.Request, p []string) {
	cursor, ok := parseCursor(w, p[0])
	if !ok {
		return
	}
	s.mu.RLock()
	forms := s.st.forms.after(cursor, pageSize)
	rows := make([]Submission, len(forms))
	for i, f := range forms {
		rows[i] = s.submissionLocked(&f)
	}
	s.mu.RUnlock()
	writeEnvelope(w, idMeta(forms, cursor, s.st.forms.id), "Submissions", rows)
}

func (s *Server) submissionLocked(f *Form) Submission {
	at := f.DateAndTime.UTC().Format(isoUTCLayout)
	tmpl := nameHash(f.FormName)
	sub := Submission{Id: f.FormID, CreatedUtc: at, TemplateId: guid(0x7e, tmpl), TemplateName: f.FormName,
		TemplateVersion: 1, LastUpdatedBy: f.RepresentativeName, LastUpdatedUtc: at, Answers: []SubmissionAnswer{},
		Place: SubmissionPlace{Code: f.ClientCode, Name: f.ClientName, TagNames: []string{},
			Address: strings.Join(nonEmpty(f.StreetAddress, f.ZIP, f.City, f.State, f.Country), ", ")},
		User: SubmissionUser{Code: f.RepresentativeCode, Name: f.RepresentativeName}}
	for i, it := range f.Items {
		sub.Answers = append(sub.Answers, SubmissionAnswer{Id: guid(0xa5, uint64(f.FormID)<<8|uint64(i)),
			Name: it.Field, QuestionId: guid(tmpl, uint64(i)), Value: it.Value})
	}
	if c, ok := s.st.client(f.ClientCode); ok {
		sub.Place.Id = guid(0xc1, uint64(c.ClientID))
		for t := range strings.SplitSeq(c.Tag, ",") {
			if t = strings.TrimSpace(t); t != "" {
				sub.Place.TagNames = append(sub.Place.TagNames, t)
			}
		}
	}
	if u, ok := s.st.user(f.RepresentativeCode); ok {
		sub.User.Id, sub.User.Email = u.ID, u.Email
	}
	return sub
}

func nameHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
