package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisKeys lists smsbridge's keys in the harness's redis-server.
func (r *replicas) redisKeys(ctx context.Context) []string {
	r.t.Helper()
	c := redis.NewClient(&redis.Options{Addr: r.redis.Addr})
	defer c.Close()
	keys, err := c.Keys(ctx, "smsbridge:*").Result()
	if err != nil {
		r.t.Fatal(err)
	}
	return keys
}

// The review's flood (issue 27 finding 2): one admin's token, refused
// reminders (text_too_long), a fresh 220-character Idempotency-Key each,
// spread over two replicas sharing Redis.
func TestAFloodOfRefusedRemindersFromOneAdminGets429sAndStoresAFewKeys(t *testing.T) {
	r := startReplicas(t)
	token := r.token("front_desk")
	ctx := t.Context()
	before := len(r.redisKeys(ctx))
	text := strings.Repeat("Please confirm. ", 101) // 1616 characters: text_too_long
	r.secret(text)
	raw := []byte(`{"phoneNumber":"(201) 555-0142","messageText":"` + text + `"}`)
	const flood = 1000
	codes := map[int]int{}
	retryAfter := 0
	began := time.Now()
	for i := range flood {
		key := fmt.Sprintf("%04d-%s", i, strings.Repeat("k", 215))
		status, body, header := postTo(http.DefaultClient, r.base(i), "/send-reminder", "application/json", raw,
			http.Header{"Authorization": {"Bearer " + token}, "Idempotency-Key": {key}})
		codes[status]++
		if status == http.StatusTooManyRequests && header.Get("Retry-After") != "" {
			retryAfter++
		}
		if i < 30 || i%100 == 0 { // the answers' shapes, checked against the document
			if err := r.spec.Check(http.MethodPost, "/send-reminder", status, header, []byte(body)); err != nil {
				t.Error(err)
			}
		}
	}
	elapsed := time.Since(began)
	keys := r.redisKeys(ctx)
	t.Logf("%d refused reminders in %v: %v; %d smsbridge keys in Redis before, %d after: %v",
		flood, elapsed.Round(time.Millisecond), codes, before, len(keys), keys)
	// The burst of 20, then one a second: whatever the machine's speed.
	if most := 20 + int(elapsed/time.Second) + 1; codes[http.StatusBadRequest] > most {
		t.Errorf("%d refusals answered in %v, want at most %d (REMINDER_BURST 20 + 60 a minute)",
			codes[http.StatusBadRequest], elapsed, most)
	}
	if codes[http.StatusTooManyRequests] < flood/2 || retryAfter != codes[http.StatusTooManyRequests] ||
		codes[http.StatusBadRequest]+codes[http.StatusTooManyRequests] != flood {
		t.Errorf("answers %v, %d with Retry-After; want 400s, then 429s with Retry-After", codes, retryAfter)
	}
	// Nothing per request: the admin's one allowance key, and no refusal
	// kept under any Idempotency-Key.
	if len(keys)-before > 1 {
		t.Errorf("the flood left %d new keys in Redis, want at most 1 (the admin's allowance): %v", len(keys)-before, keys)
	}
	for _, k := range keys {
		if strings.Contains(k, "idempotency") {
			t.Errorf("a refused reminder's answer was stored: %s", k)
		}
	}
}
