package repsly

import "context"

// ClientNote is a note a rep left on a client. Client notes can only be
// read; Repsly has no import for them.
type ClientNote struct {
	ClientNoteID       int64   `json:"ClientNoteID"`
	TimeStamp          int64   `json:"TimeStamp"`
	DateAndTime        Time    `json:"DateAndTime"`
	RepresentativeCode string  `json:"RepresentativeCode"`
	RepresentativeName string  `json:"RepresentativeName"`
	ClientCode         string  `json:"ClientCode"`
	ClientName         string  `json:"ClientName"`
	StreetAddress      string  `json:"StreetAddress"`
	ZIP                string  `json:"ZIP"`
	ZIPExt             string  `json:"ZIPExt"`
	City               string  `json:"City"`
	State              string  `json:"State"`
	Country            string  `json:"Country"`
	Email              string  `json:"Email"`
	Phone              string  `json:"Phone"`
	Mobile             string  `json:"Mobile"`
	Territory          string  `json:"Territory"`
	Longitude          float64 `json:"Longitude"`
	Latitude           float64 `json:"Latitude"`
	Note               string  `json:"Note"`
	VisitID            int64   `json:"VisitID"`
}

// ExportClientNotes returns the notes after an ID cursor. Only new notes
// come; an edited note is not delivered again.
func (c *Client) ExportClientNotes(ctx context.Context, cursor Cursor) (Page[ClientNote], error) {
	return exportPage[ClientNote](ctx, c, "export_client_notes", cursor)
}
