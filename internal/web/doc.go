// Package web is the HTTP plumbing every smsbridge route shares: the echo
// instance and http.Server with their limits and timeouts, the one table
// that turns errors into status codes and JSON bodies, per-request logging
// with a request id, metrics, security headers, CORS, body caps and the
// health and readiness probes.
//
// Handlers live in the adapter packages and return errors; they never write
// error responses themselves. web imports bridge (for its error kinds) and
// metrics, and no adapter.
package web
