package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestStoppingRedisMidRunKeepsEveryRouteAnsweringAndShowsOnTheGauge(t *testing.T) {
	r := startReplicas(t)
	r.withPatient()
	token := r.token("front_desk")
	for i := range 2 {
		if v := storeUp(t, r.base(i)); v != "1" {
			t.Fatalf("replica %d: smsbridge_coordination_store_up = %s before the outage, want 1", i, v)
		}
	}
	r.redis.Stop()
	client := &http.Client{Timeout: twilioTotal}

	for i := range 2 {
		t.Run("replica "+string(rune('0'+i)), func(t *testing.T) {
			base := r.base(i)
			if got := r.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Is parking free?"}, i); got.Status != http.StatusOK {
				t.Errorf("inbound SMS: %d, want 200", got.Status)
			}
			id := "outage-" + string(rune('a'+i))
			r.write(adminReply(id, "Yes, parking is free for patients"))
			if s := r.deliverAt(client, base, id, 1); s != http.StatusOK {
				t.Errorf("chat reply: %d, want 200", s)
			}
			sent := r.twilio.MessagesTo(patient)
			if len(sent) != i+1 {
				t.Fatalf("%d SMS sent, want %d", len(sent), i+1)
			}
			if s := r.statusAt(client, base, id, sent[i].Sid, "delivered"); s != http.StatusOK {
				t.Errorf("status callback: %d, want 200", s)
			}
			if m, _ := r.stream.Message(id); m.Custom["sms_status"] != "delivered" {
				t.Errorf("reply marks = %v, want delivered", m.Custom)
			}
			if got := r.loginFrom(base, "dr_lee", "wrong", "198.51.100.9"); got.Status != http.StatusUnauthorized {
				t.Errorf("wrong password: %d, want 401", got.Status)
			}
			if got := r.loginFrom(base, "dr_lee", apiPassword, "198.51.100.9"); got.Status != http.StatusOK {
				t.Errorf("right password: %d, want 200", got.Status)
			}
			// Its key's first answer may be in the Redis nobody can read:
			// refused, rather than maybe sent twice.
			if got := r.remindOn(base, token, "outage-key-"+string(rune('a'+i))); got.Status != http.StatusServiceUnavailable ||
				!strings.Contains(got.Body, `"store_unavailable"`) || got.Header.Get("Retry-After") == "" {
				t.Errorf("reminder with an Idempotency-Key: %d %s, want 503 store_unavailable with Retry-After", got.Status, got.Body)
			}
			if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("/readyz during the outage: %v %v, want 200", resp, err)
			} else {
				resp.Body.Close()
			}
			if v := storeUp(t, base); v != "0" {
				t.Errorf("smsbridge_coordination_store_up = %s during the outage, want 0", v)
			}
		})
	}
	if sent := r.twilio.MessagesTo("+12015550142"); len(sent) != 0 {
		t.Errorf("%d reminders sent with Redis down, want none", len(sent))
	}
	// Dozens of store calls failed; each replica warned once (one line a minute).
	if n := strings.Count(r.logs.String(), "coordination store (Redis) unreachable"); n != 2 {
		t.Errorf("%d warning lines over two replicas, want one each", n)
	}
}
