package repslysandbox

import "sort"

// pageSize is the fixed export page size ("System limit is 50 rows").
const pageSize = 50

// tsEntry records that row had timestamp ts when it was written.
type tsEntry[T any] struct {
	ts  int64
	row *T
}

// tsIndex lists rows in the order of the global change counter. A write
// appends a new entry; the row's older entries go stale (their ts no longer
// equals the row's current TimeStamp) and are skipped, then compacted away.
// Appending keeps the slice sorted because the counter only grows.
type tsIndex[T any] struct {
	entries []tsEntry[T]
	stale   int
	stamp   func(*T) int64
}

func newTSIndex[T any](stamp func(*T) int64) *tsIndex[T] {
	return &tsIndex[T]{stamp: stamp}
}

// add records row at its current timestamp; wasIndexed says whether the row
// already had an entry (which is now stale).
func (x *tsIndex[T]) add(row *T, wasIndexed bool) {
	x.entries = append(x.entries, tsEntry[T]{ts: x.stamp(row), row: row})
	if wasIndexed {
		x.stale++
		if x.stale > 1024 && x.stale > len(x.entries)/2 {
			x.compact()
		}
	}
}

func (x *tsIndex[T]) compact() {
	live := x.entries[:0]
	for _, e := range x.entries {
		if x.stamp(e.row) == e.ts {
			live = append(live, e)
		}
	}
	clear(x.entries[len(live):])
	x.entries = live
	x.stale = 0
}

// after returns copies of up to limit rows with a timestamp > cursor, in
// ascending timestamp order.
func (x *tsIndex[T]) after(cursor int64, limit int) []T {
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].ts > cursor })
	out := make([]T, 0, min(limit, len(x.entries)-i))
	for ; i < len(x.entries) && len(out) < limit; i++ {
		e := x.entries[i]
		if x.stamp(e.row) == e.ts {
			out = append(out, *e.row)
		}
	}
	return out
}

// idList holds rows in ascending ID order. IDs are handed out increasing, so
// appending keeps it sorted.
type idList[T any] struct {
	rows []*T
	id   func(*T) int64
}

func newIDList[T any](id func(*T) int64) *idList[T] { return &idList[T]{id: id} }

func (l *idList[T]) add(row *T) { l.rows = append(l.rows, row) }

func (l *idList[T]) len() int { return len(l.rows) }

// get finds the row with the given ID.
func (l *idList[T]) get(id int64) (*T, bool) {
	i := sort.Search(len(l.rows), func(i int) bool { return l.id(l.rows[i]) >= id })
	if i < len(l.rows) && l.id(l.rows[i]) == id {
		return l.rows[i], true
	}
	return nil, false
}

// after returns copies of up to limit rows with ID > cursor, ascending.
func (l *idList[T]) after(cursor int64, limit int) []T {
	i := sort.Search(len(l.rows), func(i int) bool { return l.id(l.rows[i]) > cursor })
	n := min(limit, len(l.rows)-i)
	out := make([]T, n)
	for j := range n {
		out[j] = *l.rows[i+j]
	}
	return out
}

// all returns copies of every row in ID order.
func (l *idList[T]) all() []T { return l.after(-1<<63, len(l.rows)) }
