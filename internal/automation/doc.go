// Package automation runs automation flows: a catalog trigger followed by
// filter, lookup, map and action steps (package flow). Sync flows are the
// sync engine's (package syncer); this package leaves them alone.
//
// A [Runner] runs one stored flow at its current version:
//
//   - a poll trigger, one page at a time ([Runner.PollPage]): the saved
//     cursor is read, the trigger's Poll fetches the records after it, the
//     flow runs once per record, and the next cursor is saved with the
//     page's run history in one transaction once every record was handled;
//   - a HighLevel webhook trigger, one stored delivery at a time
//     ([Runner.HandleEvent]): every enabled automation whose trigger is that
//     event type on that location runs on the decoded record.
//
// Lookups and actions are catalog entries run on the flow's named
// connections through catalog.Clients ([Executor]).
//
// Errors are sorted three ways ([Classify]). A transient one (HighLevel or
// Repsly 5xx or 429, a timeout, a network failure) stops the page, which is
// read again on the retry; a connection that cannot be used (unknown,
// unauthorised, lacking a scope) stops it too, since every record would
// fail the same way. Any other error belongs to the record: it is written
// to run history and the cursor moves past it.
//
// Nothing is done twice on a retry, as far as the store can tell: after
// each record that wrote something, a progress marker for the page is
// committed, and the retried page skips the records it names; a delivery
// handled by a flow is marked in the transaction of its run history.
package automation
