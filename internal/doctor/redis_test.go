package doctor

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/redistest"
)

func redisDoctor(t *testing.T, url string) *Doctor {
	t.Helper()
	r, err := coord.NewRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &Doctor{Redis: r}
}

func TestDoctorWarnsWhenTheRedisItReachesEvictsKeys(t *testing.T) {
	srv := redistest.Start(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer admin.Close()
	ctx := t.Context()
	d := redisDoctor(t, srv.URL())
	set := func(k, v string) {
		t.Helper()
		if err := admin.ConfigSet(ctx, k, v).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if r := d.redisCheck(ctx); r.Status != StatusInfo || !strings.Contains(r.Found, "no maxmemory") {
		t.Errorf("noeviction without maxmemory: %+v, want info", r)
	}
	set("maxmemory", "128mb")
	if r := d.redisCheck(ctx); r.Status != StatusOK || !strings.Contains(r.Found, "noeviction, maxmemory 128 MB") {
		t.Errorf("noeviction with 128 MB: %+v, want ok", r)
	}
	for _, policy := range []string{"allkeys-lru", "volatile-ttl", "volatile-lru", "allkeys-random"} {
		set("maxmemory-policy", policy)
		r := d.redisCheck(ctx)
		if r.ID != IDRedisEviction || r.Status != StatusWarn || !strings.Contains(r.Found, "maxmemory-policy "+policy) ||
			!strings.Contains(r.Fix, "noeviction") {
			t.Errorf("%s: %+v, want a warning naming it and the fix", policy, r)
		}
	}
}

func TestDoctorSaysSoWhenRedisRefusesCONFIGWithoutFailing(t *testing.T) {
	srv := redistest.Start(t)
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer admin.Close()
	// As a managed Redis does: the bridge's user may not run CONFIG.
	if err := admin.Do(t.Context(), "ACL", "SETUSER", "bridge", "on", ">bridge-password-0123", "~*", "+@all", "-config").Err(); err != nil {
		t.Fatal(err)
	}
	d := redisDoctor(t, "redis://bridge:bridge-password-0123@"+srv.Addr+"/0")
	r := d.redisCheck(t.Context())
	if r.Status != StatusWarn || !strings.Contains(r.Found, "could not read") || !strings.Contains(r.Fix, "noeviction") {
		t.Errorf("CONFIG refused: %+v, want a warning saying so", r)
	}
	if strings.Contains(r.Found+r.Fix, "bridge-password-0123") {
		t.Errorf("the result shows REDIS_URL's password: %+v", r)
	}
}

func TestDoctorWarnsWhenRedisDoesNotAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := redisDoctor(t, "redis://:secret-pw-77@"+addr+"/0").redisCheck(context.Background())
	if r.Status != StatusWarn || strings.Contains(r.Found, "secret-pw-77") {
		t.Errorf("closed port: %+v, want a warning without the password", r)
	}
}
