package syncer

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"

	"github.com/fieldbridge/fieldbridge/internal/jsontext"
)

// appendJSON appends v, a mapping input or output (maps, lists, strings,
// float64 numbers, bools and nil, as encoding/json decodes them), as JSON.
// Every link stored carries two of these; encoding/json's reflection on
// maps was a tenth of a backfill's allocations. Keys come out sorted.
// Strings are quoted as encoding/json quotes them (jsontext); what it does
// not know, and numbers that need care, go through encoding/json, so the
// result always decodes to the same value.
func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return jsontext.AppendString(b, x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.AppendInt(b, int64(x), 10)
		}
	case map[string]any:
		return jsontext.AppendObject(b, x, appendJSON)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...) // NaN or an infinity: JSON has none
	}
	return append(b, enc...)
}

// encodeBufs holds the buffers link rows are encoded in: a row's text is
// copied out once, as a string, and the buffer kept for the next row
// (growing a fresh buffer per row was a tenth of a backfill's garbage).
var encodeBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooledEncodeBuf keeps one huge record from pinning its buffer.
const maxPooledEncodeBuf = 64 << 10

// encodeString returns as a string what fill appends to an empty buffer.
func encodeString(fill func([]byte) []byte) string {
	bp := encodeBufs.Get().(*[]byte)
	b := fill((*bp)[:0])
	s := string(b)
	if cap(b) <= maxPooledEncodeBuf {
		*bp = b
		encodeBufs.Put(bp)
	}
	return s
}
