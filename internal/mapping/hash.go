package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/jsontext"
)

// Hash returns a stable fingerprint of a mapped record: the SHA-256, in hex,
// of a canonical JSON rendering with sorted keys. The sync engine stores it
// per link side to recognise its own echoes and skip no-op writes, so equal
// records must hash equal however they were built:
//   - map key order never matters (keys are sorted);
//   - numbers are compared by value: int 1, float64 1.0 and json.Number "1"
//     hash alike;
//   - times hash as their UTC instant (RFC 3339 with nanoseconds);
//   - a nil record hashes like an empty one.
//
// Lists keep their order: order is data (use tags() for sets).
func Hash(record map[string]any) string {
	if record == nil {
		record = map[string]any{}
	}
	bp := hashBufs.Get().(*[]byte)
	b := appendCanonical((*bp)[:0], record, 0)
	sum := sha256.Sum256(b)
	if cap(b) <= maxPooledHashBuf {
		*bp = b
		hashBufs.Put(bp)
	}
	return hex.EncodeToString(sum[:])
}

// hashBufs keeps canonical renderings' buffers between calls: a mapped
// record renders to a few hundred bytes, hashed once per record and side.
var hashBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxPooledHashBuf keeps one huge record from pinning its buffer.
const maxPooledHashBuf = 64 << 10

// maxHashDepth stops runaway nesting (a cycle, which JSON data never has,
// would otherwise recurse forever).
const maxHashDepth = 10_000

// appendCanonical appends v's canonical rendering. Its bytes are those the
// stored hashes were made with (TestHashGolden pins them).
func appendCanonical(b []byte, v any, depth int) []byte {
	if depth > maxHashDepth {
		return append(b, `"<too deep>"`...)
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return jsontext.AppendString(b, x)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return appendFloat(b, f)
		}
		return jsontext.AppendString(b, x.String())
	case float64:
		return appendFloat(b, x)
	case float32:
		return appendFloat(b, float64(x))
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case time.Time:
		b = append(b, '"')
		b = x.UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, '"')
	case map[string]any:
		return jsontext.AppendObject(b, x, func(b []byte, v any) []byte { return appendCanonical(b, v, depth+1) })
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, e, depth+1)
		}
		return append(b, ']')
	default:
		return appendOther(b, v, depth)
	}
}

// appendOther handles other Go types (typed slices and maps, structs) by
// converting them to plain data first.
func appendOther(b []byte, v any, depth int) []byte {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return strconv.AppendInt(b, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return strconv.AppendInt(b, int64(rv.Uint()), 10)
	case reflect.String:
		return jsontext.AppendString(b, rv.String())
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = rv.Index(i).Interface()
		}
		return appendCanonical(b, l, depth)
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			m := make(map[string]any, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				m[it.Key().String()] = it.Value().Interface()
			}
			return appendCanonical(b, m, depth)
		}
	}
	// Structs and the rest: through their JSON form.
	enc, err := json.Marshal(v)
	if err != nil {
		return jsontext.AppendString(b, "<unencodable "+rv.Type().String()+">")
	}
	var plain any
	dec := json.NewDecoder(bytes.NewReader(enc))
	dec.UseNumber()
	if dec.Decode(&plain) != nil {
		return jsontext.AppendString(b, string(enc))
	}
	return appendCanonical(b, plain, depth)
}

// appendFloat writes integral floats as integers, so 1.0 and 1 agree.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return jsontext.AppendString(b, strconv.FormatFloat(f, 'g', -1, 64))
	case f == math.Trunc(f) && math.Abs(f) < 1<<63:
		return strconv.AppendInt(b, int64(f), 10)
	default:
		return strconv.AppendFloat(b, f, 'g', -1, 64)
	}
}
