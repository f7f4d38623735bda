package automation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// maxTaskSearch bounds the tasks read to find one by id alone (HighLevel
// gets a task only with its contact's id).
const maxTaskSearch = 1000

// Executor runs an automation's lookups and actions as catalog entries on
// the connections the steps name. It implements flow.Executor.
//
// One Executor serves one run (a poll page or a delivery): it remembers
// each HighLevel connection's custom field definitions for that long, to
// give the {id, value} custom fields HighLevel returns their key, so that
// expressions can say customField(contact, "repsly_client_code").
type Executor struct {
	catalog *catalog.Catalog
	clients catalog.Clients
	fields  map[string]map[string]string // connection -> field id -> key
}

var _ flow.Executor = (*Executor)(nil)

// NewExecutor returns an Executor on the catalog's entries and the
// connections clients hands out.
func NewExecutor(cat *catalog.Catalog, clients catalog.Clients) *Executor {
	return &Executor{catalog: cat, clients: connClients{clients}, fields: map[string]map[string]string{}}
}

// Action runs step.Operation on step.Connection with input and returns its
// output (an output that is not an object comes as {"result": output}).
func (e *Executor) Action(ctx context.Context, step *flow.ActionStep, input map[string]any) (map[string]any, error) {
	return e.run(ctx, step.Operation, step.Connection, input)
}

// Lookup finds one record of step.Object by step.By. An empty key finds
// nothing without a request; so does an id, code or email the app does not
// know. HighLevel gets a task only with its contact's id: a ghl.task value
// may be {contactId, id}; a bare id is searched for among the location's
// first 1,000 tasks.
func (e *Executor) Lookup(ctx context.Context, step *flow.LookupStep, value any) (map[string]any, bool, error) {
	if m, ok := value.(map[string]any); ok && step.Object == "ghl.task" {
		return e.lookupTask(ctx, step.Connection, m)
	}
	key, err := keyText(value)
	if err != nil {
		return nil, false, fmt.Errorf("lookup of %s by %s: %w", step.Object, step.By, err)
	}
	if key == "" {
		return nil, false, nil
	}
	conn := step.Connection
	switch step.Object {
	case "ghl.contact":
		switch {
		case step.By == "id":
			return e.get(ctx, "ghl.contact.get", conn, map[string]any{"contactId": key})
		case step.By == "email":
			return e.found(ctx, "ghl.contact.find_by_email", conn, map[string]any{"email": key})
		case step.By == "phone":
			return e.found(ctx, "ghl.contact.find_by_phone", conn, map[string]any{"phone": key})
		case strings.HasPrefix(step.By, "customFields."):
			return e.found(ctx, "ghl.contact.find_by_custom_field", conn,
				map[string]any{"field": strings.TrimPrefix(step.By, "customFields."), "value": key})
		}
	case "ghl.appointment":
		if step.By == "id" {
			return e.get(ctx, "ghl.appointment.get", conn, map[string]any{"eventId": key})
		}
	case "ghl.task":
		if step.By == "id" {
			return e.lookupTask(ctx, conn, map[string]any{"id": key})
		}
	case "repsly.client":
		if step.By == "code" {
			return e.get(ctx, "repsly.client.get", conn, map[string]any{"Code": key})
		}
	case "repsly.representative":
		switch step.By {
		case "code", "email":
			return e.representative(ctx, conn, step.By, key)
		}
	}
	return nil, false, fmt.Errorf("automation: cannot look up %s by %s", step.Object, step.By)
}

// get runs a get-by-id entry; the app's not-found answer finds nothing.
func (e *Executor) get(ctx context.Context, id, conn string, input map[string]any) (map[string]any, bool, error) {
	out, err := e.run(ctx, id, conn, input)
	if errors.Is(err, ghl.ErrNotFound) || errors.Is(err, repsly.ErrNotFound) || errors.Is(err, catalog.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// found runs a find entry, whose output is {found, contact}.
func (e *Executor) found(ctx context.Context, id, conn string, input map[string]any) (map[string]any, bool, error) {
	out, err := e.run(ctx, id, conn, input)
	if err != nil {
		return nil, false, err
	}
	if ok, _ := out["found"].(bool); !ok {
		return nil, false, nil
	}
	c, ok := out["contact"].(map[string]any)
	return c, ok, nil
}

// lookupTask gets a task by its contact and id when both are known
// ({contactId, id}), else searches the location's tasks for the id.
func (e *Executor) lookupTask(ctx context.Context, conn string, ref map[string]any) (map[string]any, bool, error) {
	id, _ := keyText(ref["id"])
	if id == "" {
		id, _ = keyText(ref["taskId"])
	}
	if id == "" {
		return nil, false, nil
	}
	if contact, _ := keyText(ref["contactId"]); contact != "" {
		return e.get(ctx, "ghl.task.get", conn, map[string]any{"contactId": contact, "taskId": id})
	}
	const limit = 100
	for skip := 0; skip < maxTaskSearch; skip += limit {
		out, err := e.run(ctx, "ghl.task.search", conn, map[string]any{"limit": limit, "skip": skip})
		if err != nil {
			return nil, false, err
		}
		tasks, _ := out["tasks"].([]any)
		for _, t := range tasks {
			if m, ok := t.(map[string]any); ok && m["id"] == id {
				return m, true, nil
			}
		}
		if len(tasks) < limit {
			break
		}
	}
	return nil, false, nil
}

// representative reads the representatives and picks the one whose Code
// (or Email, compared without case) is key.
func (e *Executor) representative(ctx context.Context, conn, by, key string) (map[string]any, bool, error) {
	out, err := e.run(ctx, "repsly.representative.list", conn, nil)
	if err != nil {
		return nil, false, err
	}
	rows, _ := out["records"].([]any)
	for _, r := range rows {
		m, ok := r.(map[string]any)
		if !ok {
			continue
		}
		if by == "code" {
			if v, _ := m["Code"].(string); v == key {
				return m, true, nil
			}
			continue
		}
		if v, _ := m["Email"].(string); strings.EqualFold(strings.TrimSpace(v), key) {
			return m, true, nil
		}
	}
	return nil, false, nil
}

// run runs a catalog entry and decodes its output; HighLevel records get
// their custom fields' keys.
func (e *Executor) run(ctx context.Context, id, conn string, input map[string]any) (map[string]any, error) {
	entry, err := e.catalog.Get(id)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if input != nil {
		if raw, err = json.Marshal(input); err != nil {
			return nil, fmt.Errorf("automation: %s: encode input: %w", id, err)
		}
	}
	body, err := entry.Run(ctx, e.clients, conn, raw)
	if err != nil {
		return nil, err
	}
	out, err := decodeObject(body)
	if err != nil {
		return nil, fmt.Errorf("automation: %s: %w", id, err)
	}
	if entry.App == catalog.AppGHL {
		if err := e.addFieldKeys(ctx, conn, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeObject decodes an output; anything but an object is wrapped.
func decodeObject(body []byte) (map[string]any, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("decode output: %w", err)
	}
	if m, ok := v.(map[string]any); ok {
		return m, nil
	}
	return map[string]any{"result": v}, nil
}

// keyText turns a lookup value into the text of a key: numbers without a
// fraction print as integers (JSON numbers arrive as float64).
func keyText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return strconv.FormatInt(int64(x), 10), nil
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("the value is %T, not a text or number", v)
}

// connClients marks every failure to hand out a client as a
// ConnectionError, so that a run can tell a broken connection from a
// failing call.
type connClients struct{ catalog.Clients }

func (c connClients) GHL(ctx context.Context, name string) (*ghl.Client, []string, error) {
	cl, scopes, err := c.Clients.GHL(ctx, name)
	if err != nil {
		return nil, nil, &ConnectionError{Connection: name, Err: err}
	}
	return cl, scopes, nil
}

func (c connClients) Repsly(ctx context.Context, name string) (*repsly.Client, error) {
	cl, err := c.Clients.Repsly(ctx, name)
	if err != nil {
		return nil, &ConnectionError{Connection: name, Err: err}
	}
	return cl, nil
}
