package repsly

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Paging limits Repsly enforces.
const (
	// PageSize is the fixed number of rows per export call ("System limit
	// is 50 rows"); there is no page-size parameter.
	PageSize = 50
	// MaxSkip is the largest skip visit realizations accept.
	MaxSkip = 9500
)

// Cursor is the position of an export, to be persisted after each page has
// been handled and passed back on the next call. The zero Cursor starts an
// export from the beginning, whatever its kind. Its text form (String,
// MarshalText) is stable and meant for storage.
type Cursor struct {
	// Kind says which fields are used.
	Kind CursorKind
	// Value is the LastTimeStamp (CursorTimestamp) or LastID (CursorID).
	Value int64
	// Modified and Skip are the visit realizations query: rows modified
	// at or after Modified, skipping Skip of them.
	Modified time.Time
	Skip     int
	// Seen is the newest ModifiedUTC met in the current Modified window; the
	// next window starts there.
	Seen time.Time
}

// TimestampCursor returns a cursor for clients, visits and users.
func TimestampCursor(lastTimeStamp int64) Cursor {
	return Cursor{Kind: CursorTimestamp, Value: lastTimeStamp}
}

// IDCursor returns a cursor for the ID-paged exports.
func IDCursor(lastID int64) Cursor { return Cursor{Kind: CursorID, Value: lastID} }

// ModifiedCursor returns a visit realizations cursor for rows modified at or
// after t. The filter has millisecond precision, so t is truncated to it.
func ModifiedCursor(t time.Time) Cursor {
	return Cursor{Kind: CursorModified, Modified: t.UTC().Truncate(time.Millisecond)}
}

// IsZero reports whether c is the starting cursor.
func (c Cursor) IsZero() bool {
	return c.Value == 0 && c.Skip == 0 && c.Modified.IsZero() && c.Seen.IsZero()
}

// Equal reports whether two cursors denote the same position. All starting
// cursors are equal, whatever their kind.
func (c Cursor) Equal(o Cursor) bool {
	if c.IsZero() && o.IsZero() {
		return true
	}
	return c.Kind == o.Kind && c.Value == o.Value && c.Skip == o.Skip &&
		c.Modified.Equal(o.Modified) && c.Seen.Equal(o.Seen)
}

// String returns the storage form: "", "timestamp:638412", "id:5501" or
// "modified:2022-03-31T00:00:00.000Z;skip:50;seen:2022-03-31T08:00:00.000Z".
func (c Cursor) String() string {
	switch c.Kind {
	case CursorTimestamp, CursorID:
		return c.Kind.String() + ":" + strconv.FormatInt(c.Value, 10)
	case CursorModified:
		s := "modified:" + FormatDate(c.Modified, LayoutISOMillis) + ";skip:" + strconv.Itoa(c.Skip)
		if !c.Seen.IsZero() {
			s += ";seen:" + FormatDate(c.Seen, LayoutISOMillis)
		}
		return s
	default:
		return ""
	}
}

// ParseCursor reads the form String writes.
func ParseCursor(s string) (Cursor, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Cursor{}, nil
	}
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Cursor{}, fmt.Errorf("repsly: parse cursor %q: missing kind", clip(s, 64))
	}
	switch kind {
	case "timestamp", "id":
		v, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return Cursor{}, fmt.Errorf("repsly: parse cursor %q: bad value", clip(s, 64))
		}
		k := CursorTimestamp
		if kind == "id" {
			k = CursorID
		}
		return Cursor{Kind: k, Value: v}, nil
	case "modified":
		c := Cursor{Kind: CursorModified}
		parts := strings.Split(s, ";")
		for _, p := range parts {
			name, val, _ := strings.Cut(p, ":")
			var err error
			switch name {
			case "modified":
				c.Modified, err = ParseDate(val)
				c.Modified = c.Modified.UTC().Truncate(time.Millisecond)
			case "seen":
				c.Seen, err = ParseDate(val)
				c.Seen = c.Seen.UTC().Truncate(time.Millisecond)
			case "skip":
				c.Skip, err = strconv.Atoi(val)
			default:
				err = fmt.Errorf("unknown part %q", clip(name, 20))
			}
			if err != nil {
				return Cursor{}, fmt.Errorf("repsly: parse cursor %q: %w", clip(s, 64), err)
			}
		}
		return c, nil
	default:
		return Cursor{}, fmt.Errorf("repsly: parse cursor %q: unknown kind", clip(s, 64))
	}
}

// MarshalText writes the storage form.
func (c Cursor) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads the storage form.
func (c *Cursor) UnmarshalText(b []byte) error {
	v, err := ParseCursor(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
