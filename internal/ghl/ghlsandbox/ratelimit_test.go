package ghlsandbox

import (
	"net/http"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t, func(o *Options) {
		o.RateLimit = RateLimit{Enabled: true, Burst: 3, Interval: 10 * time.Second, Daily: 5}
	})
	get := func(token string) resp {
		return b.req("GET", "/contacts/search/duplicate?locationId="+map[string]string{tok1: loc1, tok2: loc2}[token]+"&email=a%40b.example", token, vContacts, nil)
	}
	for i, want := range []string{"2", "1", "0"} {
		r := get(tok1).must(t, 200)
		h := r.header
		if h.Get("X-RateLimit-Remaining") != want || h.Get("X-RateLimit-Max") != "3" ||
			h.Get("X-RateLimit-Interval-Milliseconds") != "10000" || h.Get("X-RateLimit-Limit-Daily") != "5" ||
			h.Get("X-RateLimit-Daily-Remaining") != []string{"4", "3", "2"}[i] {
			t.Errorf("request %d headers %v", i, h)
		}
	}
	r := get(tok1).must(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "10" || r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("429 headers %v", r.header)
	}
	get(tok2).must(t, 200) // limits are per location

	b.clock.Advance(10 * time.Second)
	get(tok1).must(t, 200)
	get(tok1).must(t, 200)
	r = get(tok1).must(t, http.StatusTooManyRequests) // daily limit, though the window has room
	if r.header.Get("X-RateLimit-Daily-Remaining") != "0" || r.header.Get("Retry-After") != "35990" {
		t.Errorf("daily 429 headers %v", r.header)
	}

	b.sb.SetRateLimit(RateLimit{})
	if r := get(tok1).must(t, 200); r.header.Get("X-RateLimit-Max") != "" {
		t.Errorf("limits off, yet headers %v", r.header)
	}
	b.sb.SetRateLimit(RealRateLimit())
	if r := get(tok2).must(t, 200); r.header.Get("X-RateLimit-Max") != "100" || r.header.Get("X-RateLimit-Limit-Daily") != "200000" {
		t.Errorf("real limits headers %v", r.header)
	}
}

func TestCallCounters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(nil)
	b.api("GET", "/contacts/"+id, nil).must(t, 200)
	b.api("GET", "/contacts/"+id, nil).must(t, 200)
	b.req("GET", "/contacts/"+id, "", vContacts, nil).must(t, 401)
	b.api("GET", "/nowhere", nil).must(t, 404)
	if _, err := b.sb.UserAddNote(id, "not an API call"); err != nil {
		t.Fatal(err)
	}
	st := b.sb.Calls()
	if st.Total != 5 || b.sb.CallCount() != 5 {
		t.Errorf("total %d", st.Total)
	}
	if got := b.sb.CallCountFor("GET /contacts/{contactId}"); got != 3 {
		t.Errorf("get-contact count %d", got)
	}
	if st.ByLocationRoute[loc1]["GET /contacts/{contactId}"] != 2 || st.ByLocation[""] != 2 || st.ByRoute["UNMATCHED"] != 1 {
		t.Errorf("stats %+v", st)
	}
	b.sb.ResetCalls()
	if b.sb.CallCount() != 0 {
		t.Error("reset")
	}
}
