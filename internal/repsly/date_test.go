package repsly

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	plus2 := time.FixedZone("", 2*3600)
	minus5 := time.FixedZone("", -5*3600)
	tests := []struct {
		in        string
		want      time.Time
		layout    Layout
		canonical string // FormatDate of the result; "" means same as in
	}{
		{in: "/Date(1577664000000+0000)/", want: time.Date(2019, 12, 30, 0, 0, 0, 0, time.UTC), layout: LayoutWCF},
		{in: `\/Date(1577664000000+0000)\/`, want: time.Date(2019, 12, 30, 0, 0, 0, 0, time.UTC), layout: LayoutWCF,
			canonical: "/Date(1577664000000+0000)/"},
		{in: "/Date(1497120177000)/", want: time.Date(2017, 6, 10, 18, 42, 57, 0, time.UTC), layout: LayoutWCFBare},
		{in: `\/Date(1497120177000)\/`, want: time.Date(2017, 6, 10, 18, 42, 57, 0, time.UTC), layout: LayoutWCFBare,
			canonical: "/Date(1497120177000)/"},
		{in: "/Date(-62135596800000)/", want: time.Time{}, layout: LayoutWCFBare},
		{in: "/Date(1704189600000+0200)/", want: time.Date(2024, 1, 2, 12, 0, 0, 0, plus2), layout: LayoutWCF},
		{in: "/Date(1704189600000-0500)/", want: time.Date(2024, 1, 2, 5, 0, 0, 0, minus5), layout: LayoutWCF},
		{in: "/Date(1704189600123)/", want: time.Date(2024, 1, 2, 10, 0, 0, 123e6, time.UTC), layout: LayoutWCFBare},
		{in: "2022-03-31T00:00:00.000Z", want: time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC), layout: LayoutISOMillis},
		{in: "2022-03-31T08:15:30.250Z", want: time.Date(2022, 3, 31, 8, 15, 30, 250e6, time.UTC), layout: LayoutISOMillis},
		{in: "2024-01-02T15:04:05Z", want: time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC), layout: LayoutISO},
		{in: "2024-01-02T15:04:05+02:00", want: time.Date(2024, 1, 2, 15, 4, 5, 0, plus2), layout: LayoutISO},
		{in: "2024-01-02T15:04:05.1234567Z", want: time.Date(2024, 1, 2, 15, 4, 5, 123456700, time.UTC), layout: LayoutISO,
			canonical: "2024-01-02T15:04:05.1234567Z"},
		{in: "2024-01-02T15:04:05", want: time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC), layout: LayoutISOLocal},
		{in: "2024-01-02T15:04:05.5", want: time.Date(2024, 1, 2, 15, 4, 5, 5e8, time.UTC), layout: LayoutISOLocal},
		{in: "2024-11-25", want: time.Date(2024, 11, 25, 0, 0, 0, 0, time.UTC), layout: LayoutDate},
		{in: "15:00", want: time.Date(0, 1, 1, 15, 0, 0, 0, time.UTC), layout: LayoutClock},
		{in: "07:30:15", want: time.Date(0, 1, 1, 7, 30, 15, 0, time.UTC), layout: LayoutClockSeconds},
		{in: "  2024-11-25 ", want: time.Date(2024, 11, 25, 0, 0, 0, 0, time.UTC), layout: LayoutDate, canonical: "2024-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTime(tt.in)
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", tt.in, err)
			}
			if !got.Time.Equal(tt.want) || got.Layout != tt.layout {
				t.Fatalf("ParseTime(%q) = %v (%s), want %v (%s)", tt.in, got.Time, got.Layout, tt.want, tt.layout)
			}
			_, gotOff := got.Time.Zone()
			_, wantOff := tt.want.Zone()
			if gotOff != wantOff {
				t.Fatalf("offset %d, want %d", gotOff, wantOff)
			}
			want := tt.canonical
			if want == "" {
				want = tt.in
			}
			if s := FormatDate(got.Time, got.Layout); s != want {
				t.Fatalf("FormatDate = %q, want %q", s, want)
			}
			plain, err := ParseDate(tt.in)
			if err != nil || !plain.Equal(tt.want) {
				t.Fatalf("ParseDate(%q) = %v, %v", tt.in, plain, err)
			}
		})
	}
}

func TestParseTimeErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "   ", "/Date()/", "/Date(abc)/", "/Date(123", "/Date(123+00)/", "/Date(123+2400)/",
		"/Date(123+0060)/", "/Date(123++100)/", "/Date(99999999999999999999)/", "Date(123)",
		"2024-13-01", "2024-01-02T25:00:00", "25:00", "yesterday", "2024/01/02",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseTime(in); err == nil {
				t.Fatalf("ParseTime(%q) = %v, want error", in, got)
			}
		})
	}
}

func TestTimeJSON(t *testing.T) {
	t.Parallel()
	type rec struct {
		A Time `json:"A"`
		B Time `json:"B"`
		C Time `json:"C"`
		D Time `json:"D,omitzero"`
	}
	tests := []struct {
		name, in, out string
	}{
		{"wcf escaped", `{"A":"\/Date(1577664000000+0000)\/","B":null,"C":""}`,
			`{"A":"\/Date(1577664000000+0000)\/","B":null,"C":null}`},
		{"wcf plain slashes", `{"A":"/Date(1497120177000)/","B":"2024-11-25","C":"15:00"}`,
			`{"A":"\/Date(1497120177000)\/","B":"2024-11-25","C":"15:00"}`},
		{"iso", `{"A":"2022-03-31T00:00:00.000Z","B":"2024-01-02T15:04:05","C":"2024-01-02T15:04:05+02:00"}`,
			`{"A":"2022-03-31T00:00:00.000Z","B":"2024-01-02T15:04:05","C":"2024-01-02T15:04:05+02:00"}`},
		{"dotnet min value", `{"A":"\/Date(-62135596800000)\/","B":null,"C":null}`,
			`{"A":"\/Date(-62135596800000)\/","B":null,"C":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r rec
			if err := json.Unmarshal([]byte(tt.in), &r); err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if string(b) != tt.out {
				t.Fatalf("got  %s\nwant %s", b, tt.out)
			}
		})
	}
	t.Run("not a string", func(t *testing.T) {
		t.Parallel()
		var r rec
		if err := json.Unmarshal([]byte(`{"A":12}`), &r); err == nil {
			t.Fatal("want error for a number")
		}
	})
}

func TestLayoutNames(t *testing.T) {
	t.Parallel()
	for l := LayoutNone; l <= LayoutClockSeconds; l++ {
		got, err := ParseLayout(strings.ToUpper(l.String()))
		if err != nil || got != l {
			t.Fatalf("ParseLayout(%q) = %v, %v", l.String(), got, err)
		}
	}
	if _, err := ParseLayout("julian"); err == nil {
		t.Fatal("want error for unknown layout")
	}
	if s := Layout(99).String(); s != "Layout(99)" {
		t.Fatalf("String = %q", s)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"/Date(1577664000000+0000)/", `\/Date(1497120177000)\/`, "/Date(-62135596800000)/",
		"2022-03-31T00:00:00.000Z", "2024-01-02T15:04:05", "2024-11-25", "15:00", "07:30:15",
		"/Date(-9223372036854775808)/", "/Date(9223372036854775807-2359)/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s)
		if err != nil {
			return
		}
		// Whatever parses must format, and WCF values must survive a round
		// trip to the millisecond.
		text := FormatDate(got.Time, got.Layout)
		if got.Layout == LayoutWCF || got.Layout == LayoutWCFBare {
			again, err := ParseTime(text)
			if err != nil || !again.Time.Equal(got.Time) {
				t.Fatalf("round trip %q -> %q -> %v, %v", s, text, again, err)
			}
		}
		var tm Time
		_ = tm.UnmarshalJSON([]byte(s))
		_, _ = got.MarshalJSON()
	})
}
