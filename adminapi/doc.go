// Package adminapi is the dashboard's JSON API (docs/contract.md §4.4-4.6):
// POST /admin-login (bcrypt passwords, per-id and per-IP limits on failed
// attempts, a Stream user token it signs itself), the bearer-token check
// that guards the API, POST /send-reminder (Idempotency-Key claims in
// internal/coord), POST /sms-preview (segments from internal/segments),
// GET /reminder-templates, and the OpenAPI document describing them, served
// at GET /openapi.yaml.
//
// It translates HTTP and JSON into bridge types and back; the reminder rules
// (text limits, scheduling window, order of chat post and SMS send, markers)
// live in bridge.Reminders, and templates are filled by internal/templates.
// Handlers return errors and never write error answers: internal/web's
// table turns them into statuses. It must not import streamhook, twiliohook
// or config; internal/app wires it to them.
package adminapi
