package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// remindAt posts a reminder to base with an Idempotency-Key, checked
// against the served OpenAPI document. Goroutines may call it.
func (r *replicas) remindAt(base, token, key string) response {
	raw := []byte(`{"phoneNumber":"(201) 555-0142","messageText":"Reminder: cleaning on Monday at 9:00."}`)
	r.secret("Reminder: cleaning on Monday at 9:00.")
	status, body, header := postTo(http.DefaultClient, base, "/send-reminder", "application/json", raw,
		http.Header{"Authorization": {"Bearer " + token}, "Idempotency-Key": {key}})
	if err := r.spec.Check(http.MethodPost, "/send-reminder", status, header, []byte(body)); err != nil {
		r.t.Error(err)
	}
	return response{Status: status, Header: header, Body: body}
}

// sameJSON reports whether two answers carry the same JSON.
func sameJSON(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && reflect.DeepEqual(x, y)
}

func TestTheSameIdempotencyKeyOnTwoReplicasSendsOneReminder(t *testing.T) {
	r := startReplicas(t)
	token := r.token("front_desk")

	t.Run("one after the other", func(t *testing.T) {
		first := r.remindAt(r.base(0), token, "key-sequential")
		second := r.remindAt(r.base(1), token, "key-sequential")
		if first.Status != http.StatusOK || second.Status != first.Status || !sameJSON(first.Body, second.Body) {
			t.Errorf("answers %d %s and %d %s, want the first answer twice", first.Status, first.Body, second.Status, second.Body)
		}
		if second.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the repeat is not marked Idempotent-Replayed")
		}
		if n := len(r.twilio.MessagesTo(reminderPatient)); n != 1 {
			t.Errorf("%d SMS sent, want 1", n)
		}
	})
	t.Run("concurrently", func(t *testing.T) {
		// The first send answers late, so the second arrives while it is in flight.
		r.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Delay: 300 * time.Millisecond})
		answers := make([]response, 2)
		together(func() { answers[0] = r.remindAt(r.base(0), token, "key-concurrent") },
			func() { answers[1] = r.remindAt(r.base(1), token, "key-concurrent") })
		var first *response
		for i := range answers {
			a := &answers[i]
			switch {
			case a.Status == http.StatusConflict && apiErrorCode(*a) == "idempotency_in_progress":
				if a.Header.Get("Retry-After") == "" {
					t.Errorf("409 without Retry-After")
				}
			case a.Status == http.StatusOK:
				first = a
			default:
				t.Errorf("answer %d: %d %s, want 200 or 409 idempotency_in_progress", i, a.Status, a.Body)
			}
		}
		if first == nil {
			t.Fatal("neither request was answered 200")
		}
		// The one told to wait asks again, as the dashboard does, and gets the first answer.
		for i := range 2 {
			again := r.remindAt(r.base(i), token, "key-concurrent")
			if again.Status != first.Status || !sameJSON(again.Body, first.Body) {
				t.Errorf("repeat on replica %d: %d %s, want %s", i, again.Status, again.Body, first.Body)
			}
		}
		if n := len(r.twilio.MessagesTo(reminderPatient)); n != 2 {
			t.Errorf("%d SMS sent over both subtests, want 2", n)
		}
	})
}

func TestFiveWrongPasswordsOverTwoReplicasMakeTheSixth429OnEither(t *testing.T) {
	r := startReplicas(t)
	for i := range 5 {
		if got := r.loginAt(r.base(i), "front_desk", "wrong", "198.51.100.7"); got.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, got.Status)
		}
	}
	for i := range 2 {
		got := r.loginAt(r.base(i), "front_desk", apiPassword, "198.51.100.7")
		if got.Status != http.StatusTooManyRequests || got.Header.Get("Retry-After") == "" {
			t.Errorf("6th attempt on replica %d: %d %s, want 429 with Retry-After", i, got.Status, got.Body)
		}
	}
}

func TestLoginCountsInRedisSurviveARestart(t *testing.T) {
	r := startReplicas(t)
	for i := range 5 {
		r.loginAt(r.base(i), "front_desk", "wrong", "198.51.100.7")
	}
	// A process started afterwards (a restart, or a new replica) has nothing
	// in memory: the counts it sees are Redis's.
	fresh := r.startInstance(r.opts...)
	if got := r.loginAt(fresh, "front_desk", apiPassword, "198.51.100.7"); got.Status != http.StatusTooManyRequests {
		t.Errorf("after a restart: %d, want 429 still", got.Status)
	}
}

func TestAfterFiveFailuresFromOneClientTheRightPasswordFromAnotherLogsIn(t *testing.T) {
	r := startReplicas(t)
	for i := range 5 {
		r.loginAt(r.base(i), "front_desk", "wrong", "198.51.100.7")
	}
	if got := r.loginAt(r.base(1), "front_desk", apiPassword, "203.0.113.20"); got.Status != http.StatusOK {
		t.Errorf("the real admin from another network: %d %s, want 200", got.Status, got.Body)
	}
}

func TestAFloodOfMadeUpIDsFromABlockedClientDoesNotResetAnAdminsCount(t *testing.T) {
	r := startAlone(t) // the memory store, whose bounded tables the flood aimed at
	for range 5 {
		r.loginAt(r.base(0), "front_desk", "wrong", "198.51.100.7")
	}
	for i := range 20 { // block the attacker's address
		r.loginAt(r.base(0), "nobody"+strconv.Itoa(i), "guess", "203.0.113.66")
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
	if got := r.loginAt(r.base(0), "front_desk", apiPassword, "198.51.100.7"); got.Status != http.StatusTooManyRequests {
		t.Errorf("after the flood, front_desk from the locked client: %d, want still 429", got.Status)
	}
}

func TestIPv6AddressesOfOneSlash64ShareOneAllowance(t *testing.T) {
	r := startReplicas(t)
	refusedAt := 0
	for i := range 40 {
		ip := fmt.Sprintf("2001:db8::%x", i+2)
		if got := r.loginAt(r.base(i), "nobody"+strconv.Itoa(i), "guess", ip); got.Status == http.StatusTooManyRequests {
			refusedAt = i + 1
			break
		}
	}
	if refusedAt != 21 {
		t.Errorf("the /64 was refused at attempt %d, want 21 (20 failures per client)", refusedAt)
	}
	if got := r.loginAt(r.base(0), "nobody", "guess", "2001:db8:0:1::2"); got.Status != http.StatusUnauthorized {
		t.Errorf("another /64: %d, want 401", got.Status)
	}
}
