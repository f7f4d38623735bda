package cli

import "errors"

// errStopDemo ends a `demo --once` run successfully after setup.
var errStopDemo = errors.New("demo finished")
