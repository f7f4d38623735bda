package repslysandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzImportBody posts arbitrary bodies to the import endpoints: the server
// must never panic and must answer 200 (queued) or a 4xx.
func FuzzImportBody(f *testing.F) {
	for _, s := range []string{
		`{"Code":"X","Name":"Y"}`, `{"Clients":[{"Code":"X"}]}`, `[{"Code":"X","Name":"Y"}]`, `{"code":1}`,
		`{"Code":"X","Name":"Y","PriceLists":[{"Name":"Retail 2024"},"Wholesale",3]}`, `null`, `{"Schedules":[{}]}`,
		`{"DocumentID":1,"DocumentStatusID":null}`, `{"Name":"L","Products":[{"Code":"P","Action":"Add"}]}`,
	} {
		f.Add("import/client", s)
		f.Add("import/clientList", s)
	}
	f.Add("import/schedule", `[{"ClientCode":"C-000001","UserID":"R01","ScheduledDate":"2026-01-01","RepeatEveryWeeks":1}]`)
	f.Add("import/user", `{"Code":"U","Name":"N","Email":"a@b"}`)
	s := New(Options{PendingPolls: NoPendingPolls})
	if err := s.Seed(SeedOptions{Clients: 3, Seed: 1}); err != nil {
		f.Fatal(err)
	}
	paths := map[string]bool{}
	for _, rt := range s.routes {
		if rt.method == http.MethodPost {
			paths[rt.name] = true
		}
	}
	u, p := s.Credentials()
	f.Fuzz(func(t *testing.T, path, body string) {
		if !paths[path] {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "/v3/"+path, strings.NewReader(body))
		req.SetBasicAuth(u, p)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code > 499) {
			t.Errorf("POST %s %q: status %d", path, body, rec.Code)
		}
	})
}
