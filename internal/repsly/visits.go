package repsly

import "context"

// Visit statuses by schedule (Visit.VisitStatusBySchedule).
const (
	VisitScheduled   = 1
	VisitUnscheduled = 2
)

// Visit is a rep's check-in at a client. Visits can only be read.
type Visit struct {
	VisitID               int64   `json:"VisitID"`
	TimeStamp             int64   `json:"TimeStamp"`
	Date                  Time    `json:"Date"`
	RepresentativeCode    string  `json:"RepresentativeCode"`
	RepresentativeName    string  `json:"RepresentativeName"`
	ExplicitCheckIn       bool    `json:"ExplicitCheckIn"`
	DateAndTimeStart      Time    `json:"DateAndTimeStart"`
	DateAndTimeEnd        Time    `json:"DateAndTimeEnd"`
	ClientCode            string  `json:"ClientCode"`
	ClientName            string  `json:"ClientName"`
	StreetAddress         string  `json:"StreetAddress"`
	ZIP                   string  `json:"ZIP"`
	ZIPExt                string  `json:"ZIPExt"`
	City                  string  `json:"City"`
	State                 string  `json:"State"`
	Country               string  `json:"Country"`
	Territory             string  `json:"Territory"`
	LatitudeStart         float64 `json:"LatitudeStart"`
	LongitudeStart        float64 `json:"LongitudeStart"`
	LatitudeEnd           float64 `json:"LatitudeEnd"`
	LongitudeEnd          float64 `json:"LongitudeEnd"`
	PrecisionStart        int     `json:"PrecisionStart"`
	PrecisionEnd          int     `json:"PrecisionEnd"`
	VisitStatusBySchedule int     `json:"VisitStatusBySchedule"`
	VisitEnded            bool    `json:"VisitEnded"`
}

// ExportVisits returns the visits changed after a timestamp cursor.
func (c *Client) ExportVisits(ctx context.Context, cursor Cursor) (Page[Visit], error) {
	return exportPage[Visit](ctx, c, "export_visits", cursor)
}
