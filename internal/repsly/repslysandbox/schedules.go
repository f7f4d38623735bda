package repslysandbox

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// maxRangeDays bounds a date-range export. Guess: the real limit is not
// documented (clients page classic schedules in 7-day windows); a year keeps
// a careless request from expanding millions of occurrences.
const maxRangeDays = 366

// Schedule is a planned visit as the extended export/schedules/{from}/{to}
// returns it and import/schedule takes it. UserID holds the rep's code.
// ScheduledDate is "2024-11-25", ScheduledTime "15:00", RepeatDays
// "Monday|Wednesday", and RepeatEveryWeeks 0 means a one-off visit.
type Schedule struct {
	ScheduleCode       string         `json:"ScheduleCode"`
	ScheduledDate      string         `json:"ScheduledDate"`
	ScheduledTime      string         `json:"ScheduledTime"`
	UserID             string         `json:"UserID"`
	RepresentativeName string         `json:"RepresentativeName"`
	ClientCode         string         `json:"ClientCode"`
	ClientName         string         `json:"ClientName"`
	StreetAddress      string         `json:"StreetAddress"`
	ZIP                string         `json:"ZIP"`
	ZIPExt             string         `json:"ZIPExt"`
	City               string         `json:"City"`
	State              string         `json:"State"`
	Country            string         `json:"Country"`
	DueDate            bool           `json:"DueDate"`
	VisitNote          string         `json:"VisitNote"`
	ProjectName        string         `json:"ProjectName"`
	ScheduledDuration  int            `json:"ScheduledDuration"`
	RepeatEveryWeeks   int            `json:"RepeatEveryWeeks"`
	RepeatDays         string         `json:"RepeatDays"`
	RepeatEndDate      *string        `json:"RepeatEndDate"`
	AlertUsersIfMissed string         `json:"AlertUsersIfMissed"`
	AlertUsersIfLate   string         `json:"AlertUsersIfLate"`
	AlertUsersIfDone   string         `json:"AlertUsersIfDone"`
	ExternalID         string         `json:"ExternalID"`
	Tasks              []ScheduleTask `json:"Tasks"`

	start time.Time // ScheduledDate + ScheduledTime, UTC
	end   time.Time // RepeatEndDate (inclusive day), zero when open
}

// ScheduleTask is a task attached to a schedule. Guess: only TaskType is
// documented before the table was cut off; TaskNote is added.
type ScheduleTask struct {
	TaskType string `json:"TaskType"`
	TaskNote string `json:"TaskNote"`
}

// VisitSchedule is one planned visit as the classic
// export/visitschedules/{begin}/{end} returns it (fields from third-party
// code; the casing of Zip/ZipExt is as that code spells it). Guess: DueDate
// is the day of the visit when the schedule has a due date, else null.
type VisitSchedule struct {
	ScheduleDateAndTime Date   `json:"ScheduleDateAndTime"`
	ClientCode          string `json:"ClientCode"`
	ClientName          string `json:"ClientName"`
	RepresentativeCode  string `json:"RepresentativeCode"`
	RepresentativeName  string `json:"RepresentativeName"`
	StreetAddress       string `json:"StreetAddress"`
	Zip                 string `json:"Zip"`
	ZipExt              string `json:"ZipExt"`
	City                string `json:"City"`
	State               string `json:"State"`
	Country             string `json:"Country"`
	Territory           string `json:"Territory"`
	VisitNote           string `json:"VisitNote"`
	DueDate             Date   `json:"DueDate"`
}

// occurrences calls fn for each planned visit of sc on a day in [from, to].
func (sc *Schedule) occurrences(from, to time.Time, fn func(time.Time)) {
	if sc.RepeatEveryWeeks <= 0 {
		if d := sc.start.Truncate(24 * time.Hour); !d.Before(from) && !d.After(to) {
			fn(sc.start)
		}
		return
	}
	days := map[time.Weekday]bool{}
	for d := range strings.SplitSeq(sc.RepeatDays, "|") {
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if strings.EqualFold(strings.TrimSpace(d), wd.String()) {
				days[wd] = true
			}
		}
	}
	if len(days) == 0 {
		days[sc.start.Weekday()] = true
	}
	first := sc.start.Truncate(24 * time.Hour)
	tod := sc.start.Sub(first)
	last := to
	if !sc.end.IsZero() && sc.end.Before(last) {
		last = sc.end
	}
	day := first
	if from.After(day) {
		day = from
	}
	for ; !day.After(last); day = day.AddDate(0, 0, 1) {
		weeks := int(day.Sub(first).Hours()/24) / 7
		if days[day.Weekday()] && weeks%sc.RepeatEveryWeeks == 0 {
			fn(day.Add(tod))
		}
	}
}

// parseRange reads the {from}/{to} path dates ("YYYY-MM-DD", or any form
// ParseDate accepts) as whole UTC days.
func parseRange(w http.ResponseWriter, p []string) (from, to time.Time, ok bool) {
	var err1, err2 error
	from, err1 = ParseDate(p[0])
	to, err2 = ParseDate(p[1])
	if err1 != nil || err2 != nil {
		writeRequestError(w, http.StatusBadRequest, "The dates must look like 2024-11-25.")
		return from, to, false
	}
	from, to = from.Truncate(24*time.Hour), to.Truncate(24*time.Hour)
	if to.Before(from) || to.Sub(from) > maxRangeDays*24*time.Hour {
		writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: "The date range must be ascending and at most 366 days long."})
		return from, to, false
	}
	return from, to, true
}

// handleExportSchedules serves export/schedules/{from}/{to}: every schedule
// with a planned visit in the range. Guess: no paging (none documented).
func (s *Server) handleExportSchedules(w http.ResponseWriter, r *http.Request, p []string) {
	from, to, ok := parseRange(w, p)
	if !ok {
		return
	}
	s.mu.RLock()
	rows := []Schedule{}
	for _, sc := range s.st.schedules {
		hit := false
		sc.occurrences(from, to, func(time.Time) { hit = true })
		if hit {
			rows = append(rows, *sc)
		}
	}
	s.mu.RUnlock()
	writeEnvelope(w, CountMeta{TotalCount: len(rows)}, "Schedules", rows)
}

// handleExportVisitSchedules serves the classic
// export/visitschedules/{beginDateTime}/{endDateTime}: one row per planned
// visit in the range, in schedule order. Guess: no paging, like schedules.
func (s *Server) handleExportVisitSchedules(w http.ResponseWriter, r *http.Request, p []string) {
	from, to, ok := parseRange(w, p)
	if !ok {
		return
	}
	s.mu.RLock()
	rows := []VisitSchedule{}
	for _, sc := range s.st.schedules {
		c, _ := s.st.client(sc.ClientCode)
		sc.occurrences(from, to, func(at time.Time) {
			vs := VisitSchedule{
				ScheduleDateAndTime: wcfDate(at), ClientCode: sc.ClientCode, ClientName: sc.ClientName,
				RepresentativeCode: sc.UserID, RepresentativeName: sc.RepresentativeName,
				StreetAddress: sc.StreetAddress, Zip: sc.ZIP, ZipExt: sc.ZIPExt, City: sc.City,
				State: sc.State, Country: sc.Country, VisitNote: sc.VisitNote,
			}
			if c != nil {
				vs.Territory = c.Territory
			}
			if sc.DueDate {
				vs.DueDate = wcfDate(at.Truncate(24 * time.Hour))
			}
			rows = append(rows, vs)
		})
	}
	s.mu.RUnlock()
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ScheduleDateAndTime.Before(rows[j].ScheduleDateAndTime.Time) })
	writeEnvelope(w, CountMeta{TotalCount: len(rows)}, "VisitSchedules", rows)
}
