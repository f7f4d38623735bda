package store

import (
	"strconv"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// rowsPerInsert bounds the rows of one multi-row INSERT: at 15 arguments
// a row it stays far below SQLite's 32,766 and PostgreSQL's 65,535 bound
// parameters.
const rowsPerInsert = 100

// writeValues writes to q the VALUES rows of a multi-row INSERT: rows rows
// of width parameters each, $1 to $rows*width on PostgreSQL and plain ? on
// SQLite.
//
// One statement for many rows, because one per row spent more in
// database/sql and the driver than in the database. Plain ? on SQLite,
// because it keeps numbered and named parameters in a list it searches
// linearly: preparing and binding hundreds of $N took most of the
// statement's time.
func writeValues(q *strings.Builder, d database.Dialect, rows, width int) {
	n := 0
	for r := range rows {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for i := range width {
			if i > 0 {
				q.WriteString(", ")
			}
			n++
			if d == database.SQLite {
				q.WriteByte('?')
				continue
			}
			q.WriteByte('$')
			q.WriteString(strconv.Itoa(n))
		}
		q.WriteByte(')')
	}
}
