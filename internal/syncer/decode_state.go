package syncer

import gojson "github.com/goccy/go-json"

// decodeState decodes the JSON a link stores (the last state of each side,
// field times) with go-json: a run that compares every linked record again
// spent a third of its CPU decoding them with encoding/json (ADR 0012).
// FuzzDecodeStateMatchesStdlib holds the results to encoding/json's.
func decodeState(s string, v any) error {
	return gojson.Unmarshal([]byte(s), v)
}
