package ghl

import (
	"context"
	"fmt"
)

type tagsBody struct {
	Tags []string `json:"tags"`
}

// AddTags adds tags to a contact, keeping its other tags, and returns the
// tags HighLevel reports.
func (c *Client) AddTags(ctx context.Context, contactID string, tags []string) ([]string, error) {
	var out tagsBody
	if err := c.do(ctx, request{op: OpAddTags, params: []string{contactID}, body: tagsBody{tags}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: add tags to contact %s: %w", contactID, err)
	}
	return out.Tags, nil
}

// RemoveTags removes tags from a contact (a DELETE with a JSON body).
func (c *Client) RemoveTags(ctx context.Context, contactID string, tags []string) ([]string, error) {
	var out tagsBody
	if err := c.do(ctx, request{op: OpRemoveTags, params: []string{contactID}, body: tagsBody{tags}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: remove tags from contact %s: %w", contactID, err)
	}
	return out.Tags, nil
}

// BulkTagsRequest is the body of POST /contacts/bulk/tags/update/{type}.
type BulkTagsRequest struct {
	Contacts []string `json:"contacts"`
	Tags     []string `json:"tags"`
	// LocationID defaults to the client's location.
	LocationID string `json:"locationId"`
	// RemoveAllTags removes every tag (remove only).
	RemoveAllTags bool `json:"removeAllTags,omitzero"`
}

// BulkTagsResult reports a bulk tag update per contact.
type BulkTagsResult struct {
	Succeded   bool               `json:"succeded"`
	ErrorCount int                `json:"errorCount"`
	Responses  []BulkTagsResponse `json:"responses"`
}

// BulkTagsResponse is the outcome for one contact of a bulk tag update.
type BulkTagsResponse struct {
	ContactID string `json:"contactId"`
	Message   string `json:"message,omitzero"`
	// Type is "success" or "error".
	Type        string   `json:"type,omitzero"`
	OldTags     []string `json:"oldTags,omitzero"`
	TagsAdded   []string `json:"tagsAdded,omitzero"`
	TagsRemoved []string `json:"tagsRemoved,omitzero"`
}

// BulkAddTags adds tags to many contacts.
func (c *Client) BulkAddTags(ctx context.Context, r BulkTagsRequest) (*BulkTagsResult, error) {
	return c.bulkTags(ctx, "add", r)
}

// BulkRemoveTags removes tags (or, with RemoveAllTags, all tags) from many contacts.
func (c *Client) BulkRemoveTags(ctx context.Context, r BulkTagsRequest) (*BulkTagsResult, error) {
	return c.bulkTags(ctx, "remove", r)
}

func (c *Client) bulkTags(ctx context.Context, typ string, r BulkTagsRequest) (*BulkTagsResult, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: bulk %s tags: %w", typ, err)
		}
		r.LocationID = loc
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	var out BulkTagsResult
	if err := c.do(ctx, request{op: OpBulkUpdateTags, params: []string{typ}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: bulk %s tags: %w", typ, err)
	}
	return &out, nil
}

// Followers is the answer of the follower operations.
type Followers struct {
	// Followers lists all followers after the change.
	Followers []string `json:"followers"`
	// Added and Removed list what changed.
	Added   []string `json:"followersAdded,omitzero"`
	Removed []string `json:"followersRemoved,omitzero"`
}

type followersBody struct {
	Followers []string `json:"followers"`
}

// AddFollowers adds users as followers of a contact.
func (c *Client) AddFollowers(ctx context.Context, contactID string, userIDs []string) (*Followers, error) {
	var out Followers
	if err := c.do(ctx, request{op: OpAddFollowers, params: []string{contactID}, body: followersBody{userIDs}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: add followers to contact %s: %w", contactID, err)
	}
	return &out, nil
}

// RemoveFollowers removes users from a contact's followers.
func (c *Client) RemoveFollowers(ctx context.Context, contactID string, userIDs []string) (*Followers, error) {
	var out Followers
	if err := c.do(ctx, request{op: OpRemoveFollowers, params: []string{contactID}, body: followersBody{userIDs}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: remove followers from contact %s: %w", contactID, err)
	}
	return &out, nil
}
