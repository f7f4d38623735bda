// Package ghlsandbox is a local, in-memory imitation of the HighLevel
// (LeadConnector) API v2 served at services.leadconnectorhq.com.
//
// It answers the contacts API (32 operations), the calendar-event operations
// that touch contacts, OAuth 2.0 (authorize page, token endpoint with
// rotating single-use refresh tokens, location tokens), locations, their
// custom fields and tags, with the same paths, status codes, envelopes and
// error bodies as the real service, as documented in
// shared/reference/ghl-api.md. Where the reference and the OpenAPI files
// disagree, the sandbox imitates the documented behaviour and says so in a
// comment.
//
// Every change, whether made through the API or through the "as a HighLevel
// user would" methods (UserCreateContact, UserAddTag, ...), emits the
// documented webhook event, signed with the sandbox's Ed25519 key in
// x-ghl-signature and delivered asynchronously, without retries on 5xx or
// timeouts, like the real service. Rate limits, fault injection (latency,
// 500s, 429s, hangs, lost responses, dropped or duplicated webhooks) and
// seeded demo data are built in; all randomness comes from Options.Seed so
// runs are reproducible.
//
// Tests mount it in-process:
//
//	sb := ghlsandbox.New(ghlsandbox.Options{...})
//	defer sb.Close()
//	srv := httptest.NewServer(sb)
//
// and the CLI serves it with `fieldbridge sandbox`.
package ghlsandbox
