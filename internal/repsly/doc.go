// Package repsly is a client for the Repsly Web API v3 (https://api.repsly.com/v3/).
//
// Repsly is a .NET WCF REST service with HTTP Basic auth, fixed 50-row export
// pages, WCF "/Date(ms+hhmm)/" dates and asynchronous imports. This package
// hides those quirks behind typed records and pagers:
//
//   - Exports hand back one page at a time together with the cursor to persist
//     after the page has been handled (see [Page], [Cursor] and [Pages]).
//   - Imports are posted, their job id is parsed out of the response message and
//     the job is polled until it completes or fails (see [ImportResult]).
//   - Every failure the caller may branch on is a typed error (see [Error] and
//     the Err* sentinels); no response body, however broken, makes it panic.
//
// All paths live in one table ([Endpoints]) so that paths the public
// documentation could not confirm are easy to find and correct.
//
// The package is a leaf: it imports nothing else from this module.
package repsly
