package syncer

import (
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// ChangeFromEvent turns a HighLevel contact webhook into a change; ok is
// false for events that are not about contacts.
func ChangeFromEvent(ev ghl.Event, received time.Time) (GHLChange, bool) {
	ce, ok := ev.(*ghl.ContactEvent)
	if !ok || ce.Contact.ID == "" {
		return GHLChange{}, false
	}
	at := received
	if t := ce.Timestamp.Time; !t.IsZero() {
		at = t
	}
	if t, err := time.Parse(time.RFC3339Nano, ce.Contact.DateUpdated); err == nil {
		at = t
	}
	return GHLChange{Contact: ce.Contact, At: at, Partial: true, Deleted: ce.Type == "ContactDelete"}, true
}
