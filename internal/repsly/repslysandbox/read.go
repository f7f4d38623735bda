package repslysandbox

// Read helpers return copies; changing them does not change the account.

// Client returns the client with the given code (matched case-insensitively).
func (s *Server) Client(code string) (Client, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.st.client(code)
	if !ok {
		return Client{}, false
	}
	return *c, true
}

// Clients returns every client in ClientID order, inactive ones included.
func (s *Server) Clients() []Client {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.clients.all()
}

// ClientCount returns the number of clients.
func (s *Server) ClientCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.clients.len()
}

// Notes returns every client note in ID order.
func (s *Server) Notes() []ClientNote {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.notes.all()
}

// Visits returns every visit in ID order.
func (s *Server) Visits() []Visit {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.visits.all()
}

// Users returns every user in creation order.
func (s *Server) Users() []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]User, len(s.st.users))
	for i, u := range s.st.users {
		out[i] = *u
	}
	return out
}

// Representatives returns the active users with the Representative role.
func (s *Server) Representatives() []User {
	var out []User
	for _, u := range s.Users() {
		if u.Active && u.IsRepresentative() {
			out = append(out, u)
		}
	}
	return out
}

// Schedules returns every visit schedule in creation order.
func (s *Server) Schedules() []Schedule {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Schedule, len(s.st.schedules))
	for i, sc := range s.st.schedules {
		out[i] = *sc
	}
	return out
}

// Products returns every product in ID order.
func (s *Server) Products() []Product {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.products.all()
}

// Account returns the place-account with the given code.
func (s *Server) Account(code string) (Account, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.st.accounts[codeKey(code)]
	if !ok {
		return Account{}, false
	}
	return *a, true
}
