package ghlspec

import (
	"bytes"
	"io"
	"net/http"
)

// Transport is an http.RoundTripper that validates every request it forwards,
// and the response to it, against the spec. Failures go to Report (a test
// passes t.Error); the exchange itself proceeds unchanged so the code under
// test sees what it would have seen.
type Transport struct {
	// Spec validates the exchange. Required.
	Spec *Spec
	// Base forwards the request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Report receives each validation failure. Required.
	Report func(error)
	// SkipResponses turns response validation off, for tests that answer
	// deliberately malformed bodies.
	SkipResponses bool
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := t.Spec.ValidateRequest(req, body); err != nil {
		t.Report(err)
	}
	out := req.Clone(req.Context())
	if req.Body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(out)
	if err != nil || t.SkipResponses {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := t.Spec.ValidateResponse(req, body, resp.StatusCode, resp.Header, respBody); err != nil {
		t.Report(err)
	}
	return resp, nil
}
