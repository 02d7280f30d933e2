package adminapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"
)

// Login limits (docs/contract.md §4.4): within 15 minutes, more than 5
// failures for one id from one client, more than 20 from one client, or
// more than 50 for one id from all clients together are refused with 429.
// One client's failures lock the id for that client only; the last cap
// bounds a guess spread over many clients.
const (
	failuresPerIDClient = 5
	failuresPerClient   = 20
	failuresPerID       = 50
	failureWindow       = 15 * time.Minute
)

// Counters is the coordination store as login limits use it: windowed
// counters, shared by every replica and kept across restarts when the store
// is Redis. coord.Store implements it.
type Counters interface {
	// Count returns the counter at key and how long until its window ends.
	Count(ctx context.Context, key string) (n int, resetIn time.Duration, err error)
	// Add adds delta, creating the counter with window when it is absent.
	Add(ctx context.Context, key string, delta int, window time.Duration) (int, error)
	// Release deletes the counter.
	Release(ctx context.Context, key string) error
}

// loginLimits counts failed logins per (id, client), per client and per id.
// key is the HMAC key of the ids in the counters' names (newLoginLimits).
type loginLimits struct {
	c   Counters
	key []byte
}

// newLoginLimits keys the id hashes with HMAC-SHA256(secret, label), a key
// derived from the Stream secret, so a typed password in a counter's name
// in Redis cannot be tested against guesses offline.
func newLoginLimits(c Counters, secret []byte) *loginLimits {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("smsbridge login limit keys v1"))
	return &loginLimits{c: c, key: mac.Sum(nil)}
}

type limitKey struct {
	key   string
	limit int
}

// keys are the counters one attempt counts against, the client's first: a
// client already refused is turned away before any id's counter is read.
// Ids are keyed hashes: people type passwords into id fields.
func (g *loginLimits) limitKeys(id, client string) []limitKey {
	return []limitKey{
		{"login-client:" + client, failuresPerClient},
		{"login-pair:" + g.idDigest(id+"\x00"+client), failuresPerIDClient},
		{"login-id:" + g.idDigest(id), failuresPerID},
	}
}

func (g *loginLimits) idDigest(s string) string {
	mac := hmac.New(sha256.New, g.key)
	mac.Write([]byte(s))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// digest names an Idempotency-Key (admin, key) in the store; neither is a
// number or a text.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// clientOf is the unit a client is counted by: its IPv4 address, or its
// IPv6 /64, which one host can fill with addresses at will.
func clientOf(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// begin reserves an attempt for id from client, counted as a failure until
// succeeded or giveBack says otherwise, so concurrent guesses cannot slip
// past a limit while their bcrypt comparisons run. A refused attempt
// writes nothing: it returns how long to wait.
func (g *loginLimits) begin(ctx context.Context, id, client string) (time.Duration, error) {
	keys := g.limitKeys(id, client)
	for _, k := range keys {
		n, reset, err := g.c.Count(ctx, k.key)
		if err != nil {
			return 0, err
		}
		if n >= k.limit {
			return max(reset, time.Second), nil
		}
	}
	for i, k := range keys {
		n, err := g.c.Add(ctx, k.key, 1, failureWindow)
		if err != nil {
			g.undo(ctx, keys[:i])
			return 0, err
		}
		if n > k.limit { // a concurrent attempt took the last one
			g.undo(ctx, keys[:i+1])
			_, reset, _ := g.c.Count(ctx, k.key)
			return max(reset, time.Second), nil
		}
	}
	return 0, nil
}

// succeeded forgets id's failures from client and gives back the attempt's
// reservation on the others. Earlier failures from the client stay counted:
// one valid account must not reset the limit for guessing others.
func (g *loginLimits) succeeded(ctx context.Context, id, client string) {
	keys := g.limitKeys(id, client)
	_ = g.c.Release(context.WithoutCancel(ctx), keys[1].key)
	g.undo(ctx, []limitKey{keys[0], keys[2]})
}

// giveBack returns an attempt that was never judged (the server was busy).
func (g *loginLimits) giveBack(ctx context.Context, id, client string) {
	g.undo(ctx, g.limitKeys(id, client))
}

func (g *loginLimits) undo(ctx context.Context, keys []limitKey) {
	for _, k := range keys {
		_, _ = g.c.Add(context.WithoutCancel(ctx), k.key, -1, failureWindow)
	}
}
