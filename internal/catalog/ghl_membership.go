package catalog

import (
	"context"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

type (
	tagsInput struct {
		ContactID string   `json:"contactId"`
		Tags      []string `json:"tags"`
	}
	bulkTagsInput struct {
		ContactIDs    []string `json:"contactIds"`
		Tags          []string `json:"tags"`
		RemoveAllTags bool     `json:"removeAllTags"`
	}
	followersInput struct {
		ContactID string   `json:"contactId"`
		Followers []string `json:"followers"`
	}
	campaignInput struct {
		ContactID  string `json:"contactId"`
		CampaignID string `json:"campaignId"`
	}
	workflowInput struct {
		ContactID      string    `json:"contactId"`
		WorkflowID     string    `json:"workflowId"`
		EventStartTime time.Time `json:"eventStartTime"`
	}
	businessInput struct {
		ContactIDs []string `json:"contactIds"`
		BusinessID string   `json:"businessId"`
	}
)

// Tags is the output of the tag actions: the contact's tags afterwards.
type Tags struct {
	Tags []string `json:"tags"`
}

func ghlTagActions() []*Entry {
	tagsIn := hand(map[string]any{"contactId": contactIDProp, "tags": nonEmptyList("tags, case-insensitive")}, "contactId", "tags")
	bulkProps := map[string]any{
		"contactIds": nonEmptyList("HighLevel contact ids"),
		"tags":       strList("tags to add or remove"),
	}
	return []*Entry{
		action(spec{id: "ghl.contact.tag.add", app: AppGHL, title: "Add tags to contact",
			desc:    "Adds tags to a contact and keeps its other tags (HighLevel lower-cases them). Fires ContactTagUpdate when a tag is new.",
			ops:     []string{ghl.OpAddTags},
			input:   tagsIn,
			output:  outputOf[Tags](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","tags":["repsly","territory:east"]}`},
			func(ctx context.Context, x *exec, in tagsInput) (any, error) {
				tags, err := x.ghl.AddTags(ctx, in.ContactID, in.Tags)
				return Tags{Tags: nonNil(tags)}, err
			}),
		action(spec{id: "ghl.contact.tag.remove", app: AppGHL, title: "Remove tags from contact",
			desc:    "Removes the given tags from a contact and leaves the others; removing a tag the contact lacks is not an error.",
			ops:     []string{ghl.OpRemoveTags},
			input:   tagsIn,
			output:  outputOf[Tags](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","tags":["repsly-inactive"]}`},
			func(ctx context.Context, x *exec, in tagsInput) (any, error) {
				tags, err := x.ghl.RemoveTags(ctx, in.ContactID, in.Tags)
				return Tags{Tags: nonNil(tags)}, err
			}),
		action(spec{id: "ghl.contact.tag.bulk_add", app: AppGHL, title: "Add tags to many contacts",
			desc: "Adds tags to many contacts in one request and reports the outcome per contact. " +
				"The spec declares no scope for the bulk endpoints; HighLevel's scope table lists contacts.write.",
			ops:     []string{ghl.OpBulkUpdateTags},
			input:   hand(bulkProps, "contactIds", "tags"),
			output:  outputOf[ghl.BulkTagsResult](),
			example: `{"contactIds":["ocQHyuzHvysMo5N5VsXc","pQ7HyuzHvysMo5N5VsXd"],"tags":["vip"]}`},
			func(ctx context.Context, x *exec, in bulkTagsInput) (any, error) {
				return x.ghl.BulkAddTags(ctx, ghl.BulkTagsRequest{Contacts: in.ContactIDs, Tags: in.Tags})
			}),
		action(spec{id: "ghl.contact.tag.bulk_remove", app: AppGHL, title: "Remove tags from many contacts",
			desc: "Removes tags, or with removeAllTags every tag, from many contacts in one request, with the outcome per contact.",
			ops:  []string{ghl.OpBulkUpdateTags},
			input: hand(map[string]any{"contactIds": bulkProps["contactIds"], "tags": bulkProps["tags"],
				"removeAllTags": boolean("remove every tag instead of the listed ones")}, "contactIds"),
			output:  outputOf[ghl.BulkTagsResult](),
			example: `{"contactIds":["ocQHyuzHvysMo5N5VsXc"],"tags":["vip"]}`},
			func(ctx context.Context, x *exec, in bulkTagsInput) (any, error) {
				return x.ghl.BulkRemoveTags(ctx, ghl.BulkTagsRequest{Contacts: in.ContactIDs, Tags: in.Tags, RemoveAllTags: in.RemoveAllTags})
			}),
	}
}

func ghlMembershipActions() []*Entry {
	followersIn := hand(map[string]any{"contactId": contactIDProp, "followers": nonEmptyList("user ids")}, "contactId", "followers")
	campaignIn := hand(map[string]any{"contactId": contactIDProp, "campaignId": nonEmpty("campaign id")}, "contactId", "campaignId")
	workflowIn := hand(map[string]any{"contactId": contactIDProp, "workflowId": nonEmpty("workflow id"),
		"eventStartTime": dateTime("optional event time the workflow's timing refers to")}, "contactId", "workflowId")
	businessIDs := nonEmptyList("up to 50 contact ids")
	businessIDs["maxItems"] = ghl.MaxBusinessBatch
	return []*Entry{
		action(spec{id: "ghl.contact.follower.add", app: AppGHL, title: "Add followers to contact",
			desc: "Adds users as followers of a contact.", ops: []string{ghl.OpAddFollowers}, input: followersIn,
			output: outputOf[ghl.Followers](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","followers":["user_1"]}`},
			func(ctx context.Context, x *exec, in followersInput) (any, error) {
				return x.ghl.AddFollowers(ctx, in.ContactID, in.Followers)
			}),
		action(spec{id: "ghl.contact.follower.remove", app: AppGHL, title: "Remove followers from contact",
			desc: "Removes users from a contact's followers.", ops: []string{ghl.OpRemoveFollowers}, input: followersIn,
			output: outputOf[ghl.Followers](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","followers":["user_1"]}`},
			func(ctx context.Context, x *exec, in followersInput) (any, error) {
				return x.ghl.RemoveFollowers(ctx, in.ContactID, in.Followers)
			}),
		action(spec{id: "ghl.contact.campaign.add", app: AppGHL, title: "Add contact to campaign",
			desc: "Adds a contact to a campaign. HighLevel has no API to list campaigns here; take the id from the campaign's URL.",
			ops:  []string{ghl.OpAddToCampaign}, input: campaignIn, output: outputOf[OK](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","campaignId":"cmp_123"}`},
			func(ctx context.Context, x *exec, in campaignInput) (any, error) {
				return OK{true}, x.ghl.AddToCampaign(ctx, in.ContactID, in.CampaignID)
			}),
		action(spec{id: "ghl.contact.campaign.remove", app: AppGHL, title: "Remove contact from campaign",
			desc: "Removes a contact from one campaign.", ops: []string{ghl.OpRemoveFromCampaign}, input: campaignIn,
			output: outputOf[OK](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","campaignId":"cmp_123"}`},
			func(ctx context.Context, x *exec, in campaignInput) (any, error) {
				return OK{true}, x.ghl.RemoveFromCampaign(ctx, in.ContactID, in.CampaignID)
			}),
		action(spec{id: "ghl.contact.campaign.remove_all", app: AppGHL, title: "Remove contact from every campaign",
			desc: "Removes a contact from every campaign it is in.", ops: []string{ghl.OpRemoveFromAllCampaigns},
			input:  hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output: outputOf[OK](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				return OK{true}, x.ghl.RemoveFromAllCampaigns(ctx, in.ContactID)
			}),
		action(spec{id: "ghl.contact.workflow.add", app: AppGHL, title: "Add contact to workflow",
			desc: "Enrols a contact in a workflow, optionally with the event time the workflow's waits count from.",
			ops:  []string{ghl.OpAddToWorkflow}, input: workflowIn, output: outputOf[OK](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","workflowId":"wf_123"}`},
			func(ctx context.Context, x *exec, in workflowInput) (any, error) {
				return OK{true}, x.ghl.AddToWorkflow(ctx, in.ContactID, in.WorkflowID, in.EventStartTime)
			}),
		action(spec{id: "ghl.contact.workflow.remove", app: AppGHL, title: "Remove contact from workflow",
			desc: "Removes a contact from a workflow.", ops: []string{ghl.OpRemoveFromWorkflow}, input: workflowIn,
			output: outputOf[OK](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","workflowId":"wf_123"}`},
			func(ctx context.Context, x *exec, in workflowInput) (any, error) {
				return OK{true}, x.ghl.RemoveFromWorkflow(ctx, in.ContactID, in.WorkflowID, in.EventStartTime)
			}),
		action(spec{id: "ghl.business.contact.add", app: AppGHL, title: "Attach contacts to business",
			desc: "Attaches up to 50 contacts to a business (HighLevel's company record). No scope is declared in the spec; contacts.write is assumed.",
			ops:  []string{ghl.OpBulkUpdateBusiness},
			input: hand(map[string]any{"contactIds": businessIDs, "businessId": nonEmpty("business id")},
				"contactIds", "businessId"),
			output: outputOf[ghl.BulkBusinessResult](), example: `{"contactIds":["ocQHyuzHvysMo5N5VsXc"],"businessId":"5DP4iH6HLkQsiKESj6rh"}`},
			func(ctx context.Context, x *exec, in businessInput) (any, error) {
				return x.ghl.SetContactsBusiness(ctx, in.ContactIDs, in.BusinessID)
			}),
		action(spec{id: "ghl.business.contact.remove", app: AppGHL, title: "Detach contacts from their business",
			desc:    "Detaches up to 50 contacts from whatever business they belong to.",
			ops:     []string{ghl.OpBulkUpdateBusiness},
			input:   hand(map[string]any{"contactIds": businessIDs}, "contactIds"),
			output:  outputOf[ghl.BulkBusinessResult](),
			example: `{"contactIds":["ocQHyuzHvysMo5N5VsXc"]}`},
			func(ctx context.Context, x *exec, in businessInput) (any, error) {
				return x.ghl.SetContactsBusiness(ctx, in.ContactIDs, "")
			}),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
