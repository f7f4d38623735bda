package repsly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Import job states reported by export/importStatus.
const (
	ImportPending   = "Pending"
	ImportCompleted = "Completed"
	ImportFailed    = "Failed"
)

// ImportIssue is one warning (the row was still imported) or error (the row
// was not imported) of an import job.
type ImportIssue struct {
	ItemID     Text `json:"ItemID"`
	ItemName   Text `json:"ItemName"`   // the field concerned
	ItemStatus Text `json:"ItemStatus"` // the reason, as text
}

// String formats the issue as "ItemID ItemName: ItemStatus".
func (i ImportIssue) String() string {
	head := strings.TrimSpace(string(i.ItemID) + " " + string(i.ItemName))
	if head == "" {
		return string(i.ItemStatus)
	}
	return head + ": " + string(i.ItemStatus)
}

// ImportStatus is the body of export/importStatus/{importJobID}. Repsly
// keeps it for 30 days. RowsTotal = RowsInserted + RowsUpdated; invalid rows
// are counted apart and listed in Errors.
type ImportStatus struct {
	ImportStatus string        `json:"ImportStatus"`
	RowsInserted int           `json:"RowsInserted"`
	RowsUpdated  int           `json:"RowsUpdated"`
	RowsInvalid  int           `json:"RowsInvalid"`
	RowsTotal    int           `json:"RowsTotal"`
	Warnings     []ImportIssue `json:"Warnings"`
	Errors       []ImportIssue `json:"Errors"`
}

// ImportAck is Repsly's immediate answer to an import post.
type ImportAck struct {
	Code    int
	Message string
	// JobID is parsed out of Message ("... under ID: 123"); zero if absent.
	JobID int64
	// Summary is set by synchronous user imports.
	Summary *UserImportSummary
}

// ImportResult is the outcome of one import call, over all the jobs it
// needed (one per record for single-record endpoints, one per batch for
// list endpoints).
type ImportResult struct {
	// Endpoint is the name of the endpoint last posted to.
	Endpoint string
	// JobIDs lists the jobs started, in order; resume a timed-out wait
	// with WaitImport.
	JobIDs []int64
	// Status is ImportCompleted, ImportFailed (a job failed, or a post
	// was refused or could not be sent) or ImportPending (the wait ran
	// out; the job goes on in Repsly).
	Status                                            string
	RowsInserted, RowsUpdated, RowsInvalid, RowsTotal int
	Warnings, Errors                                  []ImportIssue
	// Messages are Repsly's answers to the posts.
	Messages []string
}

// ParseJobID extracts the import job id from an import answer's Message,
// "Client import job started asynchronously under ID: 123": the number
// after the last word "ID" (optionally followed by ":", "#" or "=").
func ParseJobID(message string) (int64, bool) {
	lower := asciiLower(message)
	for end := len(lower); end > 0; {
		i := strings.LastIndex(lower[:end], "id")
		if i < 0 {
			return 0, false
		}
		end = i
		if i > 0 && isWordByte(lower[i-1]) || i+2 < len(lower) && isWordByte(lower[i+2]) && !isDigit(lower[i+2]) {
			continue
		}
		rest := strings.TrimLeft(lower[i+2:], " \t")
		rest = strings.TrimPrefix(rest, ":")
		if len(rest) > 0 && (rest[0] == '#' || rest[0] == '=') {
			rest = rest[1:]
		}
		rest = strings.TrimLeft(rest, " \t")
		n := 0
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 0 {
			continue
		}
		id, err := strconv.ParseInt(rest[:n], 10, 64)
		if err != nil || id <= 0 {
			return 0, false
		}
		return id, true
	}
	return 0, false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' || c == '_' }

// StartImport posts body to the named import endpoint and returns Repsly's
// answer without waiting for the job. A 400 comes back as an *Error
// wrapping ErrValidation with Repsly's message.
func (c *Client) StartImport(ctx context.Context, name string, body any) (ImportAck, error) {
	ep, err := endpoint(name)
	if err != nil {
		return ImportAck{}, err
	}
	if ep.Method != http.MethodPost {
		return ImportAck{}, fmt.Errorf("repsly: %s is not an import", name)
	}
	resp, status, err := c.do(ctx, http.MethodPost, ep.Path, body, false)
	if err != nil {
		return ImportAck{}, err
	}
	var wire struct {
		Code    flexInt            `json:"Code"`
		Message string             `json:"Message"`
		Summary *UserImportSummary `json:"Summary"`
	}
	if err := decodeObject(resp, &wire); err != nil {
		return ImportAck{}, &Error{Method: http.MethodPost, Path: ep.Path, StatusCode: status, Kind: ErrUnexpectedBody, Err: err}
	}
	ack := ImportAck{Code: int(wire.Code), Message: c.scrubString(wire.Message), Summary: wire.Summary}
	ack.JobID, _ = ParseJobID(ack.Message)
	return ack, nil
}

// GetImportStatus reads an import job's status once.
func (c *Client) GetImportStatus(ctx context.Context, jobID int64) (ImportStatus, error) {
	ep, err := endpoint("import_status")
	if err != nil {
		return ImportStatus{}, err
	}
	path, err := ep.expand(strconv.FormatInt(jobID, 10))
	if err != nil {
		return ImportStatus{}, err
	}
	body, status, err := c.do(ctx, http.MethodGet, path, nil, false)
	if err != nil {
		return ImportStatus{}, err
	}
	st, err := decodeImportStatus(body)
	if err != nil {
		return ImportStatus{}, &Error{Method: http.MethodGet, Path: path, StatusCode: status, Kind: ErrUnexpectedBody, Err: err}
	}
	return st, nil
}

// decodeImportStatus accepts the status flat, wrapped in an "ImportStatus"
// object, or as the first element of an array (one third-party client reads
// it that way); the docs do not settle which.
func decodeImportStatus(body []byte) (ImportStatus, error) {
	body = trimBody(body)
	if err := checkJSON(body); err != nil {
		return ImportStatus{}, err
	}
	raw := json.RawMessage(body)
	for range 2 {
		var list []json.RawMessage
		if raw[0] == '[' {
			if err := json.Unmarshal(raw, &list); err != nil {
				return ImportStatus{}, fmt.Errorf("decode: %w", err)
			}
			if len(list) == 0 {
				return ImportStatus{}, errors.New("empty status array")
			}
			raw = trimBody(list[0])
			if len(raw) == 0 {
				return ImportStatus{}, errors.New("empty status element")
			}
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return ImportStatus{}, fmt.Errorf("decode: %w", err)
		}
		inner, ok := lookupKey(obj, "ImportStatus")
		inner = trimBody(inner)
		if ok && len(inner) > 0 && (inner[0] == '{' || inner[0] == '[') {
			raw = inner
			continue
		}
		var st ImportStatus
		if err := json.Unmarshal(raw, &st); err != nil {
			return ImportStatus{}, fmt.Errorf("decode: %w", err)
		}
		if st.ImportStatus == "" {
			return ImportStatus{}, errors.New("no ImportStatus field")
		}
		return st, nil
	}
	return ImportStatus{}, errors.New("ImportStatus nested too deep")
}

// WaitImport polls an import job with exponential backoff until it is
// Completed or Failed. A Failed job returns its status and an *ImportError.
// When Options.ImportTimeout runs out first, the error wraps
// ErrImportTimeout. A few transient errors (429, 5xx) while polling are
// ridden out, because the job runs on regardless of our polling.
func (c *Client) WaitImport(ctx context.Context, jobID int64) (ImportStatus, error) {
	deadline := c.now().Add(c.importWait)
	wait := c.pollFirst
	transient := 0
	for {
		st, err := c.GetImportStatus(ctx, jobID)
		pause := wait
		switch {
		case err == nil:
			transient = 0
			switch {
			case strings.EqualFold(st.ImportStatus, ImportCompleted):
				st.ImportStatus = ImportCompleted
				return st, nil
			case strings.EqualFold(st.ImportStatus, ImportFailed):
				st.ImportStatus = ImportFailed
				return st, &ImportError{Endpoint: "import_status", JobID: jobID, Reasons: failureReasons(st)}
			}
		case Retryable(err) && transient < 3:
			transient++
			if d, ok := RetryAfter(err); ok && d > pause {
				pause = d
			}
		default:
			return st, fmt.Errorf("repsly: wait for import job %d: %w", jobID, err)
		}
		if !c.now().Add(pause).Before(deadline) {
			return st, fmt.Errorf("repsly: import job %d still %q after %s: %w", jobID, st.ImportStatus, c.importWait, ErrImportTimeout)
		}
		if err := c.sleep(ctx, pause); err != nil {
			return st, fmt.Errorf("repsly: wait for import job %d: %w", jobID, err)
		}
		wait = min(wait*2, c.pollMax)
	}
}

// failureReasons lists why a job failed: its errors, or a generic line.
func failureReasons(st ImportStatus) []string {
	reasons := make([]string, 0, len(st.Errors))
	for _, e := range st.Errors {
		reasons = append(reasons, e.String())
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "job ended "+st.ImportStatus+" without listing errors")
	}
	return reasons
}

// runImport posts records and waits for every job. With one record (and a
// single endpoint), or no list endpoint, each record goes to the single
// endpoint on its own; else
// batches go to the list endpoint wrapped in its envelope key. Batches run
// one after the other so that two jobs never race on the same key. A failed
// batch does not stop the next; the error then lists all failures.
func runImport[T any](ctx context.Context, c *Client, single, list string, records []T) (ImportResult, error) {
	res := ImportResult{Status: ImportCompleted}
	if len(records) == 0 {
		return res, nil
	}
	type post struct {
		name string
		body any
	}
	var posts []post
	if list == "" || (len(records) == 1 && single != "") {
		for _, r := range records {
			posts = append(posts, post{single, r})
		}
	} else {
		ep, err := endpoint(list)
		if err != nil {
			return res, err
		}
		for i := 0; i < len(records); i += c.importBatch {
			chunk := records[i:min(i+c.importBatch, len(records))]
			posts = append(posts, post{list, map[string][]T{ep.Envelope: chunk}})
		}
	}
	var failed *ImportError
	for _, p := range posts {
		res.Endpoint = p.name
		st, err := c.importOne(ctx, p.name, p.body, &res)
		res.add(st)
		var ie *ImportError
		switch {
		case errors.As(err, &ie):
			if failed == nil {
				failed = &ImportError{Endpoint: p.name, JobID: ie.JobID}
			}
			failed.Reasons = append(failed.Reasons, ie.Reasons...)
			res.Status = ImportFailed
		case err != nil:
			res.Status = ImportFailed
			if errors.Is(err, ErrImportTimeout) {
				res.Status = ImportPending
			}
			return res, err
		}
	}
	if failed != nil {
		return res, failed
	}
	return res, nil
}

// importOne posts one body and, for asynchronous endpoints, waits for the job.
func (c *Client) importOne(ctx context.Context, name string, body any, res *ImportResult) (ImportStatus, error) {
	ack, err := c.StartImport(ctx, name, body)
	if err != nil {
		return ImportStatus{}, err
	}
	res.Messages = append(res.Messages, ack.Message)
	if ack.Summary != nil {
		return ack.Summary.status(ack), ack.Summary.err(name, ack)
	}
	if ack.JobID == 0 {
		// No job: the answer is the outcome. Code 0 is success for imports,
		// but 1 for the document status update (documented that way).
		okCode := 0
		if name == "update_document_status" {
			okCode = 1
		}
		if ack.Code != okCode {
			return ImportStatus{ImportStatus: ImportFailed},
				&ImportError{Endpoint: name, Reasons: []string{fmt.Sprintf("code %d: %s", ack.Code, ack.Message)}}
		}
		c.logger.DebugContext(ctx, "repsly import answered without a job id", "endpoint", name)
		return ImportStatus{ImportStatus: ImportCompleted}, nil
	}
	res.JobIDs = append(res.JobIDs, ack.JobID)
	st, err := c.WaitImport(ctx, ack.JobID)
	var ie *ImportError
	if errors.As(err, &ie) {
		ie.Endpoint = name
	}
	return st, err
}

// add merges one job's counts into the result.
func (r *ImportResult) add(st ImportStatus) {
	r.RowsInserted += st.RowsInserted
	r.RowsUpdated += st.RowsUpdated
	r.RowsInvalid += st.RowsInvalid
	r.RowsTotal += st.RowsTotal
	r.Warnings = append(r.Warnings, st.Warnings...)
	r.Errors = append(r.Errors, st.Errors...)
}

// Text is a string field that also accepts a JSON number, bool or null
// (as its text), for fields whose JSON type the docs leave open: import
// issue ids, attribute values.
type Text string

// UnmarshalJSON accepts any JSON value; objects and arrays are kept as text.
func (f *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = Text(s)
		return nil
	}
	t := strings.TrimSpace(string(b))
	if t == "null" {
		*f = ""
		return nil
	}
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		*f = Text(clip(t, 200))
		return nil
	}
	*f = Text(t)
	return nil
}
