package repslysandbox

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// maxSkip is the documented largest skip of export/visitrealizations.
const maxSkip = 9500

// Realization statuses.
const (
	RealizationPlanned   = "Planned"
	RealizationUnplanned = "Unplanned"
	RealizationMissing   = "Missing"
	RealizationInactive  = "Inactive"
)

// VisitRealization is what became of a planned (or unplanned) visit, as
// export/visitrealizations returns it. Times are strings: ModifiedUTC and
// the *UTC fields as "2006-01-02T15:04:05.000Z", the others in the place's
// local time. Times that did not happen (a missing visit's start) are null.
type VisitRealization struct {
	ScheduleId           string            `json:"ScheduleId"`
	ProjectId            string            `json:"ProjectId"`
	EmployeeId           string            `json:"EmployeeId"`
	EmployeeCode         string            `json:"EmployeeCode"`
	PlaceId              string            `json:"PlaceId"`
	PlaceCode            string            `json:"PlaceCode"`
	ModifiedUTC          string            `json:"ModifiedUTC"`
	TimeZone             string            `json:"TimeZone"`
	ScheduleNote         string            `json:"ScheduleNote"`
	Status               string            `json:"Status"`
	DateTimeStart        *string           `json:"DateTimeStart"`
	DateTimeStartUTC     *string           `json:"DateTimeStartUTC"`
	DateTimeEnd          *string           `json:"DateTimeEnd"`
	DateTimeEndUTC       *string           `json:"DateTimeEndUTC"`
	PlanDateTimeStart    *string           `json:"PlanDateTimeStart"`
	PlanDateTimeStartUTC *string           `json:"PlanDateTimeStartUTC"`
	PlanDateTimeEnd      *string           `json:"PlanDateTimeEnd"`
	PlanDateTimeEndUTC   *string           `json:"PlanDateTimeEndUTC"`
	Tasks                []RealizationTask `json:"Tasks"`

	modified time.Time
}

// RealizationTask is a task of a realization (fields from third-party code).
type RealizationTask struct {
	TaskType  string `json:"TaskType"`
	TaskNote  string `json:"TaskNote"`
	Completed bool   `json:"Completed"`
	EntityID  string `json:"EntityID"`
}

// realizationSpec describes a realization to record.
type realizationSpec struct {
	status        string
	rep           *User
	client        *Client
	schedule      *Schedule // nil for an unplanned visit
	plan          time.Time // planned start, zero when unplanned
	start, end    time.Time // zero when the visit did not happen
	modified      time.Time
	completedTask bool
}

// addRealizationLocked records a realization, keeping the list ordered by
// ModifiedUTC. Callers hold s.mu.
func (s *Server) addRealizationLocked(sp realizationSpec) *VisitRealization {
	tz := zoneFor(s.geo, sp.client.Country)
	n := uint64(len(s.st.realizations) + 1)
	vr := &VisitRealization{
		ScheduleId:   guid(0x5c4e, n),
		ProjectId:    guid(0x9a0, 1),
		EmployeeId:   sp.rep.ID,
		EmployeeCode: sp.rep.Code,
		PlaceId:      guid(0xc1, uint64(sp.client.ClientID)),
		PlaceCode:    sp.client.Code,
		ModifiedUTC:  sp.modified.UTC().Format(isoUTCLayout),
		TimeZone:     tz.name,
		Status:       sp.status,
		Tasks:        []RealizationTask{},
		modified:     sp.modified,
	}
	if sp.schedule != nil {
		vr.ScheduleNote = sp.schedule.VisitNote
		for _, t := range sp.schedule.Tasks {
			vr.Tasks = append(vr.Tasks, RealizationTask{TaskType: t.TaskType, TaskNote: t.TaskNote, Completed: sp.completedTask})
		}
		dur := time.Duration(sp.schedule.ScheduledDuration) * time.Minute
		vr.PlanDateTimeStart, vr.PlanDateTimeStartUTC = tz.pair(sp.plan)
		vr.PlanDateTimeEnd, vr.PlanDateTimeEndUTC = tz.pair(sp.plan.Add(dur))
	}
	vr.DateTimeStart, vr.DateTimeStartUTC = tz.pair(sp.start)
	vr.DateTimeEnd, vr.DateTimeEndUTC = tz.pair(sp.end)
	i := sort.Search(len(s.st.realizations), func(i int) bool { return s.st.realizations[i].modified.After(sp.modified) })
	s.st.realizations = append(s.st.realizations, nil)
	copy(s.st.realizations[i+1:], s.st.realizations[i:])
	s.st.realizations[i] = vr
	return vr
}

// handleExportRealizations serves
// export/visitrealizations?modified={ISO datetime}&skip={n}: up to 50
// realizations modified at or after `modified`, oldest first, after skipping
// `skip` rows. skip above 9,500 is an error, as documented; clients advance
// `modified` instead. Guess: `modified` is inclusive, so a client that moves
// it to the last ModifiedUTC it saw gets that row again and must dedupe.
func (s *Server) handleExportRealizations(w http.ResponseWriter, r *http.Request, _ []string) {
	q := r.URL.Query()
	modified, err := ParseDate(q.Get("modified"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: "Parameter 'modified' must be an ISO date and time like 2022-03-31T00:00:00.000Z."})
		return
	}
	skip := 0
	if v := q.Get("skip"); v != "" {
		if skip, err = strconv.Atoi(v); err != nil || skip < 0 {
			writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: "Parameter 'skip' must be a non-negative number."})
			return
		}
	}
	if skip > maxSkip {
		writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: "Parameter 'skip' must not be greater than 9500; use a later 'modified' instead."})
		return
	}
	s.mu.RLock()
	all := s.st.realizations
	i := sort.Search(len(all), func(i int) bool { return !all[i].modified.Before(modified) })
	i = min(i+skip, len(all))
	n := min(pageSize, len(all)-i)
	rows := make([]VisitRealization, n)
	for j := range n {
		rows[j] = *all[i+j]
	}
	s.mu.RUnlock()
	writeEnvelope(w, CountMeta{TotalCount: len(rows)}, "VisitRealizations", rows)
}
