package ghl

import (
	"context"
	"fmt"
)

// Task is a contact's task (TaskSchema).
type Task struct {
	ID         string `json:"id,omitzero"`
	Title      string `json:"title,omitzero"`
	Body       string `json:"body,omitzero"`
	AssignedTo string `json:"assignedTo,omitzero"`
	// DueDate is an ISO-8601 timestamp.
	DueDate   string `json:"dueDate,omitzero"`
	Completed bool   `json:"completed"`
	ContactID string `json:"contactId,omitzero"`
	// DateAdded appears in webhooks and location task search.
	DateAdded string `json:"dateAdded,omitzero"`
}

// CreateTaskRequest is the body of POST /contacts/{contactId}/tasks.
type CreateTaskRequest struct {
	Title string `json:"title"`
	Body  string `json:"body,omitzero"`
	// DueDate is an ISO-8601 timestamp, e.g. "2020-10-25T11:00:00Z".
	DueDate    string `json:"dueDate"`
	Completed  bool   `json:"completed"`
	AssignedTo string `json:"assignedTo,omitzero"`
}

// UpdateTaskRequest is the body of PUT /contacts/{contactId}/tasks/{taskId};
// unset fields stay as they are.
type UpdateTaskRequest struct {
	Title      string `json:"title,omitzero"`
	Body       string `json:"body,omitzero"`
	DueDate    string `json:"dueDate,omitzero"`
	Completed  *bool  `json:"completed,omitzero"`
	AssignedTo string `json:"assignedTo,omitzero"`
}

type taskEnvelope struct {
	Task Task `json:"task"`
}

// ListTasks returns a contact's tasks.
func (c *Client) ListTasks(ctx context.Context, contactID string) ([]Task, error) {
	var out struct {
		Tasks []Task `json:"tasks"`
	}
	if err := c.do(ctx, request{op: OpListTasks, params: []string{contactID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list tasks of contact %s: %w", contactID, err)
	}
	return out.Tasks, nil
}

// GetTask returns one task of a contact.
func (c *Client) GetTask(ctx context.Context, contactID, taskID string) (*Task, error) {
	var out taskEnvelope
	if err := c.do(ctx, request{op: OpGetTask, params: []string{contactID, taskID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: get task %s: %w", taskID, err)
	}
	return &out.Task, nil
}

// CreateTask creates a task on a contact.
func (c *Client) CreateTask(ctx context.Context, contactID string, r CreateTaskRequest) (*Task, error) {
	var out taskEnvelope
	if err := c.do(ctx, request{op: OpCreateTask, params: []string{contactID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: create task on contact %s: %w", contactID, err)
	}
	return &out.Task, nil
}

// UpdateTask changes a task.
func (c *Client) UpdateTask(ctx context.Context, contactID, taskID string, r UpdateTaskRequest) (*Task, error) {
	var out taskEnvelope
	if err := c.do(ctx, request{op: OpUpdateTask, params: []string{contactID, taskID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: update task %s: %w", taskID, err)
	}
	return &out.Task, nil
}

// CompleteTask marks a task completed (or open again with completed=false).
func (c *Client) CompleteTask(ctx context.Context, contactID, taskID string, completed bool) (*Task, error) {
	body := struct {
		Completed bool `json:"completed"`
	}{completed}
	var out taskEnvelope
	if err := c.do(ctx, request{op: OpCompleteTask, params: []string{contactID, taskID}, body: body, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: complete task %s: %w", taskID, err)
	}
	return &out.Task, nil
}

// DeleteTask deletes a task.
func (c *Client) DeleteTask(ctx context.Context, contactID, taskID string) error {
	if err := c.do(ctx, request{op: OpDeleteTask, params: []string{contactID, taskID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: delete task %s: %w", taskID, err)
	}
	return nil
}
