package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/redistest"
)

// TestThreeSameKeyRemindersWhileRedisRefusesWritesSendOneSMS is issue 27's
// finding 1: a Redis that answers reads and refuses writes (full under
// noeviction, or read-only during a failover). The first reminder's answer
// is kept in the replica's memory, and the replica reads its memory for
// the whole down period, so the repeats 3 s apart are replays.
func TestThreeSameKeyRemindersWhileRedisRefusesWritesSendOneSMS(t *testing.T) {
	for name, refuse := range map[string]func(*redistest.Server) error{
		"full (maxmemory 1, noeviction)": (*redistest.Server).Fill,
		"read-only (REPLICAOF)":          (*redistest.Server).ReadOnly,
	} {
		t.Run(name, func(t *testing.T) {
			r := startReplicas(t)
			r.withPatient()
			token := r.token("front_desk")
			base := r.base(0)
			if err := refuse(r.redis); err != nil {
				t.Fatal(err)
			}
			var sids []string
			for i := range 3 {
				if i > 0 {
					time.Sleep(3 * time.Second) // past the old 2 s retry, inside the 30 s down period
				}
				got := r.remindOn(base, token, "same-key-1")
				if got.Status != http.StatusOK {
					t.Fatalf("reminder %d: %d %s, want 200", i+1, got.Status, got.Body)
				}
				if replayed := got.Header.Get("Idempotent-Replayed") == "true"; replayed != (i > 0) {
					t.Errorf("reminder %d: Idempotent-Replayed %q", i+1, got.Header.Get("Idempotent-Replayed"))
				}
				sids = append(sids, sidOf(got.Body))
			}
			if sent := r.twilio.MessagesTo("+12015550142"); len(sent) != 1 {
				t.Errorf("%d SMS sent for three reminders with one Idempotency-Key, want 1", len(sent))
			}
			if sids[0] == "" || sids[1] != sids[0] || sids[2] != sids[0] {
				t.Errorf("sids = %v, want the first one three times", sids)
			}
			if v := storeUp(t, base); v != "0" {
				t.Errorf("smsbridge_coordination_store_up = %s while Redis refuses writes, want 0", v)
			}
			logs := r.logs.String()
			if n := strings.Count(logs, "coordination store (Redis) unreachable"); n != 1 {
				t.Errorf("%d 'unreachable' lines, want 1", n)
			}
			if n := strings.Count(logs, "coordination store (Redis) failed a write"); n != 1 {
				t.Errorf("%d 'failed a write' lines, want 1 (at most one a minute)", n)
			}
			if strings.Contains(logs, "reachable again") {
				t.Error("the replica went back to a Redis that still refuses writes")
			}
			if n := writeErrors(t, base); n == "0" || n == "(absent)" {
				t.Errorf("smsbridge_coordination_store_write_errors_total = %s, want at least 1", n)
			}
		})
	}
}

// sidOf is the sid in a reminder's JSON answer.
func sidOf(body string) string {
	_, rest, ok := strings.Cut(body, `"sid":"`)
	if !ok {
		return ""
	}
	sid, _, _ := strings.Cut(rest, `"`)
	return sid
}
