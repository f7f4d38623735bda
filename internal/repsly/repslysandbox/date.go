package repslysandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Layouts of the string dates the newer endpoints emit.
const (
	// isoUTCLayout is the ModifiedUTC / *UTC layout of visit realizations.
	isoUTCLayout = "2006-01-02T15:04:05.000Z"
	// isoLocalLayout is the local-time layout of visit realizations.
	// Guess: the docs show no sample, so the UTC layout without the zone.
	isoLocalLayout = "2006-01-02T15:04:05.000"
	// dayLayout is used by schedules and pricelist item dates ("2024-11-25").
	dayLayout = "2006-01-02"
	// clockLayout is ScheduledTime ("15:00").
	clockLayout = "15:04"
)

// Date is a point in time that marshals in the WCF JSON form with an offset,
// "\/Date(1577664000000+0000)\/", as the older export entities carry it. The
// zero Date marshals as null.
type Date struct{ time.Time }

// BareDate is a Date that marshals without the offset suffix,
// "\/Date(1497120177000)\/". Real client-note data has been seen in this form.
type BareDate struct{ time.Time }

// MarshalJSON writes the escaped WCF form, as DataContractJsonSerializer does.
func (d Date) MarshalJSON() ([]byte, error) { return marshalWCF(d.Time, true), nil }

// UnmarshalJSON accepts any form ParseDate accepts, and null.
func (d *Date) UnmarshalJSON(b []byte) error { return unmarshalWCF(b, &d.Time) }

// MarshalJSON writes the escaped WCF form without an offset.
func (d BareDate) MarshalJSON() ([]byte, error) { return marshalWCF(d.Time, false), nil }

// UnmarshalJSON accepts any form ParseDate accepts, and null.
func (d *BareDate) UnmarshalJSON(b []byte) error { return unmarshalWCF(b, &d.Time) }

func wcfDate(t time.Time) Date      { return Date{t} }
func bareDate(t time.Time) BareDate { return BareDate{t} }

func marshalWCF(t time.Time, offset bool) []byte {
	if t.IsZero() {
		return []byte("null")
	}
	b := make([]byte, 0, 32)
	b = append(b, `"\/Date(`...)
	b = strconv.AppendInt(b, t.UnixMilli(), 10)
	if offset {
		// The offset is informational; the sandbox keeps every time in UTC.
		b = append(b, "+0000"...)
	}
	return append(b, `)\/"`...)
}

func unmarshalWCF(b []byte, t *time.Time) error {
	s := string(b)
	if s == "null" {
		*t = time.Time{}
		return nil
	}
	var u string
	if err := json.Unmarshal(b, &u); err != nil {
		return fmt.Errorf("repslysandbox: date %.40q: not a JSON string", s)
	}
	v, err := ParseDate(u)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// errBadDate is wrapped by every ParseDate failure.
var errBadDate = errors.New("not a date")

// ParseDate parses the date forms the Repsly API uses: "/Date(ms)/",
// "/Date(ms+hhmm)/" (the offset is informational; ms is Unix epoch UTC),
// RFC 3339 / ISO timestamps with or without a zone and fraction, and plain
// days ("2024-01-31"). Times without a zone are taken as UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "/Date("); ok {
		body, ok := strings.CutSuffix(rest, ")/")
		if !ok {
			return time.Time{}, fmt.Errorf("repslysandbox: parse date %.40q: %w", s, errBadDate)
		}
		if i := strings.IndexAny(body[min(1, len(body)):], "+-"); i >= 0 {
			i++ // skip a leading sign of the milliseconds
			off := body[i:]
			if len(off) != 5 || !allDigits(off[1:]) {
				return time.Time{}, fmt.Errorf("repslysandbox: parse date %.40q: bad offset: %w", s, errBadDate)
			}
			body = body[:i]
		}
		ms, err := strconv.ParseInt(body, 10, 64)
		if err != nil || ms < -62135596800000 || ms > 253402300799999 {
			return time.Time{}, fmt.Errorf("repslysandbox: parse date %.40q: %w", s, errBadDate)
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", dayLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("repslysandbox: parse date %.40q: %w", s, errBadDate)
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
