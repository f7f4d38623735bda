package ghlsandbox

import (
	"net/http"
	"slices"
	"strconv"
)

// Followers, campaigns, workflows and businesses: memberships of a contact
// that the sandbox records but that trigger nothing else.

var (
	followersShape = shape{{name: "followers", kind: kStrings, required: true}}
	workflowShape  = shape{{name: "eventStartTime", isoDate: true}}
	businessShape  = shape{
		{name: "locationId", required: true},
		{name: "ids", kind: kStrings, required: true},
		{name: "businessId", nullable: true},
	}
	byBusinessQuery = shape{
		{name: "locationId", required: true},
		{name: "limit"},
		{name: "skip"},
		{name: "query"},
	}
)

// POST /contacts/{contactId}/followers: 201 {followers, followersAdded}.
func (s *Server) hAddFollowers(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	ids, _ := c.in.strs("followers")
	added := []string{}
	// A fresh slice: snapshots taken for responses share the old one.
	followers := slices.Clone(ct.Followers)
	for _, id := range ids {
		if !slices.Contains(followers, id) {
			followers = append(followers, id)
			added = append(added, id)
		}
	}
	ct.Followers = followers
	return http.StatusCreated, obj{"followers": strList(ct.Followers), "followersAdded": added}, nil
}

// DELETE /contacts/{contactId}/followers: 200 {followers, followersRemoved}.
func (s *Server) hRemoveFollowers(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	ids, _ := c.in.strs("followers")
	removed := []string{}
	for _, id := range ids {
		if i := slices.Index(ct.Followers, id); i >= 0 {
			// A fresh slice: snapshots taken for responses share the old one.
			ct.Followers = slices.Delete(slices.Clone(ct.Followers), i, i+1)
			removed = append(removed, id)
		}
	}
	return http.StatusOK, obj{"followers": strList(ct.Followers), "followersRemoved": removed}, nil
}

// POST /contacts/{contactId}/campaigns/{campaignId}: 201 {succeded}.
func (s *Server) hAddCampaign(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	if id := c.param("campaignId"); !slices.Contains(ct.Campaigns, id) {
		ct.Campaigns = append(ct.Campaigns, id)
	}
	return http.StatusCreated, obj{"succeded": true}, nil
}

// DELETE /contacts/{contactId}/campaigns/{campaignId}: 200 {succeded}.
func (s *Server) hRemoveCampaign(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	ct.Campaigns = slices.DeleteFunc(slices.Clone(ct.Campaigns), func(id string) bool { return id == c.param("campaignId") })
	return http.StatusOK, obj{"succeded": true}, nil
}

// DELETE /contacts/{contactId}/campaigns/removeAll: 200 {succeded}.
func (s *Server) hRemoveAllCampaigns(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	ct.Campaigns = nil
	return http.StatusOK, obj{"succeded": true}, nil
}

// POST /contacts/{contactId}/workflow/{workflowId}: 200 {succeded}.
func (s *Server) hAddWorkflow(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	if id := c.param("workflowId"); !slices.Contains(ct.Workflows, id) {
		ct.Workflows = append(ct.Workflows, id)
	}
	return http.StatusOK, obj{"succeded": true}, nil
}

// DELETE /contacts/{contactId}/workflow/{workflowId}: 200 {succeded}.
func (s *Server) hRemoveWorkflow(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	ct.Workflows = slices.DeleteFunc(slices.Clone(ct.Workflows), func(id string) bool { return id == c.param("workflowId") })
	return http.StatusOK, obj{"succeded": true}, nil
}

// POST /contacts/bulk/business: 200 {success, ids}; businessId null removes
// the contacts from their business.
func (s *Server) hBulkBusiness(c *call) (int, any, error) {
	if !c.in.has("businessId") {
		return 0, nil, errUnprocessable("businessId should not be empty", "businessId must be a string")
	}
	locID, _ := c.in.str("locationId")
	if _, err := s.needLocation(c, locID); err != nil {
		return 0, nil, err
	}
	ids, _ := c.in.strs("ids")
	if len(ids) > 50 {
		return 0, nil, errUnprocessable("ids must contain no more than 50 elements")
	}
	businessID, _ := c.in.str("businessId")
	done := []string{}
	for _, id := range ids {
		if ct, ok := s.contacts[id]; ok && ct.LocationID == locID {
			ct.BusinessID = businessID
			ct.DateUpdated = c.now
			s.searchVersion++ // changed in place: cached search totals are stale
			done = append(done, id)
		}
	}
	return http.StatusOK, obj{"success": true, "ids": done}, nil
}

// GET /contacts/business/{businessId}: 200 {contacts, count}, skip/limit paging.
func (s *Server) hContactsByBusiness(c *call) (int, any, error) {
	locID, _ := c.q.str("locationId")
	if _, err := s.needLocation(c, locID); err != nil {
		return 0, nil, err
	}
	limit, skip := 25, 0
	if v, ok := c.q.str("limit"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, errUnprocessable("limit must be a number string")
		}
		limit = min(n, 100)
	}
	if v, ok := c.q.str("skip"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, nil, errUnprocessable("skip must be a number string")
		}
		skip = n
	}
	query, _ := c.q.str("query")
	var all []*Contact
	for _, ct := range s.sortedContacts(locID) {
		if ct.BusinessID == c.param("businessId") && matchesQuery(ct, query) {
			all = append(all, ct)
		}
	}
	out := []obj{}
	for i := skip; i < len(all) && len(out) < limit; i++ {
		out = append(out, contactGetJSON(all[i]))
	}
	return http.StatusOK, obj{"contacts": out, "count": len(all)}, nil
}
