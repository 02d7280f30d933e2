// Package twiliohook is everything Twilio: the webhook signature check, the
// inbound-message and status-callback handlers, the SMS sender built on
// twilio-go (with the sent-message lookup that lets a retry adopt an SMS an
// earlier attempt sent), the message log reader (Log) that
// `smsbridge reconcile` repairs from, and the Console that reads and sets the
// number's and Messaging Service's inbound webhook for `smsbridge doctor`.
//
// Handlers follow one order: cap the body, verify the signature over the raw
// bytes, decode only the fields used, convert to bridge types, call the
// bridge. Nothing is decoded before the signature passes. Relay rules live
// in bridge, checks in doctor (whose types Console returns). It must not
// import streamhook.
package twiliohook
