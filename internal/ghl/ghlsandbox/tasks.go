package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

var (
	createTaskShape = shape{
		{name: "title", required: true},
		{name: "body"},
		{name: "dueDate", required: true, isoDate: true},
		{name: "completed", kind: kBool, required: true},
		{name: "assignedTo"},
	}
	updateTaskShape = shape{
		{name: "title"},
		{name: "body"},
		{name: "dueDate", isoDate: true},
		{name: "completed", kind: kBool},
		{name: "assignedTo"},
	}
	completeTaskShape = shape{{name: "completed", kind: kBool, required: true}}
	searchTasksShape  = shape{
		{name: "contactId", kind: kStrings},
		{name: "completed", kind: kBool},
		{name: "assignedTo", kind: kStrings},
		{name: "query"},
		{name: "limit", kind: kNumber, min: ptr(1)},
		{name: "skip", kind: kNumber, min: ptr(0)},
		{name: "businessId"},
	}
)

func taskNotFound(id string) error {
	return &notFoundError{msg: fmt.Sprintf("Task with id %s not found", id)}
}

// insertTask stores a task and emits TaskCreate. Callers hold s.mu.
func (s *Server) insertTask(ct *Contact, t *Task, now time.Time) {
	t.ID = s.newID()
	t.ContactID, t.LocationID = ct.ID, ct.LocationID
	t.DateAdded, t.DateUpdated = now, now
	s.tasks[t.ID] = t
	s.emit("TaskCreate", t.LocationID, taskEvent(t))
}

// setTaskCompleted emits TaskComplete when a task becomes completed;
// HighLevel has no task-updated or task-reopened event.
func (s *Server) setTaskCompleted(t *Task, completed bool, now time.Time) {
	was := t.Completed
	t.Completed = completed
	t.DateUpdated = now
	if completed && !was {
		s.emit("TaskComplete", t.LocationID, taskEvent(t))
	}
}

func (s *Server) deleteTask(t *Task) {
	delete(s.tasks, t.ID)
	s.emit("TaskDelete", t.LocationID, taskEvent(t))
}

func (s *Server) taskFor(c *call) (*Task, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return nil, err
	}
	t, ok := s.tasks[c.param("taskId")]
	if !ok || t.ContactID != ct.ID {
		return nil, taskNotFound(c.param("taskId"))
	}
	return t, nil
}

// contactTasks returns a contact's tasks, oldest first. Callers hold s.mu.
func (s *Server) contactTasks(contactID string) []*Task {
	var out []*Task
	for _, t := range s.tasks {
		if t.ContactID == contactID {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *Task) int {
		if c := a.DateAdded.Compare(b.DateAdded); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// GET /contacts/{contactId}/tasks: 200 {tasks}.
func (s *Server) hListTasks(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	out := []obj{}
	for _, t := range s.contactTasks(ct.ID) {
		out = append(out, taskJSON(t))
	}
	return http.StatusOK, obj{"tasks": out}, nil
}

// POST /contacts/{contactId}/tasks: 201 {task}.
func (s *Server) hCreateTask(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	t := &Task{}
	applyTaskInput(t, c.in)
	s.insertTask(ct, t, c.now)
	return http.StatusCreated, obj{"task": taskJSON(t)}, nil
}

func applyTaskInput(t *Task, in input) {
	if v, ok := in.str("title"); ok {
		t.Title = v
	}
	if v, ok := in.str("body"); ok {
		t.Body = v
	}
	if v, ok := in.str("assignedTo"); ok {
		t.AssignedTo = v
	}
	if v, ok := in.str("dueDate"); ok {
		t.DueDate, _ = parseISOTime(v)
	}
}

// GET /contacts/{contactId}/tasks/{taskId}: 200 {task}.
func (s *Server) hGetTask(c *call) (int, any, error) {
	t, err := s.taskFor(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, obj{"task": taskJSON(t)}, nil
}

// PUT /contacts/{contactId}/tasks/{taskId}: 200 {task}.
func (s *Server) hUpdateTask(c *call) (int, any, error) {
	t, err := s.taskFor(c)
	if err != nil {
		return 0, nil, err
	}
	applyTaskInput(t, c.in)
	completed, ok := c.in.boolean("completed")
	if !ok {
		completed = t.Completed
	}
	s.setTaskCompleted(t, completed, c.now)
	return http.StatusOK, obj{"task": taskJSON(t)}, nil
}

// PUT /contacts/{contactId}/tasks/{taskId}/completed: 200 {task}.
func (s *Server) hCompleteTask(c *call) (int, any, error) {
	t, err := s.taskFor(c)
	if err != nil {
		return 0, nil, err
	}
	completed, _ := c.in.boolean("completed")
	s.setTaskCompleted(t, completed, c.now)
	return http.StatusOK, obj{"task": taskJSON(t)}, nil
}

// DELETE /contacts/{contactId}/tasks/{taskId}: 200 {succeded} (sic).
func (s *Server) hDeleteTask(c *call) (int, any, error) {
	t, err := s.taskFor(c)
	if err != nil {
		return 0, nil, err
	}
	s.deleteTask(t)
	return http.StatusOK, obj{"succeded": true}, nil
}

// POST /locations/{locationId}/tasks/search: 200 {tasks}.
func (s *Server) hSearchTasks(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	contactIDs, _ := c.in.strs("contactId")
	assigned, _ := c.in.strs("assignedTo")
	completed, hasCompleted := c.in.boolean("completed")
	query, _ := c.in.str("query")
	businessID, _ := c.in.str("businessId")
	limit, ok := c.in.num("limit")
	if !ok {
		limit = 25
	}
	skip, _ := c.in.num("skip")
	var all []*Task
	for _, ct := range s.sortedContacts(ls.loc.ID) {
		if len(contactIDs) > 0 && !slices.Contains(contactIDs, ct.ID) {
			continue
		}
		if businessID != "" && ct.BusinessID != businessID {
			continue
		}
		for _, t := range s.contactTasks(ct.ID) {
			switch {
			case len(assigned) > 0 && !slices.Contains(assigned, t.AssignedTo),
				hasCompleted && t.Completed != completed,
				query != "" && !strings.Contains(strings.ToLower(t.Title+" "+t.Body), strings.ToLower(query)):
				continue
			}
			all = append(all, t)
		}
	}
	out := []obj{}
	for i := int(skip); i < len(all) && len(out) < int(limit); i++ {
		m := taskJSON(all[i])
		m["dateAdded"] = isoMillis(all[i].DateAdded)
		m["dateUpdated"] = isoMillis(all[i].DateUpdated)
		out = append(out, m)
	}
	return http.StatusOK, obj{"tasks": out}, nil
}
