package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
)

// remindOn posts a reminder to base with an Idempotency-Key, checked
// against the served OpenAPI document. Goroutines may call it.
func (r *replicas) remindOn(base, token, key string) response {
	raw := []byte(`{"phoneNumber":"(201) 555-0142","messageText":"Reminder: cleaning on Monday at 9:00."}`)
	r.secret("Reminder: cleaning on Monday at 9:00.")
	status, body, header := postTo(http.DefaultClient, base, "/send-reminder", "application/json", raw,
		http.Header{"Authorization": {"Bearer " + token}, "Idempotency-Key": {key}})
	if err := r.spec.Check(http.MethodPost, "/send-reminder", status, header, []byte(body)); err != nil {
		r.t.Error(err)
	}
	return response{Status: status, Header: header, Body: body}
}

func TestLoginCountsInRedisSurviveARestart(t *testing.T) {
	r := startReplicas(t)
	for i := range 5 {
		r.loginFrom(r.base(i), "front_desk", "wrong", "198.51.100.7")
	}
	// A process started afterwards (a restart, or a new replica) has nothing
	// in memory: the counts it sees are Redis's.
	fresh := r.startInstance(r.opts...)
	if got := r.loginFrom(fresh, "front_desk", apiPassword, "198.51.100.7"); got.Status != http.StatusTooManyRequests {
		t.Errorf("after a restart: %d, want 429 still", got.Status)
	}
}

func TestAFloodOfMadeUpIDsFromABlockedClientDoesNotResetAnAdminsCount(t *testing.T) {
	r := startAlone(t) // the memory store, whose bounded tables the flood aimed at
	for range 5 {
		r.loginFrom(r.base(0), "front_desk", "wrong", "198.51.100.7")
	}
	for i := range 20 { // block the attacker's address
		r.loginFrom(r.base(0), "nobody"+strconv.Itoa(i), "guess", "203.0.113.66")
	}
	const flood = 10_050
	var wg sync.WaitGroup
	ids := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range ids {
				raw := []byte(fmt.Sprintf(`{"adminId":"made-up-%d","password":"x"}`, i))
				if s, _, _ := postTo(http.DefaultClient, r.base(0), "/admin-login", "application/json", raw,
					http.Header{"X-Forwarded-For": {"203.0.113.66"}}); s != http.StatusTooManyRequests {
					t.Errorf("flood attempt %d: %d, want 429", i, s)
				}
			}
		})
	}
	for i := range flood {
		ids <- i
	}
	close(ids)
	wg.Wait()
	if got := r.loginFrom(r.base(0), "front_desk", apiPassword, "198.51.100.7"); got.Status != http.StatusTooManyRequests {
		t.Errorf("after the flood, front_desk from the locked client: %d, want still 429", got.Status)
	}
}
