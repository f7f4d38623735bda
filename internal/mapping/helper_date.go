package mapping

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// isoLayout is what isoDate writes: UTC with milliseconds, the form HighLevel
// returns (2021-11-26T12:41:02.193Z) and Repsly's ModifiedUTC uses.
const isoLayout = "2006-01-02T15:04:05.000Z"

// dateLayouts are the text forms parseDate accepts besides /Date(...)/,
// tried in order. Forms without a zone are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
}

// errNoDate marks an empty input: helpers return nothing rather than fail.
var errNoDate = errors.New("no date")

// parseDate reads the date forms found in Repsly and HighLevel payloads:
// WCF dates ("/Date(1577664000000+0000)/", "/Date(1497120177000)/", with or
// without escaped slashes), ISO 8601 timestamps and plain dates. WCF dates
// are Unix milliseconds in UTC; their ±hhmm suffix is informational only, so
// the result is UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errNoDate
	}
	s = strings.ReplaceAll(s, `\/`, "/")
	if inner, ok := strings.CutPrefix(s, "/Date("); ok {
		inner, ok = strings.CutSuffix(inner, ")/")
		if !ok {
			return time.Time{}, fmt.Errorf("cannot parse date %s: missing \")/\"", quoteShort(s))
		}
		return parseWCF(inner, s)
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse date %s", quoteShort(s))
}

// parseWCF parses the inside of /Date(...)/: -?digits, then an optional
// [+-]hhmm offset.
func parseWCF(inner, whole string) (time.Time, error) {
	ms := inner
	if i := strings.LastIndexAny(inner, "+-"); i > 0 {
		ms = inner[:i]
		off := inner[i+1:]
		if len(off) != 4 || strings.Trim(off, "0123456789") != "" {
			return time.Time{}, fmt.Errorf("cannot parse date %s: bad offset", quoteShort(whole))
		}
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || ms != strconv.FormatInt(n, 10) && ms != "+"+strconv.FormatInt(n, 10) {
		return time.Time{}, fmt.Errorf("cannot parse date %s: bad milliseconds", quoteShort(whole))
	}
	return time.UnixMilli(n).UTC(), nil
}

// toTime accepts a time or any text parseDate reads; nil and "" give
// errNoDate.
func toTime(fn string, v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case nil:
		return time.Time{}, errNoDate
	case string:
		t, err := parseDate(x)
		if err != nil && !errors.Is(err, errNoDate) {
			return t, fmt.Errorf("%s: %w", fn, err)
		}
		return t, err
	}
	return time.Time{}, fmt.Errorf("%s: expected a date, got %s", fn, typeName(v))
}

// wcfDate formats t the way Repsly writes dates.
func wcfDate(t time.Time) string {
	return "/Date(" + strconv.FormatInt(t.UnixMilli(), 10) + "+0000)/"
}

// quoteShort quotes s for an error message, cut to a readable length.
func quoteShort(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "..."
	}
	return strconv.Quote(s)
}
