// Package streamtest is an in-memory fake of Stream Chat's server-side REST
// API, served by an httptest.Server, for end-to-end tests, benchmarks and a
// local sandbox of the bridge.
//
// It speaks Stream's real v1 wire format, the one stream-chat-go v6 sends and
// reads: raw-JWT server authentication, custom fields flattened next to the
// declared ones, and Stream's APIError bodies with their codes (4 input,
// 5 authentication, 9 rate limit, 16 does not exist, -1 internal). Every
// request is validated against the operations of Stream's published OpenAPI
// document (testdata/stream_chat_openapi.yaml); a request the real API would
// reject as malformed is answered 400 and reported through Options.Fail, so a
// test that makes it fails loudly.
//
// Only the operations the bridge uses are served: channel types (get,
// create), user upsert, get-or-create channel, send message, channel partial
// update, message get, partial update and full update, message search
// (search.go says which filters it understands), and for `smsbridge doctor`
// the app settings (get, update: app.go) and users by id. Anything else is an
// "unexpected call", also reported through Options.Fail.
//
// Tests seed and inspect the fake's state (users, channels, messages), count
// calls per operation and inject faults (5xx, 429, delays, lost responses,
// reset connections). Sign computes the X-Signature Stream puts on webhooks.
// With SetWebhook the fake also plays Stream's push webhook: every message
// sent through the API is pushed as message.new, signed and retried as
// Stream does (webhook.go), which is what turns it into a sandbox.
//
// This package is test support. Production code must not import it; it does
// not import package testing, so benchmarks and a dev sandbox may use it.
package streamtest
