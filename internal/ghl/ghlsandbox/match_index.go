package ghlsandbox

import "strings"

// matchIndex finds contacts by location and email or phone without
// scanning them all: duplicate checks run on every create and update, and
// a scan made bulk loads quadratic. Callers hold s.mu.
type matchIndex struct {
	byEmail map[string]map[*Contact]struct{}
	byPhone map[string]map[*Contact]struct{}
}

func (m *matchIndex) keys(ct *Contact) (email, phone string) {
	if ct.Email != "" {
		email = ct.LocationID + "\x00" + strings.ToLower(ct.Email)
	}
	if ct.Phone != "" {
		phone = ct.LocationID + "\x00" + ct.Phone
	}
	return email, phone
}

func (m *matchIndex) add(ct *Contact) {
	if m.byEmail == nil {
		m.byEmail, m.byPhone = map[string]map[*Contact]struct{}{}, map[string]map[*Contact]struct{}{}
	}
	email, phone := m.keys(ct)
	for _, kv := range []struct {
		idx map[string]map[*Contact]struct{}
		key string
	}{{m.byEmail, email}, {m.byPhone, phone}} {
		if kv.key == "" {
			continue
		}
		set := kv.idx[kv.key]
		if set == nil {
			set = map[*Contact]struct{}{}
			kv.idx[kv.key] = set
		}
		set[ct] = struct{}{}
	}
}

func (m *matchIndex) remove(ct *Contact) {
	if ct == nil || m.byEmail == nil {
		return
	}
	email, phone := m.keys(ct)
	if set := m.byEmail[email]; set != nil {
		delete(set, ct)
		if len(set) == 0 {
			delete(m.byEmail, email)
		}
	}
	if set := m.byPhone[phone]; set != nil {
		delete(set, ct)
		if len(set) == 0 {
			delete(m.byPhone, phone)
		}
	}
}

// lookup returns the earliest contact of the location with this email
// (compared case-insensitively) or phone, skipping exceptID.
func (m *matchIndex) lookup(locationID, email, phone, exceptID string, byEmail bool) *Contact {
	var set map[*Contact]struct{}
	if byEmail {
		if email == "" {
			return nil
		}
		set = m.byEmail[locationID+"\x00"+strings.ToLower(email)]
	} else {
		if phone == "" {
			return nil
		}
		set = m.byPhone[locationID+"\x00"+phone]
	}
	var best *Contact
	for ct := range set {
		if ct.ID != exceptID && earlier(ct, best) {
			best = ct
		}
	}
	return best
}
