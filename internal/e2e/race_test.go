//go:build race

package e2e_test

// raceEnabled: the server process is this test binary, so under -race it
// runs several times slower; the tests shrink their data and stretch
// their deadlines.
const raceEnabled = true
