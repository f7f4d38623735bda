package repslysandbox

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// Import job states as export/importStatus reports them.
const (
	ImportPending   = "Pending"
	ImportCompleted = "Completed"
	ImportFailed    = "Failed"
)

// importRetention is how long a job's status stays readable (documented: 30 days).
const importRetention = 30 * 24 * time.Hour

// maxImportBody bounds what one import call may post.
const maxImportBody = 16 << 20

// ImportStatus is the body of export/importStatus/{importJobID}.
// Guess: the docs do not say whether it is wrapped in a key; it is served
// unwrapped. RowsTotal is inserted + updated, as documented (invalid rows are
// not part of it).
type ImportStatus struct {
	ImportStatus string       `json:"ImportStatus"`
	RowsInserted int          `json:"RowsInserted"`
	RowsUpdated  int          `json:"RowsUpdated"`
	RowsInvalid  int          `json:"RowsInvalid"`
	RowsTotal    int          `json:"RowsTotal"`
	Warnings     []ImportItem `json:"Warnings"`
	Errors       []ImportItem `json:"Errors"`
}

// ImportItem is one warning (row still imported) or error (row not imported).
// ItemID names the row (its key, or "#n" for the n-th row when the key is
// missing), ItemName the field and ItemStatus the reason.
type ImportItem struct {
	ItemID     string `json:"ItemID"`
	ItemName   string `json:"ItemName"`
	ItemStatus string `json:"ItemStatus"`
}

// importJob is a queued import. apply runs once, with s.mu held, when the job
// finishes; the data changes only then, as with the real asynchronous queue.
type importJob struct {
	id        int64
	entity    string
	submitted time.Time
	polls     int
	apply     func() ImportStatus
	status    ImportStatus
}

// rowResult collects the outcome of applying a batch.
type rowResult struct{ st ImportStatus }

func (r *rowResult) warn(id, field, msg string) {
	r.st.Warnings = append(r.st.Warnings, ImportItem{ItemID: id, ItemName: field, ItemStatus: msg})
}

func (r *rowResult) fail(id, field, msg string) {
	r.st.Errors = append(r.st.Errors, ImportItem{ItemID: id, ItemName: field, ItemStatus: msg})
}

// done finishes the status. Guess: a job in which no row could be imported
// ends Failed; one with at least one imported row ends Completed and lists the
// invalid rows in Errors.
func (r *rowResult) done(total int) ImportStatus {
	st := r.st
	st.RowsTotal = st.RowsInserted + st.RowsUpdated
	st.RowsInvalid = total - st.RowsTotal
	st.ImportStatus = ImportCompleted
	if st.RowsTotal == 0 && total > 0 {
		st.ImportStatus = ImportFailed
	}
	if st.Warnings == nil {
		st.Warnings = []ImportItem{}
	}
	if st.Errors == nil {
		st.Errors = []ImportItem{}
	}
	return st
}

// rowID names a row in warnings and errors.
func rowID(key string, i int) string {
	if key != "" {
		return key
	}
	return "#" + strconv.Itoa(i+1)
}

// readImportBody checks the content type and reads the body. It writes the
// error response itself and reports false when the request is unusable.
func readImportBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json", "text/json":
	case "application/xml", "text/xml":
		// The real service accepts XML; the sandbox does not model it.
		writeRequestError(w, http.StatusUnsupportedMediaType, "The sandbox accepts JSON request bodies only.")
		return nil, false
	default:
		// WCF rejects bodies it cannot map to a format.
		writeRequestError(w, http.StatusBadRequest, "The incoming message has an unexpected format; send Content-Type: application/json.")
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBody))
	if err != nil {
		writeRequestError(w, http.StatusBadRequest, "The request body could not be read.")
		return nil, false
	}
	return body, true
}

// enqueue queues an import job and answers with the documented message that
// carries its ID. Callers must not hold s.mu.
func (s *Server) enqueue(w http.ResponseWriter, entity string, apply func() ImportStatus) {
	s.mu.Lock()
	s.st.lastJobID++
	job := &importJob{id: s.st.lastJobID, entity: entity, submitted: s.now(), apply: apply,
		status: ImportStatus{ImportStatus: ImportPending, Warnings: []ImportItem{}, Errors: []ImportItem{}}}
	s.st.jobs[job.id] = job
	s.st.pending = append(s.st.pending, job)
	if s.pendingPolls < 0 && s.importDelay <= 0 {
		s.finishLocked(job)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, Result{Code: 0, Message: fmt.Sprintf("%s import job started asynchronously under ID: %d", entity, job.id)})
}

// finishLocked runs a pending job. Callers hold s.mu.
func (s *Server) finishLocked(job *importJob) {
	if job.apply == nil {
		return
	}
	job.status = job.apply()
	job.apply = nil
	for i, p := range s.st.pending {
		if p == job {
			s.st.pending = append(s.st.pending[:i], s.st.pending[i+1:]...)
			break
		}
	}
}

// finishDueLocked finishes jobs older than ImportDelay and forgets statuses
// past the retention. It runs lazily on each request, so the sandbox needs
// no timers. Callers hold s.mu.
func (s *Server) finishDueLocked() {
	now := s.now()
	if s.importDelay > 0 {
		for len(s.st.pending) > 0 && !now.Before(s.st.pending[0].submitted.Add(s.importDelay)) {
			s.finishLocked(s.st.pending[0])
		}
	}
	if len(s.st.jobs) > 0 && s.st.jobsSwept.Add(time.Hour).Before(now) {
		s.st.jobsSwept = now
		for id, j := range s.st.jobs {
			if now.Sub(j.submitted) > importRetention {
				delete(s.st.jobs, id)
			}
		}
	}
}

// FlushImports finishes every pending import job now, as if the queue had
// caught up. Tests and the demo use it instead of waiting.
func (s *Server) FlushImports() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.st.pending) > 0 {
		s.finishLocked(s.st.pending[0])
	}
}

// ImportJob returns the current status of a job without counting as a poll.
func (s *Server) ImportJob(id int64) (ImportStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.st.jobs[id]
	if !ok {
		return ImportStatus{}, false
	}
	return j.status, true
}

// handleImportStatus serves export/importStatus/{importJobID}. A job answers
// Pending for Options.PendingPolls polls and finishes on the next one.
func (s *Server) handleImportStatus(w http.ResponseWriter, r *http.Request, p []string) {
	id, err := strconv.ParseInt(p[0], 10, 64)
	if err != nil {
		writeRequestError(w, http.StatusBadRequest, "The import job ID must be a number.")
		return
	}
	s.mu.Lock()
	s.finishDueLocked()
	job, ok := s.st.jobs[id]
	if ok && job.apply != nil {
		job.polls++
		if job.polls > s.pendingPolls {
			s.finishLocked(job)
		}
	}
	var st ImportStatus
	if ok {
		st = job.status
	}
	s.mu.Unlock()
	if !ok {
		// Guess: the body for an unknown or expired job is not documented.
		writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: fmt.Sprintf("Import job with ID %d does not exist.", id)})
		return
	}
	writeJSON(w, http.StatusOK, st)
}
