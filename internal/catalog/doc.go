// Package catalog is Fieldbridge's operations catalog: every HighLevel and
// Repsly operation a flow can use, as an action (called with input, answers
// with output) or a trigger (a webhook delivery or a poll that yields
// records), each with a stable id, a description that also says what the
// API cannot do, the OAuth scopes it needs, JSON Schemas for its input and
// output, an example input, and an executor bound to the API clients.
//
// The catalog sits between the flows and the API clients. It does not know
// where connections are stored: callers hand in a Clients, which the
// composition root adapts from the connection service. Input is validated
// against the entry's schema, and the connection's scopes are checked,
// before any request is sent.
//
// The entries are built by New from the clients' own operation tables
// (ghl.Operations, repsly.Endpoints) plus the composite actions users reach
// for; docs/operations.md is rendered from them by Markdown.
package catalog
