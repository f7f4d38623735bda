// Package e2e holds Fieldbridge's end-to-end tests: a real `fieldbridge
// serve` process (the test binary re-executed as the fieldbridge binary)
// syncs the two API sandboxes, which live in the test process so that they
// survive the server being killed. The tests check the sync contract of
// DESIGN.md from the outside: after crashes and injected faults both sides
// converge, with nothing duplicated and no update lost.
//
// The package has no code of its own; everything is in its tests.
package e2e
