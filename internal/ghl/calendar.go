package ghl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// EventsQuery selects calendar events or blocked slots in a time range. One
// of CalendarID, UserID or GroupID is required.
type EventsQuery struct {
	CalendarID string
	UserID     string
	GroupID    string
	Start, End time.Time
}

func (c *Client) eventsQuery(q EventsQuery) (url.Values, error) {
	loc, err := c.location()
	if err != nil {
		return nil, err
	}
	if q.CalendarID == "" && q.UserID == "" && q.GroupID == "" {
		return nil, errors.New("one of calendar, user or group id is required")
	}
	if q.Start.IsZero() || q.End.IsZero() {
		return nil, errors.New("start and end are required")
	}
	v := url.Values{
		"locationId": {loc},
		"startTime":  {strconv.FormatInt(q.Start.UnixMilli(), 10)},
		"endTime":    {strconv.FormatInt(q.End.UnixMilli(), 10)},
	}
	for name, val := range map[string]string{"calendarId": q.CalendarID, "userId": q.UserID, "groupId": q.GroupID} {
		if val != "" {
			v.Set(name, val)
		}
	}
	return v, nil
}

// ListCalendarEvents returns the appointments in a time range.
func (c *Client) ListCalendarEvents(ctx context.Context, q EventsQuery) ([]Appointment, error) {
	v, err := c.eventsQuery(q)
	if err != nil {
		return nil, fmt.Errorf("ghl: list calendar events: %w", err)
	}
	var out struct {
		Events []Appointment `json:"events"`
	}
	if err := c.do(ctx, request{op: OpListCalendarEvents, query: v, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list calendar events: %w", err)
	}
	return out.Events, nil
}

// ListBlockedSlots returns the blocked slots in a time range.
func (c *Client) ListBlockedSlots(ctx context.Context, q EventsQuery) ([]Appointment, error) {
	v, err := c.eventsQuery(q)
	if err != nil {
		return nil, fmt.Errorf("ghl: list blocked slots: %w", err)
	}
	var out struct {
		Events []Appointment `json:"events"`
	}
	if err := c.do(ctx, request{op: OpListBlockedSlots, query: v, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list blocked slots: %w", err)
	}
	return out.Events, nil
}

// BlockedSlot is a blocked time on a calendar or a user.
type BlockedSlot struct {
	ID             string `json:"id"`
	LocationID     string `json:"locationId,omitzero"`
	Title          string `json:"title,omitzero"`
	StartTime      string `json:"startTime,omitzero"`
	EndTime        string `json:"endTime,omitzero"`
	CalendarID     string `json:"calendarId,omitzero"`
	AssignedUserID string `json:"assignedUserId,omitzero"`
}

// BlockSlotRequest is the body of create-block-slot and edit-block-slot.
// HighLevel wants CalendarID or AssignedUserID; the spec requires calendarId.
type BlockSlotRequest struct {
	Title          string `json:"title,omitzero"`
	CalendarID     string `json:"calendarId"`
	AssignedUserID string `json:"assignedUserId,omitzero"`
	// LocationID defaults to the client's location.
	LocationID string `json:"locationId"`
	// StartTime and EndTime are ISO-8601 with offset.
	StartTime string `json:"startTime,omitzero"`
	EndTime   string `json:"endTime,omitzero"`
}

// CreateBlockSlot blocks time on a calendar.
func (c *Client) CreateBlockSlot(ctx context.Context, r BlockSlotRequest) (*BlockedSlot, error) {
	return c.blockSlot(ctx, OpCreateBlockSlot, nil, r)
}

// UpdateBlockSlot changes a blocked slot.
func (c *Client) UpdateBlockSlot(ctx context.Context, eventID string, r BlockSlotRequest) (*BlockedSlot, error) {
	return c.blockSlot(ctx, OpUpdateBlockSlot, []string{eventID}, r)
}

func (c *Client) blockSlot(ctx context.Context, op string, params []string, r BlockSlotRequest) (*BlockedSlot, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: %s: %w", op, err)
		}
		r.LocationID = loc
	}
	var out BlockedSlot
	if err := c.do(ctx, request{op: op, params: params, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: %s: %w", op, err)
	}
	return &out, nil
}

// MaxFreeSlotsRange is the longest range free-slots accepts.
const MaxFreeSlotsRange = 31 * 24 * time.Hour

// FreeSlotsQuery selects free slots of a calendar.
type FreeSlotsQuery struct {
	Start, End time.Time
	// Timezone is an IANA name for the returned slots, e.g. "America/Chicago".
	Timezone string
	UserID   string
	UserIDs  []string
}

// GetFreeSlots returns a calendar's free slot start times per day
// ("2024-10-28" → ["2024-10-28T10:00:00-05:00", …]).
func (c *Client) GetFreeSlots(ctx context.Context, calendarID string, q FreeSlotsQuery) (map[string][]string, error) {
	if q.Start.IsZero() || q.End.IsZero() || q.End.Before(q.Start) || q.End.Sub(q.Start) > MaxFreeSlotsRange {
		return nil, fmt.Errorf("ghl: free slots of calendar %s: need start <= end within 31 days", calendarID)
	}
	// startDate/endDate are epoch milliseconds as numbers; ISO dates get a 422.
	v := url.Values{
		"startDate": {strconv.FormatInt(q.Start.UnixMilli(), 10)},
		"endDate":   {strconv.FormatInt(q.End.UnixMilli(), 10)},
	}
	if q.Timezone != "" {
		v.Set("timezone", q.Timezone)
	}
	if q.UserID != "" {
		v.Set("userId", q.UserID)
	}
	for _, id := range q.UserIDs {
		v.Add("userIds", id)
	}
	var raw map[string]json.RawMessage
	if err := c.do(ctx, request{op: OpGetFreeSlots, params: []string{calendarID}, query: v, out: &raw}); err != nil {
		return nil, fmt.Errorf("ghl: free slots of calendar %s: %w", calendarID, err)
	}
	// Day keys sit next to other keys such as traceId; keep only days.
	slots := make(map[string][]string, len(raw))
	for day, msg := range raw {
		var d struct {
			Slots []string `json:"slots"`
		}
		if json.Unmarshal(msg, &d) == nil && d.Slots != nil {
			slots[day] = d.Slots
		}
	}
	return slots, nil
}
