package ghl

import (
	"context"
	"fmt"
	"time"
)

// AddToCampaign adds a contact to a campaign.
func (c *Client) AddToCampaign(ctx context.Context, contactID, campaignID string) error {
	if err := c.do(ctx, request{op: OpAddToCampaign, params: []string{contactID, campaignID}, body: struct{}{}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: add contact %s to campaign %s: %w", contactID, campaignID, err)
	}
	return nil
}

// RemoveFromCampaign removes a contact from a campaign.
func (c *Client) RemoveFromCampaign(ctx context.Context, contactID, campaignID string) error {
	if err := c.do(ctx, request{op: OpRemoveFromCampaign, params: []string{contactID, campaignID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: remove contact %s from campaign %s: %w", contactID, campaignID, err)
	}
	return nil
}

// RemoveFromAllCampaigns removes a contact from every campaign.
func (c *Client) RemoveFromAllCampaigns(ctx context.Context, contactID string) error {
	if err := c.do(ctx, request{op: OpRemoveFromAllCampaigns, params: []string{contactID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: remove contact %s from all campaigns: %w", contactID, err)
	}
	return nil
}

type workflowBody struct {
	EventStartTime string `json:"eventStartTime,omitzero"`
}

// workflowTime formats t as HighLevel expects eventStartTime: ISO-8601 with
// a numeric offset. The zero time sends none.
func workflowTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

// AddToWorkflow adds a contact to a workflow; eventStart (optional) is the
// event start time the workflow's timing refers to.
func (c *Client) AddToWorkflow(ctx context.Context, contactID, workflowID string, eventStart time.Time) error {
	body := workflowBody{EventStartTime: workflowTime(eventStart)}
	if err := c.do(ctx, request{op: OpAddToWorkflow, params: []string{contactID, workflowID}, body: body, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: add contact %s to workflow %s: %w", contactID, workflowID, err)
	}
	return nil
}

// RemoveFromWorkflow removes a contact from a workflow.
func (c *Client) RemoveFromWorkflow(ctx context.Context, contactID, workflowID string, eventStart time.Time) error {
	body := workflowBody{EventStartTime: workflowTime(eventStart)}
	if err := c.do(ctx, request{op: OpRemoveFromWorkflow, params: []string{contactID, workflowID}, body: body, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: remove contact %s from workflow %s: %w", contactID, workflowID, err)
	}
	return nil
}

// MaxBusinessBatch is the most contacts one business update may name.
const MaxBusinessBatch = 50

// BulkBusinessResult is the answer of SetContactsBusiness.
type BulkBusinessResult struct {
	Success bool     `json:"success"`
	IDs     []string `json:"ids"`
}

// SetContactsBusiness attaches up to 50 contacts to a business, or detaches
// them when businessID is "" (sent as null).
func (c *Client) SetContactsBusiness(ctx context.Context, contactIDs []string, businessID string) (*BulkBusinessResult, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: set contacts business: %w", err)
	}
	if len(contactIDs) > MaxBusinessBatch {
		return nil, fmt.Errorf("ghl: set contacts business: %d contacts, at most %d per call", len(contactIDs), MaxBusinessBatch)
	}
	body := struct {
		LocationID string   `json:"locationId"`
		IDs        []string `json:"ids"`
		BusinessID *string  `json:"businessId"`
	}{LocationID: loc, IDs: contactIDs}
	if contactIDs == nil {
		body.IDs = []string{}
	}
	if businessID != "" {
		body.BusinessID = &businessID
	}
	var out BulkBusinessResult
	if err := c.do(ctx, request{op: OpBulkUpdateBusiness, body: body, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: set contacts business: %w", err)
	}
	return &out, nil
}
