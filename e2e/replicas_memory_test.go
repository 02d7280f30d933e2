package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// redisUse is what smsbridge's keys take in a redis-server: their number,
// the sum of MEMORY USAGE over them, and INFO's used_memory.
type redisUse struct {
	keys, bytes, used int64
	byKind            map[string][2]int64 // kind (the key up to its second ':') -> count, bytes
}

func measureRedis(t *testing.T, c *redis.Client) redisUse {
	t.Helper()
	ctx := t.Context()
	keys, err := c.Keys(ctx, "smsbridge:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	u := redisUse{keys: int64(len(keys)), byKind: map[string][2]int64{}}
	for _, k := range keys {
		n, err := c.MemoryUsage(ctx, k).Result()
		if err != nil {
			continue // expired meanwhile
		}
		parts := strings.SplitN(k, ":", 3)
		kind := parts[0] + ":" + parts[1]
		v := u.byKind[kind]
		u.byKind[kind] = [2]int64{v[0] + 1, v[1] + n}
		u.bytes += n
	}
	u.used, _ = strconv.ParseInt(c.InfoMap(ctx, "memory").Item("Memory", "used_memory"), 10, 64)
	return u
}

func (u redisUse) minus(before redisUse) string {
	var kinds []string
	for k, v := range u.byKind {
		if b := before.byKind[k]; v[0] != b[0] {
			kinds = append(kinds, fmt.Sprintf("%s %d keys %d B", k, v[0]-b[0], v[1]-b[1]))
		}
	}
	sort.Strings(kinds)
	return strings.Join(kinds, "; ")
}

// The figures docs/replicas.md sizes the shipped Redis's maxmemory from:
// what each kind of request leaves in Redis, measured over a few hundred of
// each on two replicas (go test -v -run RedisHolds ./e2e prints them).
func TestRedisHoldsUnder1KBPerRequest(t *testing.T) {
	rs := redistest.Start(t)
	opts := []option{withRedis(rs), withEnv("REMINDERS_PER_MINUTE", "100000"), withEnv("REMINDER_BURST", "100000")}
	a := startAPI(t, opts...)
	a.startInstance(append([]option{withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash)}, opts...)...)
	assertTwiMLOK(t, a.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hi, this is the patient"}))
	token := a.token("front_desk")
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	const n = 200
	replies := len(a.twilio.MessagesTo(patient))
	for _, phase := range []struct {
		name string
		one  func(i int)
	}{
		{"a reminder with a 36-character Idempotency-Key", func(i int) {
			if r := send(a.remindAt(a.urls[i%2], token, fmt.Sprintf("7c9e6679-7425-40de-944b-%012d", i))); r.status != http.StatusOK {
				t.Fatalf("reminder %d: %d %s", i, r.status, r.body)
			}
		}},
		{"a patient's SMS", func(i int) {
			assertTwiMLOK(t, a.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Thanks, see you then"}, i%2))
		}},
		{"a chat reply sent as SMS, with sent and delivered callbacks", func(i int) {
			id := fmt.Sprintf("reply-size-%d", i)
			a.write(adminReply(id, "Your results are ready to pick up"))
			if r := send(a.messageNew(a.urls[i%2], id, 1)); r.status != http.StatusOK {
				t.Fatalf("reply %d: %d %s", i, r.status, r.body)
			}
			replies++
			sid := waitForSid(t, a.harness, replies)
			for _, s := range []string{"sent", "delivered"} {
				if r := send(a.callback(a.urls[(i+1)%2], id, sid, s)); r.status != http.StatusOK {
					t.Fatalf("callback %s of reply %d: %d", s, i, r.status)
				}
			}
		}},
	} {
		before := measureRedis(t, c)
		for i := range n {
			phase.one(i)
		}
		after := measureRedis(t, c)
		perKey := float64(after.bytes-before.bytes) / float64(max(after.keys-before.keys, 1))
		perRequest := float64(after.bytes-before.bytes) / n
		t.Logf("%s: %.1f keys, %.0f B of keys (%.0f B a key), %.0f B of used_memory per request; %s",
			phase.name, float64(after.keys-before.keys)/n, perRequest, perKey, float64(after.used-before.used)/n, after.minus(before))
		if perRequest > 1024 {
			t.Errorf("%s leaves %.0f B in Redis, over the 1 KB docs/replicas.md sizes maxmemory with", phase.name, perRequest)
		}
	}
}
