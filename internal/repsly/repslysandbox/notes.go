package repslysandbox

import (
	"net/http"
	"time"
)

// ClientNote is a note a rep left on a client, as export/clientnotes returns
// it. Its field list comes from third-party code (the doc page was not
// found). The client's address fields are copied when the note is written.
// Guess: VisitID is null for a note taken outside a visit; DateAndTime uses
// the bare "\/Date(ms)\/" form, as real note data seen in code does.
type ClientNote struct {
	ClientNoteID       int64    `json:"ClientNoteID"`
	TimeStamp          int64    `json:"TimeStamp"`
	DateAndTime        BareDate `json:"DateAndTime"`
	RepresentativeCode string   `json:"RepresentativeCode"`
	RepresentativeName string   `json:"RepresentativeName"`
	ClientCode         string   `json:"ClientCode"`
	ClientName         string   `json:"ClientName"`
	StreetAddress      string   `json:"StreetAddress"`
	ZIP                string   `json:"ZIP"`
	ZIPExt             string   `json:"ZIPExt"`
	City               string   `json:"City"`
	State              string   `json:"State"`
	Country            string   `json:"Country"`
	Email              string   `json:"Email"`
	Phone              string   `json:"Phone"`
	Mobile             string   `json:"Mobile"`
	Territory          string   `json:"Territory"`
	Longitude          float64  `json:"Longitude"`
	Latitude           float64  `json:"Latitude"`
	Note               string   `json:"Note"`
	VisitID            *int64   `json:"VisitID"`
}

// addNoteLocked appends a note by rep on c. Callers hold s.mu.
func (s *Server) addNoteLocked(rep *User, c *Client, at time.Time, text string, visitID int64, geo [2]float64) *ClientNote {
	s.st.lastNoteID++
	n := &ClientNote{
		ClientNoteID:       s.st.lastNoteID,
		TimeStamp:          s.st.tick(),
		DateAndTime:        bareDate(at),
		RepresentativeCode: rep.Code,
		RepresentativeName: rep.Name,
		ClientCode:         c.Code,
		ClientName:         c.Name,
		StreetAddress:      c.StreetAddress,
		ZIP:                c.ZIP,
		ZIPExt:             c.ZIPExt,
		City:               c.City,
		State:              c.State,
		Country:            c.Country,
		Email:              c.Email,
		Phone:              c.Phone,
		Mobile:             c.Mobile,
		Territory:          c.Territory,
		Latitude:           geo[0],
		Longitude:          geo[1],
		Note:               text,
	}
	if visitID != 0 {
		n.VisitID = &visitID
	}
	s.st.notes.add(n)
	return n
}

// handleExportNotes serves export/clientnotes/{lastClientNoteID}. Edited
// notes keep their ID and are therefore never delivered again.
func (s *Server) handleExportNotes(w http.ResponseWriter, r *http.Request, p []string) {
	serveIDPage(s, w, p[0], "ClientNotes", s.st.notes)
}
