package twiliotest

import (
	"crypto/rand"
	"encoding/hex"
)

// NewMessageSid returns a random Message SID: "SM" followed by 32 lowercase hex digits.
func NewMessageSid() string { return newSid("SM") }

// NewMediaSid returns a random Media SID: "ME" followed by 32 lowercase hex digits.
func NewMediaSid() string { return newSid("ME") }

// newMMSSid returns the SID Twilio gives a message that carries media ("MM" prefix).
func newMMSSid() string { return newSid("MM") }

func newSid(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + hex.EncodeToString(b[:])
}
