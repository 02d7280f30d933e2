// Package streamhook is everything Stream: the Chat adapter that writes
// messages, users and channels through stream-chat-go, the start-up check of
// the SMS channel type, user tokens, and (with the outbound work) the
// message.new webhook handler and its signature check, and the message
// search by sms_sid that `smsbridge reconcile` uses.
//
// It translates between Stream's wire formats and bridge types and nothing
// more: every relay rule lives in bridge. It must not import twiliohook.
package streamhook
