package repsly

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layout names one of the text forms Repsly uses for dates and times.
// Older exports use WCF "/Date(ms)/" values; newer endpoints use ISO 8601
// strings, plain dates and clock times.
type Layout int

// The layouts Repsly is known to use.
const (
	// LayoutNone marks an unset Time; it marshals as JSON null.
	LayoutNone Layout = iota
	// LayoutWCF is "/Date(1577664000000+0000)/": Unix milliseconds (UTC)
	// plus an informational ±hhmm offset, as on Visit.Date.
	LayoutWCF
	// LayoutWCFBare is "/Date(1497120177000)/": Unix milliseconds, no offset.
	LayoutWCFBare
	// LayoutISO is RFC 3339 with a zone, e.g. "2024-01-02T15:04:05Z".
	LayoutISO
	// LayoutISOMillis is "2022-03-31T00:00:00.000Z", always three fraction
	// digits and UTC: visit realizations' ModifiedUTC and their modified filter.
	LayoutISOMillis
	// LayoutISOLocal is "2024-01-02T15:04:05" without a zone: a local wall
	// time (for example VisitRealization.DateTimeStart). It parses into UTC
	// with the wall clock unchanged.
	LayoutISOLocal
	// LayoutDate is a plain date, "2024-11-25": schedule and pricelist dates.
	LayoutDate
	// LayoutClock is a wall-clock time, "15:00": Schedule.ScheduledTime.
	LayoutClock
	// LayoutClockSeconds is "15:00:00".
	LayoutClockSeconds
)

// layoutNames returns the short names, indexed by Layout.
func layoutNames() [9]string {
	return [...]string{
		LayoutNone:         "none",
		LayoutWCF:          "wcf",
		LayoutWCFBare:      "wcf-bare",
		LayoutISO:          "iso",
		LayoutISOMillis:    "iso-millis",
		LayoutISOLocal:     "iso-local",
		LayoutDate:         "date",
		LayoutClock:        "clock",
		LayoutClockSeconds: "clock-seconds",
	}
}

// String returns the layout's short name ("wcf", "iso", "date", ...).
func (l Layout) String() string {
	if names := layoutNames(); l >= 0 && int(l) < len(names) {
		return names[l]
	}
	return "Layout(" + strconv.Itoa(int(l)) + ")"
}

// ParseLayout returns the layout with the given short name, as printed by
// Layout.String. Mapping helpers use it to let users name a format.
func ParseLayout(name string) (Layout, error) {
	for i, n := range layoutNames() {
		if strings.EqualFold(n, name) {
			return Layout(i), nil
		}
	}
	return LayoutNone, fmt.Errorf("repsly: unknown date layout %q", name)
}

const (
	isoLocalLayout  = "2006-01-02T15:04:05.999999999"
	isoMillisLayout = "2006-01-02T15:04:05.000Z07:00"
)

// ParseDate parses any date or time form Repsly uses: "/Date(ms±hhmm)/",
// "/Date(ms)/" (also with the JSON-escaped "\/" slashes), ISO 8601 with or
// without a zone, "2006-01-02", "15:04" and "15:04:05". WCF values keep their
// offset as the time's zone; values without a zone come back in UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := ParseTime(s)
	return t.Time, err
}

// ParseTime is ParseDate that also remembers which layout the text used, so
// that the value can be written back the same way.
func ParseTime(s string) (Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Time{}, errors.New("repsly: parse date: empty string")
	}
	if strings.HasPrefix(s, "/Date(") || strings.HasPrefix(s, `\/Date(`) {
		return parseWCF(s)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		l := LayoutISO
		if t.Location() == time.UTC && strings.HasSuffix(s, "Z") && fractionDigits(s) == 3 {
			l = LayoutISOMillis
		}
		return Time{Time: t, Layout: l}, nil
	}
	for _, c := range [...]struct {
		layout string
		l      Layout
	}{
		{isoLocalLayout, LayoutISOLocal},
		{time.DateOnly, LayoutDate},
		{"15:04", LayoutClock},
		{time.TimeOnly, LayoutClockSeconds},
	} {
		if t, err := time.Parse(c.layout, s); err == nil {
			return Time{Time: t, Layout: c.l}, nil
		}
	}
	return Time{}, fmt.Errorf("repsly: parse date %q: unknown format", clip(s, 64))
}

// fractionDigits counts the digits after the seconds' decimal point.
func fractionDigits(s string) int {
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	n := 0
	for _, r := range s[i+1:] {
		if r < '0' || r > '9' {
			break
		}
		n++
	}
	return n
}

// parseWCF parses "/Date(-?ms([+-]hhmm)?)/", with "\/" escapes tolerated.
func parseWCF(s string) (Time, error) {
	orig := s
	s = strings.ReplaceAll(s, `\/`, "/")
	inner, ok := strings.CutPrefix(s, "/Date(")
	if ok {
		inner, ok = strings.CutSuffix(inner, ")/")
	}
	if !ok {
		return Time{}, fmt.Errorf("repsly: parse date %q: malformed /Date()/", clip(orig, 64))
	}
	end := 0
	if end < len(inner) && inner[end] == '-' {
		end++
	}
	for end < len(inner) && inner[end] >= '0' && inner[end] <= '9' {
		end++
	}
	ms, err := strconv.ParseInt(inner[:end], 10, 64)
	if err != nil {
		return Time{}, fmt.Errorf("repsly: parse date %q: bad milliseconds", clip(orig, 64))
	}
	off := inner[end:]
	if off == "" {
		return Time{Time: time.UnixMilli(ms).UTC(), Layout: LayoutWCFBare}, nil
	}
	if len(off) != 5 || (off[0] != '+' && off[0] != '-') {
		return Time{}, fmt.Errorf("repsly: parse date %q: bad offset", clip(orig, 64))
	}
	hh, err1 := strconv.Atoi(off[1:3])
	mm, err2 := strconv.Atoi(off[3:5])
	if err1 != nil || err2 != nil || hh > 23 || mm > 59 || off[1] == '+' || off[1] == '-' || off[3] == '+' || off[3] == '-' {
		return Time{}, fmt.Errorf("repsly: parse date %q: bad offset", clip(orig, 64))
	}
	secs := (hh*60 + mm) * 60
	if off[0] == '-' {
		secs = -secs
	}
	zone := time.UTC
	if secs != 0 {
		zone = time.FixedZone("", secs)
	}
	return Time{Time: time.UnixMilli(ms).In(zone), Layout: LayoutWCF}, nil
}

// FormatDate writes t in the given layout, the inverse of ParseDate. WCF
// layouts are written with plain slashes ("/Date(...)/"); JSON encoding of a
// Time adds the "\/" escapes WCF itself emits. LayoutNone yields "".
func FormatDate(t time.Time, l Layout) string {
	switch l {
	case LayoutWCF:
		return "/Date(" + strconv.FormatInt(t.UnixMilli(), 10) + t.Format("-0700") + ")/"
	case LayoutWCFBare:
		return "/Date(" + strconv.FormatInt(t.UnixMilli(), 10) + ")/"
	case LayoutISO:
		return t.Format(time.RFC3339Nano)
	case LayoutISOMillis:
		return t.UTC().Format(isoMillisLayout)
	case LayoutISOLocal:
		return t.Format(isoLocalLayout)
	case LayoutDate:
		return t.Format(time.DateOnly)
	case LayoutClock:
		return t.Format("15:04")
	case LayoutClockSeconds:
		return t.Format(time.TimeOnly)
	default:
		return ""
	}
}

// Time is a time.Time that remembers the Repsly layout it was read in (or
// should be written in). The zero Time marshals as null; an empty JSON
// string or null unmarshals to the zero Time.
type Time struct {
	time.Time
	Layout Layout
}

// NewTime returns t to be written in layout l.
func NewTime(t time.Time, l Layout) Time { return Time{Time: t, Layout: l} }

// String returns the value in its layout (RFC 3339 when it has none).
func (t Time) String() string {
	if t.Layout == LayoutNone {
		if t.IsZero() {
			return ""
		}
		return t.Time.Format(time.RFC3339Nano)
	}
	return FormatDate(t.Time, t.Layout)
}

// MarshalJSON writes the value in its layout; WCF dates get the escaped
// "\/Date(...)\/" form the WCF serializer produces.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.Layout == LayoutNone && t.IsZero() {
		return []byte("null"), nil
	}
	s := t.String()
	if t.Layout == LayoutWCF || t.Layout == LayoutWCFBare {
		return []byte(`"` + strings.ReplaceAll(s, "/", `\/`) + `"`), nil
	}
	return json.Marshal(s)
}

// UnmarshalJSON accepts null, "" and every form ParseDate accepts.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("repsly: date is not a string: %s", clip(string(b), 64))
	}
	return t.UnmarshalText([]byte(s))
}

// MarshalText writes the value in its layout, without JSON escapes.
func (t Time) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText accepts "" and every form ParseDate accepts.
func (t *Time) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*t = Time{}
		return nil
	}
	v, err := ParseTime(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// clip shortens s for error messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
