package repslysandbox

import (
	"net/http"
	"strings"
)

// Client is a Repsly client (a store / place) as export/clients returns it.
// PriceLists is a list of pricelist names. Guess: the docs write
// "PriceLists\Name" and third-party code reads both strings and {Name}
// objects; strings are served. AccountCode comes from third-party code only.
type Client struct {
	ClientID           int64         `json:"ClientID"`
	TimeStamp          int64         `json:"TimeStamp"`
	Code               string        `json:"Code"`
	Name               string        `json:"Name"`
	Active             bool          `json:"Active"`
	Tag                string        `json:"Tag"`
	Territory          string        `json:"Territory"`
	RepresentativeCode string        `json:"RepresentativeCode"`
	RepresentativeName string        `json:"RepresentativeName"`
	StreetAddress      string        `json:"StreetAddress"`
	ZIP                string        `json:"ZIP"`
	ZIPExt             string        `json:"ZIPExt"`
	City               string        `json:"City"`
	State              string        `json:"State"`
	Country            string        `json:"Country"`
	Email              string        `json:"Email"`
	Phone              string        `json:"Phone"`
	Mobile             string        `json:"Mobile"`
	Website            string        `json:"Website"`
	ContactName        string        `json:"ContactName"`
	ContactTitle       string        `json:"ContactTitle"`
	Note               string        `json:"Note"`
	Status             string        `json:"Status"`
	CustomFields       []CustomField `json:"CustomFields"`
	PriceLists         []string      `json:"PriceLists"`
	AccountCode        string        `json:"AccountCode"`

	// geo is where the store is, for note and visit coordinates. Client
	// exports carry no GPS fields (none were found in any source).
	geo [2]float64
}

// CustomField is one client custom field value.
type CustomField struct {
	Field string `json:"Field"`
	Value string `json:"Value"`
}

// codeKey is the lookup key of a client (or product, account...) code.
// Guess: Repsly runs on SQL Server, whose default collation compares case-
// insensitively, so "c-001" and "C-001" are taken to be the same client.
func codeKey(code string) string { return strings.ToLower(code) }

// putClientLocked stores a new or changed client: it stamps the row with the
// next value of the global change counter so timestamp exports deliver it
// (again). Callers hold s.mu and pass a pointer they own.
func (s *Server) putClientLocked(c *Client) {
	if c.CustomFields == nil {
		c.CustomFields = []CustomField{}
	}
	if c.PriceLists == nil {
		c.PriceLists = []string{}
	}
	existing := c.TimeStamp != 0
	c.TimeStamp = s.st.tick()
	if !existing {
		s.st.lastClientID++
		c.ClientID = s.st.lastClientID
		s.st.clients.add(c)
		s.st.clientsByCode[codeKey(c.Code)] = c
	}
	s.st.clientTS.add(c, existing)
	if c.Territory != "" {
		s.st.addTerritory(c.Territory)
	}
}

// handleExportClients serves export/clients/{lastTimestamp}: up to 50 clients
// whose TimeStamp is greater than the cursor, oldest change first. Inactive
// clients are included (includeInactive / includeDeleted are accepted and
// ignored: they appear only in third-party code).
func (s *Server) handleExportClients(w http.ResponseWriter, r *http.Request, p []string) {
	cursor, ok := parseCursor(w, p[0])
	if !ok {
		return
	}
	s.mu.RLock()
	rows := s.st.clientTS.after(cursor, pageSize)
	s.mu.RUnlock()
	writeEnvelope(w, tsMeta(rows, cursor, func(c *Client) int64 { return c.TimeStamp }), "Clients", rows)
}

// handleExportClient serves export/internal/client/{clientCode}.
// Guess: the response shape is undocumented; the bare Client object is
// served, and an unknown code answers 404 with {Code, Message}.
func (s *Server) handleExportClient(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.RLock()
	c, ok := s.st.clientsByCode[codeKey(p[0])]
	var out Client
	if ok {
		out = *c
	}
	s.mu.RUnlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, Result{Code: 1, Message: "Client with code '" + p[0] + "' does not exist."})
		return
	}
	writeJSON(w, http.StatusOK, out)
}
