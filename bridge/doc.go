// Package bridge is the domain of smsbridge: every rule that decides what is
// relayed between SMS and chat, and how.
//
// It knows nothing about HTTP, Twilio's or Stream's wire formats, logging or
// metrics. Adapters (twiliohook, streamhook, adminapi) translate their wire
// formats into the types here, call the relays, and implement the small
// interfaces each relay declares for itself (InboundChat, OutboundChat,
// ReminderChat, SMS, SentLog, ...). The id schemes (sms-<MessageSid>,
// channel id = E.164 digits), the sms_direction marker that prevents echo
// loops, opt-out and reminder-answer keywords, batch row keys, status
// ordering and length limits live here and nowhere else.
//
// It imports only the standard library, github.com/nyaruka/phonenumbers and
// packages that are themselves pure rules: internal/deadlines (the table of
// time budgets), internal/priority (who goes first on the chat's quotas) and
// internal/wait (cmd/smsbridge/deps_test.go checks it).
package bridge
