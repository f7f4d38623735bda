package repslysandbox

import (
	"net/http"
	"time"
)

// Visit statuses by schedule (VisitStatusBySchedule).
const (
	VisitScheduled   = 1
	VisitUnscheduled = 2
)

// Visit is a rep's check-in at a client, as export/visits returns it. Visits
// are timestamp-paged: ending or editing a visit stamps it again and it is
// delivered again. An open visit has a null DateAndTimeEnd.
type Visit struct {
	VisitID               int64   `json:"VisitID"`
	TimeStamp             int64   `json:"TimeStamp"`
	Date                  Date    `json:"Date"`
	RepresentativeCode    string  `json:"RepresentativeCode"`
	RepresentativeName    string  `json:"RepresentativeName"`
	ExplicitCheckIn       bool    `json:"ExplicitCheckIn"`
	DateAndTimeStart      Date    `json:"DateAndTimeStart"`
	DateAndTimeEnd        Date    `json:"DateAndTimeEnd"`
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

// addVisitLocked records a visit by rep at c from start to end (a zero end
// leaves it open). Callers hold s.mu.
func (s *Server) addVisitLocked(rep *User, c *Client, start, end time.Time, scheduled bool, geo [2]float64) *Visit {
	s.st.lastVisitID++
	v := &Visit{
		VisitID:               s.st.lastVisitID,
		TimeStamp:             s.st.tick(),
		Date:                  wcfDate(start.UTC().Truncate(24 * time.Hour)),
		RepresentativeCode:    rep.Code,
		RepresentativeName:    rep.Name,
		ExplicitCheckIn:       true,
		DateAndTimeStart:      wcfDate(start),
		ClientCode:            c.Code,
		ClientName:            c.Name,
		StreetAddress:         c.StreetAddress,
		ZIP:                   c.ZIP,
		ZIPExt:                c.ZIPExt,
		City:                  c.City,
		State:                 c.State,
		Country:               c.Country,
		Territory:             c.Territory,
		LatitudeStart:         geo[0],
		LongitudeStart:        geo[1],
		PrecisionStart:        10 + int(c.ClientID%40),
		VisitStatusBySchedule: VisitUnscheduled,
	}
	if scheduled {
		v.VisitStatusBySchedule = VisitScheduled
	}
	if !end.IsZero() {
		endVisit(v, end, geo)
	}
	s.st.visits.add(v)
	s.st.visitTS.add(v, false)
	return v
}

func endVisit(v *Visit, end time.Time, geo [2]float64) {
	v.DateAndTimeEnd = wcfDate(end)
	v.VisitEnded = true
	v.LatitudeEnd = geo[0] + 0.00007
	v.LongitudeEnd = geo[1] - 0.00005
	v.PrecisionEnd = v.PrecisionStart + 3
}

// handleExportVisits serves export/visits/{lastTimestamp}.
func (s *Server) handleExportVisits(w http.ResponseWriter, r *http.Request, p []string) {
	cursor, ok := parseCursor(w, p[0])
	if !ok {
		return
	}
	s.mu.RLock()
	rows := s.st.visitTS.after(cursor, pageSize)
	s.mu.RUnlock()
	writeEnvelope(w, tsMeta(rows, cursor, func(v *Visit) int64 { return v.TimeStamp }), "Visits", rows)
}
