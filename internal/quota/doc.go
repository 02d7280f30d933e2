// Package quota keeps smsbridge's view of Stream's rate limits, per
// endpoint and as last seen in Stream's X-RateLimit-* answers, and decides
// who may spend what is left. Stream limits each endpoint per app and per
// minute, so when an endpoint runs low the calls that matter most go first:
// a patient's inbound SMS, then admin replies and reminders, then delivery
// status writes (docs/quotas.md).
//
// The view lives in memory (Memory), one per replica; with REDIS_URL it is
// shared through the coordination store (Shared), so replicas spend one
// quota together. It imports only the standard library.
package quota
