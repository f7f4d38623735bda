package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// snapshot is the cursor of triggers over listings that have no change
// cursor (location tasks, custom fields, representatives, schedules in a
// window): a short content hash per record key. A poll lists everything,
// emits the records that are new or whose hash changed, and keeps the
// hashes of what it saw, so records gone from the listing drop out.
type snapshot map[string]string

// snapshotPrefix versions the cursor text, so a later format can tell old
// cursors apart.
const snapshotPrefix = "snap1:"

// parseSnapshot reads a cursor; "" is the first poll (nil snapshot).
func parseSnapshot(cursor string) (snapshot, error) {
	if cursor == "" {
		return nil, nil
	}
	body, ok := strings.CutPrefix(cursor, snapshotPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: cursor %.20q is not a snapshot cursor", ErrInvalidInput, cursor)
	}
	s := snapshot{}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		return nil, fmt.Errorf("%w: snapshot cursor: %v", ErrInvalidInput, err)
	}
	return s, nil
}

// String writes the cursor; JSON sorts the keys, so equal snapshots give
// equal text.
func (s snapshot) String() string {
	if s == nil {
		s = snapshot{}
	}
	b, _ := json.Marshal(map[string]string(s))
	return snapshotPrefix + string(b)
}

// diff returns the records that are new or changed since prev, in listing
// order, and the snapshot of the whole listing.
func diff(prev snapshot, records []json.RawMessage, key func(json.RawMessage) (string, error)) ([]json.RawMessage, snapshot, error) {
	next := make(snapshot, len(records))
	var changed []json.RawMessage
	for _, r := range records {
		k, err := key(r)
		if err != nil {
			return nil, nil, err
		}
		sum := sha256.Sum256(r)
		h := hex.EncodeToString(sum[:6])
		next[k] = h
		if prev[k] != h {
			changed = append(changed, r)
		}
	}
	return changed, next, nil
}

// fieldKey returns a key function reading top-level fields of a record,
// joined with "/" (pricelist items are keyed by list and product).
func fieldKey(fields ...string) func(json.RawMessage) (string, error) {
	return func(r json.RawMessage) (string, error) {
		var m map[string]any
		if err := json.Unmarshal(r, &m); err != nil {
			return "", fmt.Errorf("record key: %w", err)
		}
		parts := make([]string, len(fields))
		for i, f := range fields {
			v, ok := m[f]
			if !ok || v == nil {
				return "", fmt.Errorf("record has no %s", f)
			}
			parts[i] = fmt.Sprint(v)
		}
		return strings.Join(parts, "/"), nil
	}
}
