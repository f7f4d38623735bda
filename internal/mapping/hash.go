package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
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
	h := sha256.New()
	if record == nil {
		record = map[string]any{}
	}
	writeCanonical(h, record, 0)
	return hex.EncodeToString(h.Sum(nil))
}

// maxHashDepth stops runaway nesting (a cycle, which JSON data never has,
// would otherwise recurse forever).
const maxHashDepth = 10_000

func writeCanonical(h hash.Hash, v any, depth int) {
	if depth > maxHashDepth {
		h.Write([]byte(`"<too deep>"`))
		return
	}
	switch x := v.(type) {
	case nil:
		h.Write([]byte("null"))
	case bool:
		h.Write(strconv.AppendBool(nil, x))
	case string:
		writeString(h, x)
	case json.Number:
		if f, err := x.Float64(); err == nil {
			writeFloat(h, f)
		} else {
			writeString(h, x.String())
		}
	case float64:
		writeFloat(h, x)
	case float32:
		writeFloat(h, float64(x))
	case int:
		h.Write(strconv.AppendInt(nil, int64(x), 10))
	case int64:
		writeInt(h, x)
	case uint64:
		if x <= math.MaxInt64 {
			writeInt(h, int64(x))
		} else {
			h.Write(strconv.AppendUint(nil, x, 10))
		}
	case time.Time:
		writeString(h, x.UTC().Format(time.RFC3339Nano))
	case map[string]any:
		h.Write([]byte("{"))
		for i, k := range sortedKeys(x) {
			if i > 0 {
				h.Write([]byte(","))
			}
			writeString(h, k)
			h.Write([]byte(":"))
			writeCanonical(h, x[k], depth+1)
		}
		h.Write([]byte("}"))
	case []any:
		h.Write([]byte("["))
		for i, e := range x {
			if i > 0 {
				h.Write([]byte(","))
			}
			writeCanonical(h, e, depth+1)
		}
		h.Write([]byte("]"))
	default:
		writeOther(h, v, depth)
	}
}

// writeOther handles other Go types (typed slices and maps, structs) by
// converting them to plain data first.
func writeOther(h hash.Hash, v any, depth int) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		writeInt(h, rv.Int())
		return
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		writeInt(h, int64(rv.Uint()))
		return
	case reflect.String:
		writeString(h, rv.String())
		return
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = rv.Index(i).Interface()
		}
		writeCanonical(h, l, depth)
		return
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			m := make(map[string]any, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				m[it.Key().String()] = it.Value().Interface()
			}
			writeCanonical(h, m, depth)
			return
		}
	}
	// Structs and the rest: through their JSON form.
	b, err := json.Marshal(v)
	if err != nil {
		writeString(h, "<unencodable "+rv.Type().String()+">")
		return
	}
	var plain any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&plain) != nil {
		writeString(h, string(b))
		return
	}
	writeCanonical(h, plain, depth)
}

func writeInt(h hash.Hash, n int64) { h.Write(strconv.AppendInt(nil, n, 10)) }

// writeFloat writes integral floats as integers, so 1.0 and 1 agree.
func writeFloat(h hash.Hash, f float64) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		writeString(h, strconv.FormatFloat(f, 'g', -1, 64))
	case f == math.Trunc(f) && math.Abs(f) < 1<<63:
		writeInt(h, int64(f))
	default:
		h.Write(strconv.AppendFloat(nil, f, 'g', -1, 64))
	}
}

func writeString(h hash.Hash, s string) {
	b, _ := json.Marshal(s) // a string always encodes
	h.Write(b)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
