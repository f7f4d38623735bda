package syncer_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log sink safe for the engine's concurrent records.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDebugTrace: at debug level the engine logs what it read as a change
// and what it wrote, per link, with value digests and never the values.
func TestDebugTrace(t *testing.T) {
	t.Parallel()
	var log lockedBuffer
	b := setup(t, setupOpts{clients: 1, log: &log})
	code, id := linkedPair(t, b)
	editRepCity(t, b, code, "Tracetown")
	b.pollRepsly(t, nil)
	editUserSite(t, b, id, "https://trace.example.test")
	b.feedWebhooks(t)
	out := log.String()
	for _, want := range []string{`"msg":"linked created contact"`, `"msg":"client changed"`, `"msg":"wrote contact"`,
		`"msg":"contact changed"`, `"msg":"wrote client"`, `"code":"` + code + `"`, `"contact":"` + id + `"`, `city=`} {
		if !strings.Contains(out, want) {
			t.Errorf("the debug log lacks %s", want)
		}
	}
	for _, value := range []string{"Tracetown", "trace.example.test"} {
		if strings.Contains(out, value) {
			t.Errorf("the debug log shows the value %q", value)
		}
	}
}
