// Package ghlspec loads HighLevel's official OpenAPI files (shared/specs/ghl)
// with kin-openapi, repairs their known defects (see defect.go) and validates
// HTTP requests and responses against them.
//
// It is test support: the HighLevel client tests and the sandbox use it to
// prove that what they send and answer is what HighLevel documents. Production
// code never imports it.
package ghlspec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// EnvSpecsDir names the environment variable that may point at the shared
// specs directory (the one holding ghl/ and repsly/) or at its ghl/ subdirectory.
const EnvSpecsDir = "FIELDBRIDGE_SPECS_DIR"

// Files lists the spec files Load reads, relative to the ghl specs directory.
var files = []string{
	"apps/contacts.json",
	"apps/calendars.json",
	"apps/oauth.json",
	"apps/locations.json",
}

// Spec is the set of patched HighLevel documents with one router each.
// It is safe for concurrent use once loaded.
type Spec struct {
	docs    map[string]*openapi3.T
	routers []namedRouter
}

type namedRouter struct {
	file   string
	router routers.Router
}

// Route is an operation matched for a request.
type Route struct {
	// File is the spec file the operation comes from, e.g. "apps/contacts.json".
	File string
	// OperationID is the spec's operationId, e.g. "get-contact".
	OperationID string
	// Method and Path are the operation's method and path template.
	Method, Path string
	// PathParams holds the path parameters extracted from the request.
	PathParams map[string]string

	route *routers.Route
}

// Load finds the specs directory (see FindDir) and loads it.
func Load() (*Spec, error) {
	dir, err := FindDir()
	if err != nil {
		return nil, err
	}
	return LoadDir(dir)
}

// FindDir locates the ghl specs directory: $FIELDBRIDGE_SPECS_DIR when set,
// otherwise the first shared/specs/ghl found walking up from the working
// directory. The repository lives next to shared/ (…/main and …/shared), so
// walking up from any package directory finds it, locally and in CI.
func FindDir() (string, error) {
	if env := os.Getenv(EnvSpecsDir); env != "" {
		for _, dir := range []string{filepath.Join(env, "ghl"), env} {
			if isDir(filepath.Join(dir, "apps")) {
				return dir, nil
			}
		}
		return "", fmt.Errorf("ghlspec: %s=%q holds no ghl/apps directory", EnvSpecsDir, env)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("ghlspec: find specs: %w", err)
	}
	for dir := wd; ; {
		candidate := filepath.Join(dir, "shared", "specs", "ghl")
		if isDir(filepath.Join(candidate, "apps")) {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("ghlspec: no shared/specs/ghl above %s; set %s", wd, EnvSpecsDir)
		}
		dir = parent
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// LoadDir loads, patches and validates the spec files under dir (a ghl specs
// directory, e.g. /work/shared/specs/ghl).
func LoadDir(dir string) (*Spec, error) {
	s := &Spec{docs: make(map[string]*openapi3.T)}
	for _, name := range files {
		loader := openapi3.NewLoader()
		// contacts.json and friends $ref ../common/common-schemas.json.
		loader.IsExternalRefsAllowed = true
		doc, err := loader.LoadFromFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, fmt.Errorf("ghlspec: load %s: %w", name, err)
		}
		s.docs[name] = doc
	}
	if err := applyPatches(s.docs); err != nil {
		return nil, err
	}
	for _, name := range files {
		doc := s.docs[name]
		// Tests call services on 127.0.0.1, not on the declared server.
		doc.Servers = nil
		r, err := legacy.NewRouter(doc, validationOptions()...)
		if err != nil {
			return nil, fmt.Errorf("ghlspec: %s: %w", name, err)
		}
		s.routers = append(s.routers, namedRouter{file: name, router: r})
	}
	return s, nil
}

// validationOptions are the document validation options; examples are
// documentation only and many are wrong (defect D1), so they are not checked.
func validationOptions() []openapi3.ValidationOption {
	return []openapi3.ValidationOption{openapi3.DisableExamplesValidation(), openapi3.EnableMultiError()}
}

// Doc returns the patched document loaded from file (e.g. "apps/contacts.json").
func (s *Spec) Doc(file string) *openapi3.T {
	return s.docs[file]
}

// FindRoute matches req against every loaded document.
func (s *Spec) FindRoute(req *http.Request) (*Route, error) {
	for _, nr := range s.routers {
		route, params, err := nr.router.FindRoute(req)
		if err != nil {
			var rerr *routers.RouteError
			if errors.As(err, &rerr) {
				continue
			}
			return nil, err
		}
		return &Route{
			File:        nr.file,
			OperationID: route.Operation.OperationID,
			Method:      route.Method,
			Path:        route.Path,
			PathParams:  params,
			route:       route,
		}, nil
	}
	return nil, fmt.Errorf("ghlspec: no operation for %s %s", req.Method, req.URL.Path)
}

// ValidateRequest checks req (whose body is given separately, because the
// caller has usually consumed it) against the operation it matches: path,
// query and header parameters including the Version header, the bearer token's
// presence where the operation declares security, the content type and body.
// req.Body is not read.
func (s *Spec) ValidateRequest(req *http.Request, body []byte) error {
	_, err := s.validateRequest(req, body)
	return err
}

func (s *Spec) validateRequest(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, err := s.FindRoute(req)
	if err != nil {
		return nil, err
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: route.PathParams,
		Route:      route.route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: checkBearer,
			MultiError:         true,
			// Defaults would be written into our copy only; keep the body as sent.
			SkipSettingDefaults: true,
		},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return nil, fmt.Errorf("ghlspec: %s %s (%s): %w", req.Method, req.URL.Path, route.OperationID, err)
	}
	return in, nil
}

// ValidateResponse checks a response (status, header, body) to req against
// the operation req matches. Statuses the spec does not declare (403, 404,
// 429, 5xx) are accepted unchecked, as HighLevel sends them anyway.
func (s *Spec) ValidateResponse(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	route, err := s.FindRoute(req)
	if err != nil {
		return err
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    clone,
			PathParams: route.PathParams,
			Route:      route.route,
		},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			MultiError:         true,
			AuthenticationFunc: checkBearer,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("ghlspec: response %d to %s %s (%s): %w", status, req.Method, req.URL.Path, route.OperationID, err)
	}
	return nil
}

// checkBearer accepts a request when it carries "Authorization: Bearer <t>"
// with a non-empty t: every HighLevel security scheme is an http bearer scheme.
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return fmt.Errorf("missing bearer token for security scheme %s", in.SecuritySchemeName)
	}
	return nil
}
