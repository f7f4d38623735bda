package repslysandbox

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"strconv"
)

// jsonContentType is what the WCF service sends with JSON bodies.
const jsonContentType = "application/json; charset=utf-8"

// Result is the {Code, Message} body the real service answers imports and
// validation failures with. For imports Code 0 means accepted; for the
// document status update Code 1 means success (the docs flip the convention).
type Result struct {
	Code    int    `json:"Code"`
	Message string `json:"Message"`
}

// writeJSON marshals v and writes it with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeRequestError(w, http.StatusInternalServerError, "The server encountered an error processing the request.")
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeEnvelope writes {"MetaCollectionResult":meta,"<key>":rows}. The array
// is named after the entity, never "Data" (the generated spec is wrong there).
// A nil meta leaves MetaCollectionResult out, as the full-list endpoints do.
func writeEnvelope(w http.ResponseWriter, meta any, key string, rows any) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	buf.WriteByte('{')
	if meta != nil {
		m, err := json.Marshal(meta)
		if err != nil {
			writeRequestError(w, http.StatusInternalServerError, "The server encountered an error processing the request.")
			return
		}
		buf.WriteString(`"MetaCollectionResult":`)
		buf.Write(m)
		buf.WriteByte(',')
	}
	r, err := json.Marshal(rows)
	if err != nil {
		writeRequestError(w, http.StatusInternalServerError, "The server encountered an error processing the request.")
		return
	}
	buf.WriteByte('"')
	buf.WriteString(key)
	buf.WriteString(`":`)
	buf.Write(r)
	buf.WriteByte('}')
	writeRaw(w, http.StatusOK, buf.Bytes())
}

// writeRequestError answers with an HTML page shaped like the WCF "Request
// Error" page the real service sends for malformed requests and unhandled
// errors. The wording is the sandbox's own.
func writeRequestError(w http.ResponseWriter, status int, msg string) {
	writeHTML(w, status, "Request Error", msg)
}

func writeHTML(w http.ResponseWriter, status int, title, msg string) {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html><head><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body><div id=\"content\"><p class=\"heading1\">")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</p><p>")
	b.WriteString(html.EscapeString(msg))
	b.WriteString("</p></div></body></html>\n")
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
