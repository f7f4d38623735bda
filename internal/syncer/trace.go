package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
)

// trace logs, at debug level, one step of the engine's work on a link:
// what it read as a change, what it wrote and what it settled. It answers
// "why did this field change?" from a server log. Field values never go
// into the log (they are customers' data), only a short digest of each,
// which is enough to tell which of two values a field held.
func (e *Engine) trace(ctx context.Context, msg string, ls *linkState, fields record, attrs ...slog.Attr) {
	if !e.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	keys := keysOf(fields)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+digest(fields[k]))
	}
	slices.Sort(parts)
	all := append([]slog.Attr{slog.String("flow", e.spec.Flow), slog.Int64("link", ls.link.ID),
		slog.String("code", ls.link.RepslyCode), slog.String("contact", ls.link.GHLID),
		slog.String("fields", strings.Join(parts, " "))}, attrs...)
	e.logger.LogAttrs(ctx, slog.LevelDebug, msg, all...)
}

// digest is a short fingerprint of a value, for logs.
func digest(v any) string {
	if isEmpty := equal(v, nil); isEmpty {
		return "empty"
	}
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:4])
}
