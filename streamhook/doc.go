// Package streamhook is everything Stream: the Chat adapter that writes
// messages, users and channels through stream-chat-go (paced by the quota
// view of internal/quota), the start-up check of the SMS channel type, the
// upsert of admin users (with their locations as teams under STREAM_TEAMS),
// the message.new webhook handler with its signature check, the message search by sms_sid that `smsbridge reconcile` uses, and
// the Console that reads and sets the app's settings for `smsbridge doctor`
// (returning internal/doctor's types). Admins' Stream user tokens are
// adminapi's: it signs them at login.
//
// It translates between Stream's wire formats and bridge types and nothing
// more: every relay rule lives in bridge. It must not import twiliohook.
package streamhook
