package repslysandbox

import (
	"net/http"
	"strconv"
)

// TimestampMeta is the MetaCollectionResult of timestamp-paged exports.
// TotalCount is the number of rows in this response (not a grand total), and
// LastTimeStamp the TimeStamp of the last row, to be passed as the next
// cursor. Guess: on an empty page LastTimeStamp repeats the cursor.
type TimestampMeta struct {
	TotalCount    int   `json:"TotalCount"`
	LastTimeStamp int64 `json:"LastTimeStamp"`
}

// IDMeta is the MetaCollectionResult of ID-paged exports: FirstID and LastID
// are the IDs of the first and last row. Guess: on an empty page FirstID is 0
// and LastID repeats the cursor.
type IDMeta struct {
	TotalCount int   `json:"TotalCount"`
	FirstID    int64 `json:"FirstID"`
	LastID     int64 `json:"LastID"`
}

// CountMeta is the MetaCollectionResult of the date-range and realization
// exports, which carry only the row count.
type CountMeta struct {
	TotalCount int `json:"TotalCount"`
}

// parseCursor reads a non-negative int64 path cursor. WCF answers a segment
// it cannot convert with its HTML request error page.
func parseCursor(w http.ResponseWriter, s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		writeRequestError(w, http.StatusBadRequest, "The cursor '"+s+"' is not a valid non-negative number.")
		return 0, false
	}
	return v, true
}

func tsMeta[T any](rows []T, cursor int64, stamp func(*T) int64) TimestampMeta {
	m := TimestampMeta{TotalCount: len(rows), LastTimeStamp: cursor}
	if len(rows) > 0 {
		m.LastTimeStamp = stamp(&rows[len(rows)-1])
	}
	return m
}

func idMeta[T any](rows []T, cursor int64, id func(*T) int64) IDMeta {
	m := IDMeta{TotalCount: len(rows), LastID: cursor}
	if len(rows) > 0 {
		m.FirstID = id(&rows[0])
		m.LastID = id(&rows[len(rows)-1])
	}
	return m
}

// serveIDPage answers an ID-paged export from list: rows with ID > cursor.
// An edited row keeps its ID, so it is never delivered again.
func serveIDPage[T any](s *Server, w http.ResponseWriter, raw string, key string, list *idList[T]) {
	cursor, ok := parseCursor(w, raw)
	if !ok {
		return
	}
	s.mu.RLock()
	rows := list.after(cursor, pageSize)
	s.mu.RUnlock()
	writeEnvelope(w, idMeta(rows, cursor, list.id), key, rows)
}
