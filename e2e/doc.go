// Package e2e holds smsbridge's end-to-end tests: the real server, wired by
// package app exactly as `smsbridge serve` wires it, listening on a random
// 127.0.0.1 port, driven with signed webhooks against the fakes of Stream
// (streamhook/streamtest) and Twilio (twiliohook/twiliotest). The
// replicas_*_test.go files run two replicas sharing a real redis-server
// (internal/redistest; docs/replicas.md). It has no non-test code besides
// this comment.
package e2e
