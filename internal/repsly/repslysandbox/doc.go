// Package repslysandbox is an in-memory imitation of the Repsly Web API v3
// (https://api.repsly.com/v3/) for tests, the demo and users who want a test
// environment without a Repsly account.
//
// The sandbox follows the documented behaviour collected in
// shared/reference/repsly-api.md, not the machine-made OpenAPI files: exports
// answer 50 rows a page inside an envelope named after the entity, with a
// MetaCollectionResult whose TotalCount is the number of rows in that page;
// timestamp-paged exports (clients, visits, users) share one global change
// counter so an edited row comes again, while ID-paged exports (client notes,
// forms, photos, orders, audits, working time, products) only ever deliver new
// rows. Imports are asynchronous jobs whose status is read through
// export/importStatus/{id}. Dates use the WCF "\/Date(ms+0000)\/" form where
// the real service does.
//
// Where the documentation is silent the sandbox guesses; each guess is marked
// with "Guess:" in a comment next to the code that makes it. Three paths no
// source captured are served at guessed places: export/formsWithMatrix,
// import/userList and import/documentStatus. Not modelled: XML bodies (the
// real service also speaks XML; the sandbox answers JSON and refuses XML
// imports with 415) and the WCF help page.
//
// A Server is an http.Handler serving the API under /v3/, so it can be mounted
// with httptest or served by the CLI. Besides HTTP it offers a Go API that acts
// "as a rep in the Repsly app would" (RepCreateClient, RepAddNote, ...), read
// helpers, per-endpoint request counters and runtime fault injection.
package repslysandbox
