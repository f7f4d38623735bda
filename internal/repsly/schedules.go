package repsly

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// VisitSchedule is a planned visit from the classic export/visitschedules.
// Repsly2CSV reports that this call may answer with no rows; prefer
// ExportSchedules where the account has it.
type VisitSchedule struct {
	ScheduleDateAndTime Time   `json:"ScheduleDateAndTime"`
	ClientCode          string `json:"ClientCode"`
	ClientName          string `json:"ClientName"`
	RepresentativeCode  string `json:"RepresentativeCode"`
	RepresentativeName  string `json:"RepresentativeName"`
	StreetAddress       string `json:"StreetAddress"`
	ZIP                 string `json:"Zip"`
	ZIPExt              string `json:"ZipExt"`
	City                string `json:"City"`
	State               string `json:"State"`
	Country             string `json:"Country"`
	Territory           string `json:"Territory"`
	VisitNote           string `json:"VisitNote"`
	// DueDate's JSON type is undocumented for this export.
	DueDate Text `json:"DueDate"`
}

// ExportVisitSchedules returns the classic planned visits between two dates
// (both inclusive), fetched week by week.
func (c *Client) ExportVisitSchedules(ctx context.Context, from, to time.Time) ([]VisitSchedule, error) {
	return exportRange[VisitSchedule](ctx, c, "export_visit_schedules", from, to)
}

// Schedule is a planned visit from the extended export/schedules. UserID is
// the rep's code. RepeatDays is "Sunday|Monday"; the Alert fields are
// "a@x|b@y" lists. ScheduledDuration is minutes.
type Schedule struct {
	ScheduleCode       string         `json:"ScheduleCode"`
	ScheduledDate      Time           `json:"ScheduledDate"`
	ScheduledTime      Time           `json:"ScheduledTime"`
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
	ScheduledDuration  float64        `json:"ScheduledDuration"`
	RepeatEveryWeeks   int            `json:"RepeatEveryWeeks"`
	RepeatDays         string         `json:"RepeatDays"`
	RepeatEndDate      Time           `json:"RepeatEndDate"`
	AlertUsersIfMissed string         `json:"AlertUsersIfMissed"`
	AlertUsersIfLate   string         `json:"AlertUsersIfLate"`
	AlertUsersIfDone   string         `json:"AlertUsersIfDone"`
	ExternalID         string         `json:"ExternalID"`
	Tasks              []ScheduleTask `json:"Tasks"`
}

// ScheduleTask is a task attached to a schedule. The docs' list was cut off
// after TaskType.
type ScheduleTask struct {
	TaskType string `json:"TaskType"`
	TaskNote string `json:"TaskNote,omitempty"`
}

// ExportSchedules returns the extended schedules between two dates (both
// inclusive), fetched week by week.
func (c *Client) ExportSchedules(ctx context.Context, from, to time.Time) ([]Schedule, error) {
	return exportRange[Schedule](ctx, c, "export_schedules", from, to)
}

// VisitRealization is what became of a scheduled visit. Status is Planned,
// Unplanned, Missing or Inactive. DateTime* fields are the local time in
// TimeZone ("Europe/Zagreb"); the *UTC fields are the same instants in UTC.
type VisitRealization struct {
	ScheduleID           string            `json:"ScheduleId"`
	ProjectID            string            `json:"ProjectId"`
	EmployeeID           string            `json:"EmployeeId"`
	EmployeeCode         string            `json:"EmployeeCode"`
	PlaceID              string            `json:"PlaceId"`
	PlaceCode            string            `json:"PlaceCode"`
	ModifiedUTC          Time              `json:"ModifiedUTC"`
	TimeZone             string            `json:"TimeZone"`
	ScheduleNote         string            `json:"ScheduleNote"`
	Status               string            `json:"Status"`
	DateTimeStart        Time              `json:"DateTimeStart"`
	DateTimeStartUTC     Time              `json:"DateTimeStartUTC"`
	DateTimeEnd          Time              `json:"DateTimeEnd"`
	DateTimeEndUTC       Time              `json:"DateTimeEndUTC"`
	PlanDateTimeStart    Time              `json:"PlanDateTimeStart"`
	PlanDateTimeStartUTC Time              `json:"PlanDateTimeStartUTC"`
	PlanDateTimeEnd      Time              `json:"PlanDateTimeEnd"`
	PlanDateTimeEndUTC   Time              `json:"PlanDateTimeEndUTC"`
	Tasks                []RealizationTask `json:"Tasks"`
}

// RealizationTask is a task of a VisitRealization.
type RealizationTask struct {
	TaskType  string `json:"TaskType"`
	TaskNote  string `json:"TaskNote"`
	Completed bool   `json:"Completed"`
	EntityID  Text   `json:"EntityID"`
}

// ExportVisitRealizations returns realizations modified at or after
// cursor.Modified, 50 at a time (start with ModifiedCursor). A cursor with
// Skip above MaxSkip is refused with a *SkipLimitError before any call.
//
// Because Repsly pages these by offset, a row modified while a window is
// being read can shift across a page edge and be missed until it changes
// again; rows modified at the window's last instant may come twice.
func (c *Client) ExportVisitRealizations(ctx context.Context, cursor Cursor) (Page[VisitRealization], error) {
	return exportPage[VisitRealization](ctx, c, "export_visit_realizations", cursor)
}

// ScheduleImport is a visit schedule as posted to import/schedule.
// ClientCode, UserID (the rep's code), ScheduledDate and RepeatEveryWeeks
// (0 = one visit) are required; an empty ScheduleCode lets Repsly generate
// one. Active=false deletes the schedule. Dates are always written as
// "2006-01-02" and ScheduledTime as "15:04", whatever their Layout.
type ScheduleImport struct {
	ScheduleCode       string         `json:"ScheduleCode,omitempty"`
	ClientCode         string         `json:"ClientCode"`
	UserID             string         `json:"UserID"`
	ScheduledDate      Time           `json:"ScheduledDate"`
	ScheduledTime      Time           `json:"ScheduledTime,omitzero"`
	ScheduledDuration  int            `json:"ScheduledDuration,omitempty"`
	RepeatEveryWeeks   int            `json:"RepeatEveryWeeks"`
	RepeatDays         string         `json:"RepeatDays,omitempty"`
	RepeatEndDate      Time           `json:"RepeatEndDate,omitzero"`
	DueDate            *bool          `json:"DueDate,omitempty"`
	VisitNote          string         `json:"VisitNote,omitempty"`
	ProjectName        string         `json:"ProjectName,omitempty"`
	AlertUsersIfMissed string         `json:"AlertUsersIfMissed,omitempty"`
	AlertUsersIfLate   string         `json:"AlertUsersIfLate,omitempty"`
	AlertUsersIfDone   string         `json:"AlertUsersIfDone,omitempty"`
	ExternalID         string         `json:"ExternalID,omitempty"`
	Active             *bool          `json:"Active,omitempty"`
	Tasks              []ScheduleTask `json:"Tasks,omitempty"`
}

// normalize fixes the layouts Repsly expects for each date field.
func (s ScheduleImport) normalize() (ScheduleImport, error) {
	if strings.TrimSpace(s.ClientCode) == "" || strings.TrimSpace(s.UserID) == "" || s.ScheduledDate.IsZero() {
		return s, fmt.Errorf("schedule %q: ClientCode, UserID and ScheduledDate are required: %w", s.ScheduleCode, ErrValidation)
	}
	s.ScheduledDate.Layout = LayoutDate
	if !s.ScheduledTime.IsZero() || s.ScheduledTime.Layout != LayoutNone {
		s.ScheduledTime.Layout = LayoutClock
	}
	if !s.RepeatEndDate.IsZero() {
		s.RepeatEndDate.Layout = LayoutDate
	}
	return s, nil
}

// ImportSchedules upserts visit schedules, one import job each (the
// schedule import takes one schedule per call), and waits for them.
func (c *Client) ImportSchedules(ctx context.Context, schedules []ScheduleImport) (ImportResult, error) {
	norm := make([]ScheduleImport, len(schedules))
	for i, s := range schedules {
		var err error
		if norm[i], err = s.normalize(); err != nil {
			return ImportResult{}, fmt.Errorf("repsly: import schedules: %w", err)
		}
	}
	return runImport(ctx, c, "import_schedule", "", norm)
}
