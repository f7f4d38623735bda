package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

var (
	tagsShape     = shape{{name: "tags", kind: kStrings, required: true}}
	bulkTagsShape = shape{
		{name: "contacts", kind: kStrings, required: true},
		{name: "tags", kind: kStrings, required: true},
		{name: "locationId", required: true},
		{name: "removeAllTags", kind: kBool},
	}
	createTagShape = shape{{name: "name", required: true}}
)

// learnTags adds tags a location has not seen to its tag list: HighLevel
// creates a location tag the first time a contact gets it. Callers hold s.mu.
func (s *Server) learnTags(ls *locState, tags []string) {
	for _, t := range tags {
		if !slices.ContainsFunc(ls.tags, func(lt LocationTag) bool { return lt.Name == t }) {
			ls.tags = append(ls.tags, LocationTag{ID: s.newID(), Name: t})
		}
	}
}

// changeTags adds and removes tags of a contact, emitting ContactTagUpdate
// when they change. Callers hold s.mu.
func (s *Server) changeTags(ls *locState, ct *Contact, add, remove []string, removeAll bool, now time.Time) (added, removed []string) {
	next := ct.clone()
	for _, t := range add {
		t = normalizeTag(t)
		if t != "" && !slices.Contains(next.Tags, t) {
			next.Tags = append(next.Tags, t)
			added = append(added, t)
		}
	}
	if removeAll {
		remove = ct.Tags
	}
	for _, t := range remove {
		t = normalizeTag(t)
		if i := slices.Index(next.Tags, t); i >= 0 {
			next.Tags = slices.Delete(next.Tags, i, i+1)
			removed = append(removed, t)
		}
	}
	if len(added) > 0 || len(removed) > 0 {
		s.replaceContact(ls, &next, now, false)
	}
	return added, removed
}

// POST /contacts/{contactId}/tags (add-tags): 201 {tags}.
func (s *Server) hAddTags(c *call) (int, any, error) {
	ct, ls, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	tags, _ := c.in.strs("tags")
	s.changeTags(ls, ct, tags, nil, false, c.now)
	return http.StatusCreated, obj{"tags": strList(s.contacts[ct.ID].Tags)}, nil
}

// DELETE /contacts/{contactId}/tags (remove-tags): 200 {tags}, the
// remaining tags.
func (s *Server) hRemoveTags(c *call) (int, any, error) {
	ct, ls, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	tags, _ := c.in.strs("tags")
	s.changeTags(ls, ct, nil, tags, false, c.now)
	return http.StatusOK, obj{"tags": strList(s.contacts[ct.ID].Tags)}, nil
}

// POST /contacts/bulk/tags/update/{type} (create-association, sic): 201.
func (s *Server) hBulkTags(c *call) (int, any, error) {
	typ := c.param("type")
	if typ != "add" && typ != "remove" {
		return 0, nil, errUnprocessable("type must be one of the following values: add, remove")
	}
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	ids, _ := c.in.strs("contacts")
	tags, _ := c.in.strs("tags")
	removeAll, _ := c.in.boolean("removeAllTags")
	responses := []obj{}
	errorCount := 0
	for _, id := range ids {
		ct, ok := s.contacts[id]
		if !ok || ct.LocationID != locID {
			errorCount++
			responses = append(responses, obj{"contactId": id, "message": fmt.Sprintf("Contact with id %s not found", id), "type": typ})
			continue
		}
		old := strList(ct.Tags)
		var added, removed []string
		if typ == "add" {
			added, _ = s.changeTags(ls, ct, tags, nil, false, c.now)
		} else {
			_, removed = s.changeTags(ls, ct, nil, tags, removeAll, c.now)
		}
		responses = append(responses, obj{
			"contactId": id, "message": "Tags updated", "type": typ,
			"oldTags": old, "tagsAdded": strList(added), "tagsRemoved": strList(removed),
		})
	}
	return http.StatusCreated, obj{"succeded": errorCount == 0, "errorCount": errorCount, "responses": responses}, nil
}

func tagJSON(locationID string, t LocationTag) obj {
	return obj{"id": t.ID, "name": t.Name, "locationId": locationID}
}

// GET /locations/{locationId}/tags: 200 {tags}.
func (s *Server) hLocationTags(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	out := []obj{}
	for _, t := range ls.tags {
		out = append(out, tagJSON(ls.loc.ID, t))
	}
	return http.StatusOK, obj{"tags": out}, nil
}

// POST /locations/{locationId}/tags: 200 {tag} (the spec says 200, not 201).
func (s *Server) hCreateLocationTag(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	name, _ := c.in.str("name")
	name = normalizeTag(name)
	if slices.ContainsFunc(ls.tags, func(t LocationTag) bool { return t.Name == name }) {
		return 0, nil, errBadRequest("The tag name is already exist.")
	}
	s.learnTags(ls, []string{name})
	return http.StatusOK, obj{"tag": tagJSON(ls.loc.ID, ls.tags[len(ls.tags)-1])}, nil
}

// GET /locations/{locationId}/tags/{tagId}: 200 {tag}.
func (s *Server) hLocationTag(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	for _, t := range ls.tags {
		if t.ID == c.param("tagId") {
			return http.StatusOK, obj{"tag": tagJSON(ls.loc.ID, t)}, nil
		}
	}
	return 0, nil, errBadRequest("Tag with id %s not found", c.param("tagId"))
}

// LocationTags returns the tags a location knows.
func (s *Server) LocationTags(locationID string) []LocationTag {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ls, ok := s.locs[locationID]; ok {
		return slices.Clone(ls.tags)
	}
	return nil
}
