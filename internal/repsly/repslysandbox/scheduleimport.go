package repslysandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// scheduleInput is one import/schedule record (current doc revision:
// ScheduleCode, generated if empty; ClientCode, UserID, ScheduledDate and
// RepeatEveryWeeks required; Active=false deletes the schedule).
type scheduleInput struct {
	ScheduleCode       *string         `json:"ScheduleCode"`
	ClientCode         *string         `json:"ClientCode"`
	UserID             *string         `json:"UserID"`
	ScheduledDate      *string         `json:"ScheduledDate"`
	ScheduledTime      *string         `json:"ScheduledTime"`
	ScheduledDuration  *int            `json:"ScheduledDuration"`
	RepeatEveryWeeks   *int            `json:"RepeatEveryWeeks"`
	RepeatDays         *string         `json:"RepeatDays"`
	RepeatEndDate      *string         `json:"RepeatEndDate"`
	DueDate            *bool           `json:"DueDate"`
	VisitNote          *string         `json:"VisitNote"`
	ProjectName        *string         `json:"ProjectName"`
	AlertUsersIfMissed *string         `json:"AlertUsersIfMissed"`
	AlertUsersIfLate   *string         `json:"AlertUsersIfLate"`
	AlertUsersIfDone   *string         `json:"AlertUsersIfDone"`
	ExternalID         *string         `json:"ExternalID"`
	Tasks              *[]ScheduleTask `json:"Tasks"`
	Active             *bool           `json:"Active"`
}

func (s *Server) applyScheduleLocked(in *scheduleInput, i int, res *rowResult) {
	id := rowID(deref(in.ScheduleCode), i)
	if in.ScheduleCode != nil && *in.ScheduleCode != "" {
		if msg := checkCode(in.ScheduleCode, 50); msg != "" {
			res.fail(id, "ScheduleCode", strings.Replace(msg, "Code", "ScheduleCode", 1))
			return
		}
	}
	existing := (*Schedule)(nil)
	if in.ScheduleCode != nil {
		existing = s.st.schedulesByCode[codeKey(*in.ScheduleCode)]
	}
	if in.Active != nil && !*in.Active {
		if existing == nil {
			res.fail(id, "ScheduleCode", "Schedule to delete does not exist.")
			return
		}
		s.deleteScheduleLocked(existing)
		res.st.RowsUpdated++
		return
	}
	c, ok := s.st.client(deref(in.ClientCode))
	if !ok {
		res.fail(id, "ClientCode", fmt.Sprintf("Client '%s' does not exist.", deref(in.ClientCode)))
		return
	}
	rep, ok := s.st.user(deref(in.UserID))
	if !ok {
		res.fail(id, "UserID", fmt.Sprintf("User '%s' does not exist.", deref(in.UserID)))
		return
	}
	day, err := time.Parse(dayLayout, deref(in.ScheduledDate))
	if err != nil {
		res.fail(id, "ScheduledDate", "ScheduledDate is required, like 2024-11-25.")
		return
	}
	if in.RepeatEveryWeeks == nil || *in.RepeatEveryWeeks < 0 {
		res.fail(id, "RepeatEveryWeeks", "RepeatEveryWeeks is required (0 for a one-off visit).")
		return
	}
	tod := 9 * time.Hour // Guess: a schedule without a time is planned at 09:00.
	if in.ScheduledTime != nil && *in.ScheduledTime != "" {
		t, err := time.Parse(clockLayout, *in.ScheduledTime)
		if err != nil {
			res.fail(id, "ScheduledTime", "ScheduledTime must look like 15:00.")
			return
		}
		tod = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	var end time.Time
	if in.RepeatEndDate != nil && *in.RepeatEndDate != "" {
		if end, err = time.Parse(dayLayout, *in.RepeatEndDate); err != nil {
			res.fail(id, "RepeatEndDate", "RepeatEndDate must look like 2024-11-25.")
			return
		}
	}
	sc := existing
	if sc == nil {
		sc = &Schedule{Tasks: []ScheduleTask{}, ScheduledDuration: 30}
		if in.ScheduleCode != nil && *in.ScheduleCode != "" {
			sc.ScheduleCode = *in.ScheduleCode
		}
	}
	sc.UserID, sc.RepresentativeName = rep.Code, rep.Name
	fillScheduleClient(sc, c)
	sc.start = day.Add(tod)
	sc.ScheduledDate, sc.ScheduledTime = sc.start.Format(dayLayout), sc.start.Format(clockLayout)
	sc.RepeatEveryWeeks, sc.end = *in.RepeatEveryWeeks, end
	sc.RepeatEndDate = nil
	if !end.IsZero() {
		v := end.Format(dayLayout)
		sc.RepeatEndDate = &v
	}
	if in.ScheduledDuration != nil {
		sc.ScheduledDuration = *in.ScheduledDuration
	}
	if in.DueDate != nil {
		sc.DueDate = *in.DueDate
	}
	for _, f := range []struct{ dst, src *string }{
		{&sc.RepeatDays, in.RepeatDays}, {&sc.VisitNote, in.VisitNote}, {&sc.ProjectName, in.ProjectName},
		{&sc.AlertUsersIfMissed, in.AlertUsersIfMissed}, {&sc.AlertUsersIfLate, in.AlertUsersIfLate},
		{&sc.AlertUsersIfDone, in.AlertUsersIfDone}, {&sc.ExternalID, in.ExternalID},
	} {
		setStr(f.dst, f.src)
	}
	if in.Tasks != nil {
		sc.Tasks = append([]ScheduleTask{}, *in.Tasks...)
	}
	if existing == nil {
		s.addScheduleLocked(sc)
	}
	countRow(res, existing != nil)
}

func fillScheduleClient(sc *Schedule, c *Client) {
	sc.ClientCode, sc.ClientName = c.Code, c.Name
	sc.StreetAddress, sc.ZIP, sc.ZIPExt = c.StreetAddress, c.ZIP, c.ZIPExt
	sc.City, sc.State, sc.Country = c.City, c.State, c.Country
}

// addScheduleLocked stores a new schedule, generating its code when empty.
// Callers hold s.mu.
func (s *Server) addScheduleLocked(sc *Schedule) {
	if sc.ScheduleCode == "" {
		s.st.lastScheduleN++
		sc.ScheduleCode = "SCH-" + strconv.FormatInt(s.st.lastScheduleN, 10)
	}
	if sc.Tasks == nil {
		sc.Tasks = []ScheduleTask{}
	}
	s.st.schedules = append(s.st.schedules, sc)
	s.st.schedulesByCode[codeKey(sc.ScheduleCode)] = sc
}

func (s *Server) deleteScheduleLocked(sc *Schedule) {
	delete(s.st.schedulesByCode, codeKey(sc.ScheduleCode))
	for i, x := range s.st.schedules {
		if x == sc {
			s.st.schedules = append(s.st.schedules[:i], s.st.schedules[i+1:]...)
			break
		}
	}
}

// handleImportSchedule serves import/schedule. The docs call it "visit
// schedule(s)": it takes one object, an array, or {"Schedules":[...]}.
func (s *Server) handleImportSchedule(w http.ResponseWriter, r *http.Request, _ []string) {
	body, ok := readImportBody(w, r)
	if !ok {
		return
	}
	list := false
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		list = true
	} else {
		var probe map[string]json.RawMessage
		if json.Unmarshal(body, &probe) == nil {
			_, list = probe["Schedules"]
		}
	}
	importBody(s, w, body, "Schedule", "Schedules", list, s.applyScheduleLocked)
}
