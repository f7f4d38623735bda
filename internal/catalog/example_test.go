package catalog_test

import (
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

// The webhook triggers map HighLevel event types to stable ids.
func ExampleCatalog_Filter() {
	c, err := catalog.New(catalog.Options{})
	if err != nil {
		panic(err)
	}
	for _, e := range c.Filter(catalog.AppGHL, catalog.KindTrigger) {
		if e.Mode == catalog.ModeWebhook && e.Event[:4] == "Task" {
			fmt.Println(e.ID, e.Event, e.Scopes)
		}
	}
	// Output:
	// ghl.task.completed TaskComplete [contacts.readonly]
	// ghl.task.created TaskCreate [contacts.readonly]
	// ghl.task.deleted TaskDelete [contacts.readonly]
}

// Validation names the field before anything is sent.
func ExampleEntry_Validate() {
	c, _ := catalog.New(catalog.Options{})
	e, _ := c.Get("ghl.task.create")
	_, err := e.Validate([]byte(`{"contactId":"c1","title":5}`))
	fmt.Println(err)
	// Output:
	// catalog: ghl.task.create: invalid input: field "title": got number, want string; missing required field "dueDate"
}
