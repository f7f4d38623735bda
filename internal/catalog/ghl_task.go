package catalog

import (
	"context"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

type (
	createTaskInput struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		ghl.CreateTaskRequest
	}
	taskRef struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		TaskID    string `json:"taskId" jsonschema:"minLength=1"`
	}
	updateTaskInput struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		TaskID    string `json:"taskId" jsonschema:"minLength=1"`
		ghl.UpdateTaskRequest
	}
	searchTasksInput struct {
		ContactIDs []string `json:"contactIds,omitzero"`
		Completed  *bool    `json:"completed,omitzero"`
		AssignedTo []string `json:"assignedTo,omitzero"`
		Query      string   `json:"query,omitzero"`
		Limit      int      `json:"limit,omitzero" jsonschema:"minimum=1,maximum=100"`
		Skip       int      `json:"skip,omitzero" jsonschema:"minimum=0"`
		BusinessID string   `json:"businessId,omitzero"`
	}
	noteRef struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		NoteID    string `json:"noteId" jsonschema:"minLength=1"`
	}
	createNoteInput struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		ghl.NoteRequest
	}
	updateNoteInput struct {
		ContactID string `json:"contactId" jsonschema:"minLength=1"`
		NoteID    string `json:"noteId" jsonschema:"minLength=1"`
		ghl.NoteRequest
	}
)

// TaskList and NoteList wrap lists, so every output is a JSON object.
type (
	TaskList struct {
		Tasks []ghl.Task `json:"tasks"`
	}
	NoteList struct {
		Notes []ghl.Note `json:"notes"`
	}
)

func ghlTaskActions() []*Entry {
	taskOut := outputOf[ghl.Task]()
	taskIn := schemaOf[taskRef]([]string{"contactId", "taskId"})
	return []*Entry{
		action(spec{id: "ghl.task.list", app: AppGHL, title: "List contact's tasks",
			desc:    "Lists every task of one contact, open and completed. To search tasks across the location use ghl.task.search.",
			ops:     []string{ghl.OpListTasks},
			input:   hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output:  outputOf[TaskList](),
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				tasks, err := x.ghl.ListTasks(ctx, in.ContactID)
				return TaskList{nonNil(tasks)}, err
			}),
		action(spec{id: "ghl.task.create", app: AppGHL, title: "Create task",
			desc:    "Creates a task on a contact with a title and a due date (ISO 8601), optionally assigned to a user.",
			ops:     []string{ghl.OpCreateTask},
			input:   withFormat(schemaOf[createTaskInput]([]string{"contactId", "title", "dueDate"}), "dueDate", "date-time"),
			output:  taskOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","title":"Call back about the order","dueDate":"2025-03-01T15:00:00Z"}`},
			func(ctx context.Context, x *exec, in createTaskInput) (any, error) {
				return x.ghl.CreateTask(ctx, in.ContactID, in.CreateTaskRequest)
			}),
		action(spec{id: "ghl.task.get", app: AppGHL, title: "Get task",
			desc: "Returns one task of a contact.", ops: []string{ghl.OpGetTask}, input: taskIn, output: taskOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","taskId":"tsk_1"}`},
			func(ctx context.Context, x *exec, in taskRef) (any, error) {
				return x.ghl.GetTask(ctx, in.ContactID, in.TaskID)
			}),
		action(spec{id: "ghl.task.update", app: AppGHL, title: "Update task",
			desc: "Changes the given fields of a task; the others stay. HighLevel sends no webhook for task edits " +
				"(there is no TaskUpdate event): watch them with ghl.task.updated.poll.",
			ops:     []string{ghl.OpUpdateTask},
			input:   withFormat(schemaOf[updateTaskInput]([]string{"contactId", "taskId"}), "dueDate", "date-time"),
			output:  taskOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","taskId":"tsk_1","title":"Call back on Monday"}`},
			func(ctx context.Context, x *exec, in updateTaskInput) (any, error) {
				return x.ghl.UpdateTask(ctx, in.ContactID, in.TaskID, in.UpdateTaskRequest)
			}),
		action(spec{id: "ghl.task.delete", app: AppGHL, title: "Delete task",
			desc: "Deletes a task (TaskDelete webhook).", ops: []string{ghl.OpDeleteTask}, input: taskIn,
			output: outputOf[Deleted](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","taskId":"tsk_1"}`},
			func(ctx context.Context, x *exec, in taskRef) (any, error) {
				return Deleted{Deleted: true, ID: in.TaskID}, x.ghl.DeleteTask(ctx, in.ContactID, in.TaskID)
			}),
		action(spec{id: "ghl.task.complete", app: AppGHL, title: "Complete task",
			desc: "Marks a task completed (TaskComplete webhook).", ops: []string{ghl.OpCompleteTask}, input: taskIn,
			output: taskOut, example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","taskId":"tsk_1"}`},
			func(ctx context.Context, x *exec, in taskRef) (any, error) {
				return x.ghl.CompleteTask(ctx, in.ContactID, in.TaskID, true)
			}),
		action(spec{id: "ghl.task.reopen", app: AppGHL, title: "Reopen task",
			desc: "Marks a completed task open again. HighLevel sends no webhook for this.", ops: []string{ghl.OpCompleteTask},
			input: taskIn, output: taskOut, example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","taskId":"tsk_1"}`},
			func(ctx context.Context, x *exec, in taskRef) (any, error) {
				return x.ghl.CompleteTask(ctx, in.ContactID, in.TaskID, false)
			}),
		action(spec{id: "ghl.task.search", app: AppGHL, title: "Search tasks in location",
			desc: "Searches tasks across the location by contacts, completion, assignee or text, with skip/limit paging " +
				"(HighLevel's default page is 25).",
			ops:     []string{ghl.OpSearchTasks},
			input:   schemaOf[searchTasksInput](nil),
			output:  outputOf[TaskList](),
			example: `{"completed":false,"limit":50}`},
			func(ctx context.Context, x *exec, in searchTasksInput) (any, error) {
				tasks, err := x.ghl.SearchTasks(ctx, ghl.TaskSearchRequest{ContactIDs: in.ContactIDs, Completed: in.Completed,
					AssignedTo: in.AssignedTo, Query: in.Query, Limit: in.Limit, Skip: in.Skip, BusinessID: in.BusinessID})
				return TaskList{nonNil(tasks)}, err
			}),
	}
}

func ghlNoteActions() []*Entry {
	noteOut := outputOf[ghl.Note]()
	noteIn := schemaOf[noteRef]([]string{"contactId", "noteId"})
	return []*Entry{
		action(spec{id: "ghl.note.list", app: AppGHL, title: "List contact's notes",
			desc: "Lists a contact's notes. HighLevel can only read notes per contact, and note reads can eat much of the daily " +
				"request budget (highlevel-api-docs#173): prefer the note webhooks.",
			ops: []string{ghl.OpListNotes}, input: hand(map[string]any{"contactId": contactIDProp}, "contactId"),
			output: outputOf[NoteList](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc"}`},
			func(ctx context.Context, x *exec, in contactRef) (any, error) {
				notes, err := x.ghl.ListNotes(ctx, in.ContactID)
				return NoteList{nonNil(notes)}, err
			}),
		action(spec{id: "ghl.note.create", app: AppGHL, title: "Create note",
			desc: "Adds a note to a contact's timeline (NoteCreate webhook).", ops: []string{ghl.OpCreateNote},
			input:   schemaOf[createNoteInput]([]string{"contactId", "body"}),
			output:  noteOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","body":"Visited the store; wants the spring catalogue."}`},
			func(ctx context.Context, x *exec, in createNoteInput) (any, error) {
				return x.ghl.CreateNote(ctx, in.ContactID, in.NoteRequest)
			}),
		action(spec{id: "ghl.note.get", app: AppGHL, title: "Get note",
			desc: "Returns one note of a contact.", ops: []string{ghl.OpGetNote}, input: noteIn, output: noteOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","noteId":"note_1"}`},
			func(ctx context.Context, x *exec, in noteRef) (any, error) {
				return x.ghl.GetNote(ctx, in.ContactID, in.NoteID)
			}),
		action(spec{id: "ghl.note.update", app: AppGHL, title: "Update note",
			desc: "Changes a note's body, title, colour or pin (NoteUpdate webhook).", ops: []string{ghl.OpUpdateNote},
			input: schemaOf[updateNoteInput]([]string{"contactId", "noteId"}), output: noteOut,
			example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","noteId":"note_1","body":"Updated: wants 3 cases."}`},
			func(ctx context.Context, x *exec, in updateNoteInput) (any, error) {
				return x.ghl.UpdateNote(ctx, in.ContactID, in.NoteID, in.NoteRequest)
			}),
		action(spec{id: "ghl.note.delete", app: AppGHL, title: "Delete note",
			desc: "Deletes a note (NoteDelete webhook).", ops: []string{ghl.OpDeleteNote}, input: noteIn,
			output: outputOf[Deleted](), example: `{"contactId":"ocQHyuzHvysMo5N5VsXc","noteId":"note_1"}`},
			func(ctx context.Context, x *exec, in noteRef) (any, error) {
				return Deleted{Deleted: true, ID: in.NoteID}, x.ghl.DeleteNote(ctx, in.ContactID, in.NoteID)
			}),
	}
}
