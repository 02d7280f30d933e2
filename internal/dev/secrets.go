package dev

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// credentials are the sandbox's own keys, made fresh at every start so
// nothing real is ever needed or stored.
type credentials struct {
	streamKey, streamSecret string
	twilioSID, twilioToken  string
	adminPassword           string // shown once, on the terminal
	adminHash               string // bcrypt, for ADMIN_USERS
}

// newCredentials makes them; cost is the admin hash's bcrypt cost (0:
// bcrypt's default).
func newCredentials(cost int) (credentials, error) {
	c := credentials{
		streamKey:    "sandbox" + randomHex(4),
		streamSecret: randomHex(32),
		twilioSID:    "AC" + randomHex(16),
		twilioToken:  randomHex(16),
	}
	pw := randomHex(8)
	c.adminPassword = pw[0:4] + "-" + pw[4:8] + "-" + pw[8:12] + "-" + pw[12:16]
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.adminPassword), cost)
	if err != nil {
		return credentials{}, fmt.Errorf("hash the admin password: %w", err)
	}
	c.adminHash = string(hash)
	return c, nil
}

// randomHex returns n random bytes in hex. crypto/rand does not fail on
// the platforms Go supports.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
