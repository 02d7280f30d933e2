// Package dev is `smsbridge dev`: a sandbox that runs the whole service on a
// laptop with no accounts. The bridge is wired by package app exactly as
// `smsbridge serve` wires it, but talks to in-process simulators of Stream
// (streamhook/streamtest, with its push webhook) and Twilio
// (twiliohook/twiliotest, with its phone network), and a web console sits in
// front of it on the same port: a patient phone on one side, the clinic's
// sms channels, a reply box and a reminder form on the other.
//
// The sandbox makes its own credentials and an admin password at every
// start. Its logs follow the service's rules: never a message text, a
// full phone number, a token, a password or a signature; only the console
// page shows the (fictional) numbers and texts.
//
// Only the dev subcommand of cmd/smsbridge may import this package, and only
// in builds with the sandbox tag (go run -tags sandbox ./cmd/smsbridge dev):
// the deployed binary links no simulator, no console and none of their
// dependencies. app, config, bridge, the adapters and the fakes must never
// import it.
package dev
