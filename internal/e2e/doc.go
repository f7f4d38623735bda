// Package e2e holds Fieldbridge's end-to-end tests: a real `fieldbridge
// serve` process (the test binary re-executed as the fieldbridge binary)
// syncs the two API sandboxes, which live in the test process so that they
// survive the server being killed. The tests check the sync contract of
// DESIGN.md from the outside: after crashes and injected faults both sides
// converge, with nothing duplicated and no update lost.
//
// Each test logs its seed (the edits users make and the moments of the
// kills); FIELDBRIDGE_E2E_SEED=N replays a seed, and
// FIELDBRIDGE_E2E_KEEP=DIR keeps the SQLite database and the server's log
// in DIR for a look at the run history. With TEST_DATABASE_URL set, the
// crash and fault tests also run on PostgreSQL. Under -race the server is
// several times slower, so the tests seed less data.
//
// The package has no code of its own; everything is in its tests.
package e2e
