// Package streamhook is everything Stream: the Chat adapter that writes
// messages, users and channels through stream-chat-go, the start-up check of
// the SMS channel type, admin users and their tokens, the message.new
// webhook handler with its signature check, the message search by
// sms_sid that `smsbridge reconcile` uses, and the Console that reads and
// sets the app's settings for `smsbridge doctor` (returning doctor's types).
//
// It translates between Stream's wire formats and bridge types and nothing
// more: every relay rule lives in bridge. It must not import twiliohook.
package streamhook
