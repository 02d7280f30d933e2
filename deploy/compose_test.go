package deploy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// loadCompose loads docker-compose.yml as docker compose does, with profiles.
func loadCompose(t *testing.T, profiles ...string) *types.Project {
	t.Helper()
	return loadComposeWith(t, types.Mapping{}, profiles...)
}

// loadComposeWith loads it with env as the variables the file interpolates
// (docker compose reads them from the shell and .env).
func loadComposeWith(t *testing.T, env types.Mapping, profiles ...string) *types.Project {
	t.Helper()
	p, err := loader.LoadWithContext(t.Context(), types.ConfigDetails{
		WorkingDir:  "..",
		ConfigFiles: []types.ConfigFile{{Filename: "../docker-compose.yml"}},
		Environment: env,
	}, func(o *loader.Options) {
		o.SetProjectName("smsbridge", true)
		o.Profiles = profiles
		o.SkipResolveEnvironment = true // .env is the operator's, not in the repository
	})
	if err != nil {
		t.Fatalf("docker-compose.yml with profiles %v: %v", profiles, err)
	}
	return p
}

func TestComposeRunsOneHardenedBridgeByDefault(t *testing.T) {
	p := loadCompose(t)
	if names := p.ServiceNames(); !slices.Equal(names, []string{"smsbridge"}) {
		t.Fatalf("default services = %v, want smsbridge alone", names)
	}
	composeHardened(t, p, "smsbridge")
	s := p.Services["smsbridge"]
	if len(s.Ports) != 1 || s.Ports[0].Target != 8080 || s.Ports[0].Published != "8080" {
		t.Errorf("ports = %+v, want 8080:8080", s.Ports)
	}
}

func TestTheReplicasProfileAddsASecondBridgeAndRedis(t *testing.T) {
	p := loadCompose(t, "replicas")
	names := p.ServiceNames()
	for _, want := range []string{"smsbridge", "smsbridge-2", "redis"} {
		if !slices.Contains(names, want) {
			t.Errorf("services = %v, want %s", names, want)
		}
	}
	composeHardened(t, p, "smsbridge-2")
	second := p.Services["smsbridge-2"]
	for _, name := range []string{"smsbridge", "smsbridge-2"} {
		// A bridge started before Redis answers runs without the shared store
		// (claims and limits per replica) until its first successful call.
		if dep, ok := p.Services[name].DependsOn["redis"]; !ok || dep.Condition != types.ServiceConditionHealthy {
			t.Errorf("%s depends on %+v, want redis healthy", name, p.Services[name].DependsOn)
		}
	}
	if second.Ports[0].Published == p.Services["smsbridge"].Ports[0].Published {
		t.Error("both replicas publish the same host port")
	}
	if r := p.Services["redis"]; r.HealthCheck == nil || !strings.Contains(strings.Join(r.Command, " "), "--save ''") || !r.ReadOnly {
		t.Errorf("redis = %+v, want a health check, no persistence, read-only", r)
	}
}

// The shipped Redis never evicts a claim, wants a password and is reached
// only on the project's network (issue 27 finding 2).
func TestComposesRedisNeverEvictsAndWantsThePasswordFromDotEnv(t *testing.T) {
	p := loadComposeWith(t, types.Mapping{"REDIS_PASSWORD": "pw-from-dot-env"}, "replicas")
	r := p.Services["redis"]
	script := strings.Join(r.Command, " ")
	for _, want := range []string{"--maxmemory-policy noeviction", "--maxmemory 128mb", "requirepass $REDIS_PASSWORD", "exec redis-server -"} {
		if !strings.Contains(script, want) {
			t.Errorf("redis runs %q, want %q in it", script, want)
		}
	}
	if strings.Contains(script, "pw-from-dot-env") {
		t.Error("the password is written into redis-server's command line, where ps shows it")
	}
	if pw := r.Environment["REDIS_PASSWORD"]; pw == nil || *pw != "pw-from-dot-env" {
		t.Errorf("redis environment = %v, want REDIS_PASSWORD from .env", r.Environment)
	}
	if test := strings.Join(r.HealthCheck.Test, " "); !strings.Contains(test, "REDISCLI_AUTH") || !strings.Contains(test, "PONG") {
		t.Errorf("health check %q does not authenticate: a Redis with a password answers a bare ping NOAUTH", test)
	}
	if len(r.Ports) != 0 {
		t.Errorf("redis publishes %+v: it is for the bridges on the project's network only", r.Ports)
	}
	// Without the password the default profile still loads: only the
	// replicas' Redis needs it, and it refuses to start without one.
	if !strings.Contains(script, `[ -n "$REDIS_PASSWORD" ] ||`) {
		t.Errorf("redis starts without a password: %q", script)
	}
}

// shutdownDelay is SHUTDOWN_DELAY's default (config.Config): on SIGTERM the
// bridge keeps serving, /readyz 503, this long before it drains.
const shutdownDelay = 5 * time.Second

func composeHardened(t *testing.T, p *types.Project, name string) {
	t.Helper()
	s := p.Services[name]
	if len(s.EnvFiles) != 1 || s.EnvFiles[0].Path == "" {
		t.Errorf("%s: env_file = %+v, want .env", name, s.EnvFiles)
	}
	if !s.ReadOnly || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
		t.Errorf("%s: read_only %v, security_opt %v", name, s.ReadOnly, s.SecurityOpt)
	}
	if s.HealthCheck == nil || !slices.Equal(s.HealthCheck.Test, types.HealthCheckTest{"CMD", "/smsbridge", "healthcheck"}) {
		t.Errorf("%s: health check = %+v", name, s.HealthCheck)
	}
	if s.Restart != "unless-stopped" {
		t.Errorf("%s: restart = %q", name, s.Restart)
	}
	// SIGTERM: /readyz answers 503 for SHUTDOWN_DELAY, then in-flight
	// requests drain.
	if s.StopGracePeriod == nil || time.Duration(*s.StopGracePeriod) <= shutdownDelay+deadlines.ShutdownGrace {
		t.Errorf("%s: stop_grace_period %v does not cover SHUTDOWN_DELAY %v + the %v drain", name, s.StopGracePeriod, shutdownDelay, deadlines.ShutdownGrace)
	}
}
