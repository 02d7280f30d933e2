// Package twiliotest is an httptest fake of Twilio's Messages REST API (API version
// 2010-04-01) plus helpers that sign webhooks the way Twilio does.
//
// The fake serves CreateMessage, ListMessage, FetchMessage and ListMedia (a message's media
// subresource), the account's phone numbers (ListIncomingPhoneNumber,
// UpdateIncomingPhoneNumber) and Messaging Services (Messaging v1 FetchService,
// UpdateService, ListPhoneNumber) and WhatsApp senders (Messaging v2 ListChannelsSender) for
// `smsbridge doctor`, checks HTTP Basic auth, and
// validates every request it receives against Twilio's own OpenAPI description of those
// operations (testdata/twilio_messages_openapi.json, trimmed from twilio-oai by
// internal/trimspec), so a test fails when the code under test sends something the real API
// would refuse. On top of the spec it applies Twilio's documented business rules (required
// parameters, the 1600-character body limit, message scheduling windows) with Twilio's error
// codes, and lets tests script permanent errors (FailTo) and transient faults (FailNext).
//
// A Network (NewNetwork) plays the other side of Twilio: phones text the clinic's numbers and
// their messages reach the application's webhook, signed and retried as the URL's connection
// overrides say; messages sent through the API move through a carrier's statuses with signed
// status callbacks, and STOP blocks a phone as Twilio's default opt-out handling does: for the
// number it texted, or the whole Messaging Service whose pool holds that number.
//
// It knows WhatsApp (whatsapp.go): `whatsapp:` addresses, the 24-hour window (a free-form
// message outside it is accepted and then fails with 63016 in its status callback),
// Content Templates sent by ContentSid with ContentVariables (AddContent registers them),
// ProfileName and button taps on WhatsApp webhooks, `read` statuses, and no STOP filtering.
//
// It is test and development tooling: end-to-end tests, benchmarks and a local sandbox use
// it. Production code must not import it. Its non-test files do not import package testing.
package twiliotest

//go:generate go run ./internal/trimspec -in $TWILIO_OAI_SPEC -out testdata/twilio_messages_openapi.json
