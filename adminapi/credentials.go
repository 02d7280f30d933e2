package adminapi

import (
	"crypto/rand"
	"encoding/hex"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// credentials checks admin passwords against ADMIN_USERS' bcrypt hashes.
type credentials struct {
	hashes map[string][]byte
	tags   map[string]string // passwordTag of each admin's hash
	// dummy is compared against when the id is unknown, so an unknown id
	// costs the same bcrypt work as a wrong password and the two failures
	// cannot be told apart by their timing.
	dummy []byte
}

func newCredentials(admins map[string]string, secret []byte) *credentials {
	c := &credentials{hashes: make(map[string][]byte, len(admins)), tags: make(map[string]string, len(admins))}
	cost := bcrypt.MinCost
	for id, hash := range admins {
		c.hashes[id] = []byte(hash)
		c.tags[id] = passwordTag(secret, hash)
		if n, err := bcrypt.Cost([]byte(hash)); err == nil {
			cost = max(cost, n)
		}
	}
	c.dummy = dummyHash(cost)
	return c
}

// dummies holds one dummy hash per cost for the life of the process: making
// one costs as much as a login, and every API instance (each test's among
// them) would otherwise pay it again.
var dummies sync.Map // int -> []byte

func dummyHash(cost int) []byte {
	if h, ok := dummies.Load(cost); ok {
		return h.([]byte)
	}
	var pw [24]byte
	_, _ = rand.Read(pw[:])
	h, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(pw[:])), cost)
	if err != nil {
		// Only an out-of-range cost or an over-long password fail, and
		// neither can happen here.
		panic("adminapi: dummy bcrypt hash: " + err.Error())
	}
	actual, _ := dummies.LoadOrStore(cost, h)
	return actual.([]byte)
}

// verify reports whether password is id's password. It always spends one
// bcrypt comparison.
func (c *credentials) verify(id, password string) bool {
	hash, known := c.hashes[id]
	if !known {
		hash = c.dummy
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	return match && known
}

// isAdmin reports whether id is a configured admin.
func (c *credentials) isAdmin(id string) bool {
	_, ok := c.hashes[id]
	return ok && id != ""
}

// tag is the password tag login tokens of id must carry ("" for no admin).
func (c *credentials) tag(id string) string {
	return c.tags[id]
}
