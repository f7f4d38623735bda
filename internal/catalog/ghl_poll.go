package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// contactPollPage is the page size of the contact polls.
const contactPollPage = 100

// taskPollPage is the page size of the location task scan.
const taskPollPage = 100

func ghlPollTriggers() []*Entry {
	return []*Entry{
		pollTrigger(spec{id: "ghl.contact.updated.poll", app: AppGHL, title: "Contact created or updated (poll)",
			desc: "Polls the contact search sorted by dateUpdated and yields every contact changed after the cursor, oldest first; " +
				"the first poll yields every contact. It catches changes a webhook missed (HighLevel does not retry failed deliveries) " +
				"and is how Fieldbridge reconciles. Deleted contacts never show: only the ContactDelete webhook reports deletes. " +
				"The search index is eventually consistent, so a change may show a few seconds late, never lost.",
			ops: []string{ghl.OpSearchContacts}, output: outputOf[ghl.Contact]()},
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				return pollContacts(ctx, x.ghl, "dateUpdated", cursor)
			}),
		pollTrigger(spec{id: "ghl.contact.created.poll", app: AppGHL, title: "Contact created (poll)",
			desc: "Polls the contact search sorted by dateAdded and yields each new contact once, oldest first; the first poll yields " +
				"every contact. A fallback for the ContactCreate webhook.",
			ops: []string{ghl.OpSearchContacts}, output: outputOf[ghl.Contact]()},
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				return pollContacts(ctx, x.ghl, "dateAdded", cursor)
			}),
		pollTrigger(spec{id: "ghl.task.updated.poll", app: AppGHL, title: "Task created or changed (poll)",
			desc: "HighLevel has no task-updated webhook, so this lists the location's tasks and yields those that are new or " +
				"changed (title, body, due date, assignee, completion, reopening) since the last poll. Each poll reads every task " +
				"(100 per request), and the cursor keeps a short hash per task; deleted tasks are not reported (use ghl.task.deleted).",
			ops: []string{ghl.OpSearchTasks}, output: outputOf[ghl.Task]()},
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				prev, err := parseSnapshot(cursor)
				if err != nil {
					return nil, "", false, err
				}
				var all []ghl.Task
				for skip := 0; ; skip += taskPollPage {
					page, err := x.ghl.SearchTasks(ctx, ghl.TaskSearchRequest{Limit: taskPollPage, Skip: skip})
					if err != nil {
						return nil, "", false, err
					}
					all = append(all, page...)
					if len(page) < taskPollPage {
						break
					}
				}
				return snapshotPoll(prev, all, fieldKey("id"))
			}),
		pollTrigger(spec{id: "ghl.location.custom_field.updated.poll", app: AppGHL, title: "Custom field added or changed (poll)",
			desc: "Yields the location's contact custom field definitions that are new or changed since the last poll (HighLevel " +
				"sends no webhook for them), so field mappings can refresh. Deleted fields are not reported.",
			ops: []string{ghl.OpListCustomFields}, output: outputOf[ghl.CustomField]()},
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				prev, err := parseSnapshot(cursor)
				if err != nil {
					return nil, "", false, err
				}
				fields, err := x.ghl.ListCustomFields(ctx, "contact")
				if err != nil {
					return nil, "", false, err
				}
				return snapshotPoll(prev, fields, fieldKey("id"))
			}),
		pollTrigger(spec{id: "ghl.location.tag.created.poll", app: AppGHL, title: "Tag added to location (poll)",
			desc: "Yields tags that are new in the location since the last poll (there is no webhook for them).",
			ops:  []string{ghl.OpListLocationTags}, output: outputOf[ghl.LocationTag]()},
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				prev, err := parseSnapshot(cursor)
				if err != nil {
					return nil, "", false, err
				}
				tags, err := x.ghl.ListLocationTags(ctx)
				if err != nil {
					return nil, "", false, err
				}
				return snapshotPoll(prev, tags, fieldKey("id"))
			}),
	}
}

// pollContacts reads one page of the contact search sorted ascending by
// field after the cursor (the searchAfter of the last contact yielded).
func pollContacts(ctx context.Context, c *ghl.Client, field, cursor string) ([]json.RawMessage, string, bool, error) {
	var after json.RawMessage
	if cursor != "" {
		if !json.Valid([]byte(cursor)) || cursor[0] != '[' {
			return nil, "", false, fmt.Errorf("%w: cursor %.40q is not a contact search cursor", ErrInvalidInput, cursor)
		}
		after = json.RawMessage(cursor)
	}
	res, err := c.SearchContacts(ctx, ghl.SearchContactsRequest{PageLimit: contactPollPage, SearchAfter: after,
		Sort: []ghl.Sort{{Field: field, Direction: "asc"}}})
	if err != nil {
		return nil, "", false, err
	}
	if len(res.Contacts) == 0 {
		return nil, cursor, false, nil
	}
	next := res.Contacts[len(res.Contacts)-1].SearchAfter
	if len(next) == 0 || string(next) == "null" {
		return nil, "", false, fmt.Errorf("contact search answered without a searchAfter cursor")
	}
	if string(next) == cursor {
		return nil, "", false, ghl.ErrCursorStuck
	}
	for i := range res.Contacts {
		res.Contacts[i].SearchAfter = nil
	}
	records, err := rawList(res.Contacts)
	return records, string(next), len(res.Contacts) == contactPollPage, err
}

// snapshotPoll diffs a full listing against the previous snapshot.
func snapshotPoll[T any](prev snapshot, items []T, key func(json.RawMessage) (string, error)) ([]json.RawMessage, string, bool, error) {
	records, err := rawList(items)
	if err != nil {
		return nil, "", false, err
	}
	changed, next, err := diff(prev, records, key)
	if err != nil {
		return nil, "", false, err
	}
	return changed, next.String(), false, nil
}
