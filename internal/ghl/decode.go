package ghl

import gojson "github.com/goccy/go-json"

// decodeJSON decodes an API answer: encoding/json's rules, at go-json's
// speed. Decoding contacts was a twentieth of a backfill's CPU (ADR 0012);
// FuzzDecodeJSONMatchesStdlib holds the results to encoding/json's.
func decodeJSON(data []byte, v any) error {
	return gojson.Unmarshal(data, v)
}
