package syncer

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// writeRepsly upserts the linked client with the patched fields only:
// Repsly's import leaves the fields it is not given as they are, so a rep's
// edit of another field that the poll has not read yet survives (a whole
// record rebuilt from our last read would overwrite it). Code and Name are
// required by the import; Name is the patched one or the last one read.
// The result is recorded in ls.r.
//
// With wait, or without Config.DeferImportChecks, the import job is waited
// for: a second call at least. Otherwise the job is left running and
// stays pending on the link, confirmed by the next poll showing its values
// or, failing that, by one status read (import_check.go): one call per
// write in the common case.
func (e *Engine) writeRepsly(ctx context.Context, ls *linkState, patch record, wait bool) error {
	code := ls.link.RepslyCode
	m := importBody(ls, patch)
	b, _ := jsonMarshal(m)
	var ci repsly.ClientImport
	if err := jsonUnmarshal(b, &ci); err != nil {
		return fmt.Errorf("syncer: client %s: mapped fields do not fit a Repsly client: %w", code, err)
	}
	// nil leaves the client's price lists as they are.
	if _, ok := patch["PriceLists"]; !ok {
		ci.PriceLists = nil
	}
	// A text field emptied on the other side is sent blank; left out, the
	// import would keep the old value.
	for _, k := range keysOf(patch) {
		if patch[k] == nil && ci.CanClear(k) {
			ci.Clear = append(ci.Clear, k)
			m[k] = "" // as the export will show it
		}
	}
	fields := keysOf(record(m))
	if err := e.writeAhead(ctx, ls, Repsly, record(m), e.now()); err != nil {
		return fmt.Errorf("syncer: write Repsly client %s: %w", code, err)
	}
	var job int64
	if !wait && e.deferImports && ls.link.ID != 0 {
		ack, err := e.rep.StartImport(ctx, "import_client", ci)
		if err != nil {
			return fmt.Errorf("syncer: write Repsly client %s: %w", code, err)
		}
		if ack.JobID == 0 && ack.Code != 0 {
			return fmt.Errorf("syncer: write Repsly client %s: import refused: code %d: %s", code, ack.Code, ack.Message)
		}
		job = ack.JobID // 0: answered without a job, the answer is the outcome
	} else if _, err := e.rep.UpsertClients(ctx, []repsly.ClientImport{ci}); err != nil {
		return fmt.Errorf("syncer: write Repsly client %s: %w", code, err)
	}
	ls.r = overlay(ls.r, m)
	e.trace(ctx, "wrote client", ls, record(m), slog.Int64("job", job))
	if job == 0 {
		ls.wrote(Repsly, fields)
		ls.markWrites(Repsly, fields, e.now())
		return nil
	}
	// Left pending with its job until a poll or CheckImports settles it.
	for _, k := range fields {
		key := string(Repsly) + ":" + k
		if p, ok := ls.pending[key]; ok {
			p.Job = job
			ls.pending[key] = p
		}
	}
	ls.dirty = true
	return nil
}

// importBody is the client import writeRepsly sends for patch: the
// patched fields, the Code, a Name, and Active for a new client.
func importBody(ls *linkState, patch record) map[string]any {
	code := ls.link.RepslyCode
	m := map[string]any{"Code": code}
	for k, v := range patch {
		if v != nil {
			m[k] = v
		}
	}
	if _, ok := m["Name"]; !ok {
		if name, _ := ls.r["Name"].(string); name != "" {
			m["Name"] = name
		} else {
			m["Name"] = fallbackName(m, code)
		}
	}
	if len(ls.r) == 0 {
		if _, ok := m["Active"]; !ok {
			m["Active"] = true // a client we create starts active
		}
	}
	return m
}

func fallbackName(m map[string]any, code string) string {
	for _, k := range []string{"ContactName", "Email", "Phone"} {
		if s, _ := m[k].(string); s != "" {
			return s
		}
	}
	return "HighLevel contact " + code
}
