package repsly

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDecodeEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		key     string
		alts    []string
		rows    int
		meta    Meta
		wantErr string
	}{
		{name: "timestamp envelope", key: "Clients", rows: 1,
			body: `{"MetaCollectionResult":{"TotalCount":1,"LastTimeStamp":638412},"Clients":[{"Code":"C"}]}`,
			meta: Meta{TotalCount: 1, LastTimeStamp: 638412}},
		{name: "id envelope with BOM and spaces", key: "Forms", rows: 2,
			body: "\xef\xbb\xbf  {\"MetaCollectionResult\":{\"TotalCount\":\"2\",\"FirstID\":1,\"LastID\":2.0},\"Forms\":[{},{}]}\n",
			meta: Meta{TotalCount: 2, FirstID: 1, LastID: 2}},
		{name: "alternative name", key: "PricelistItems", alts: []string{"PricelistsItems"}, rows: 1,
			body: `{"PricelistsItems":[{"ID":1}]}`},
		{name: "case-insensitive name", key: "DailyWorkingTime", rows: 1,
			body: `{"metaCollectionResult":{"TotalCount":1},"DAILYWORKINGTIME":[{}]}`, meta: Meta{TotalCount: 1}},
		{name: "bare array", key: "Representatives", rows: 3, body: `[{},{},{}]`},
		{name: "meta only", key: "Visits", body: `{"MetaCollectionResult":{"TotalCount":0}}`},
		{name: "null meta and array", key: "Visits", body: `{"MetaCollectionResult":null,"Visits":null}`},
		{name: "empty", key: "Visits", body: "", wantErr: "empty body"},
		{name: "whitespace", key: "Visits", body: " \n\t", wantErr: "empty body"},
		{name: "html", key: "Visits", body: wcfErrorPage, wantErr: "HTML instead of JSON: Request Error"},
		{name: "truncated", key: "Visits", body: `{"MetaCollectionResult":{"TotalCount":1},"Visits":[{"VisitID":1}`, wantErr: "decode object"},
		{name: "string", key: "Visits", body: `"OK"`, wantErr: "not JSON"},
		{name: "unrelated object", key: "Visits", body: `{"Data":[]}`, wantErr: "neither"},
		{name: "rows promised, none sent", key: "Visits", body: `{"MetaCollectionResult":{"TotalCount":5},"Data":[{}]}`, wantErr: "TotalCount is 5"},
		{name: "array is a string", key: "Visits", body: `{"Visits":"none"}`, wantErr: "decode \"Visits\" array"},
		{name: "bad meta", key: "Visits", body: `{"MetaCollectionResult":{"TotalCount":"many"}}`, wantErr: "decode MetaCollectionResult"},
		{name: "fractional count", key: "Visits", body: `{"MetaCollectionResult":{"TotalCount":1.5}}`, wantErr: "not an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, err := decodeEnvelope([]byte(tt.body), tt.key, tt.alts...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(env.Rows) != tt.rows || env.Meta != tt.meta {
				t.Fatalf("rows %d meta %+v, want %d %+v", len(env.Rows), env.Meta, tt.rows, tt.meta)
			}
		})
	}
}

func TestBodyText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{wcfErrorPage, "Request Error The server encountered an error processing the request. The exception message is 'Object reference not set'."},
		{"<html><script>var a = '<p>';</script><b>Bad</b> &amp; worse</html>", "Bad & worse"},
		{"<html><b>unterminated", "unterminated"}, {"<p open tag", ""},
		{"  plain\n text ", "plain text"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := bodyText([]byte(tt.in)); got != tt.want {
			t.Errorf("bodyText(%.30q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	var v struct{ A, B, C, D, E Text }
	if err := json.Unmarshal([]byte(`{"A":"x","B":12.5,"C":true,"D":null,"E":{"k":1}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "x" || v.B != "12.5" || v.C != "true" || v.D != "" || v.E != `{"k":1}` {
		t.Fatalf("got %+v", v)
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"MetaCollectionResult":{"TotalCount":1,"LastTimeStamp":638412},"Clients":[{"Code":"C","TimeStamp":5}]}`,
		`{"MetaCollectionResult":{"TotalCount":"2","LastID":"9"},"Clients":[{},{}]}`,
		`[{"TimeStamp":"7"}]`, wcfErrorPage, "", "\xef\xbb\xbf{}", `{"Clients":null}`, `{"Clients":[1,"a",null]}`,
		`{"ImportStatus":{"ImportStatus":"Failed","Errors":[{"ItemID":3}]}}`, `[{"ImportStatus":"Pending"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := decodeEnvelope(body, "Clients", "Items")
		if err == nil {
			items, keys, err := decodeRows[ClientRecord](env.Rows, "TimeStamp", false)
			if err == nil && len(items) != len(env.Rows) {
				t.Fatalf("%d items from %d rows", len(items), len(env.Rows))
			}
			_, _, _ = nextValue(TimestampCursor(3), env, keys)
			_, _, _ = decodeRows[json.RawMessage](env.Rows, "ModifiedUTC", true)
		}
		_, _ = decodeImportStatus(body)
		_ = bodyText(body)
		var cm codeMessage
		_ = json.Unmarshal(body, &cm)
		_, _ = ParseJobID(string(body))
		_, _ = ParseCursor(string(body))
	})
}
