// Package doctor checks the settings outside smsbridge that make a working
// bridge look broken: the Twilio number's or Messaging Service's inbound
// webhook, Stream's webhook URL, auth checks, channel type and admin users,
// the bridge's own PUBLIC_URL, admin hashes, CORS and proxy settings, and
// (with a probe) a signed round trip through the public URL the way the
// vendors call it. Each check is one small function with a stable id
// (docs/doctor.md lists them); a Result says what was found and the exact
// fix, and carries the change `--fix` makes when doctor can make it.
//
// It reads and changes the vendors' settings through the small interfaces
// Twilio and Stream, which twiliohook and streamhook implement with the
// vendors' SDKs; package app wires them. It must not import the adapters,
// app or config, and never prints a full phone number or a secret: numbers
// appear by their last two digits.
package doctor
