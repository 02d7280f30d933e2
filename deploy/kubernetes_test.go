package deploy

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// objects is one rendered kustomization, decoded strictly into k8s.io/api
// types: a field the API does not know fails the test.
type objects struct {
	deployments  map[string]*appsv1.Deployment
	services     map[string]*corev1.Service
	pdbs         []*policyv1.PodDisruptionBudget
	hpas         []*autoscalingv2.HorizontalPodAutoscaler
	cronJobs     []*batchv1.CronJob
	netpols      []*networkingv1.NetworkPolicy
	secretsFound int
}

func render(t *testing.T, dir string) objects {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	o := objects{deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{}}
	for _, r := range m.Resources() {
		raw, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		var into any
		switch kind := r.GetKind(); kind {
		case "Deployment":
			d := &appsv1.Deployment{}
			into, o.deployments[r.GetName()] = d, d
		case "Service":
			s := &corev1.Service{}
			into, o.services[r.GetName()] = s, s
		case "PodDisruptionBudget":
			p := &policyv1.PodDisruptionBudget{}
			into, o.pdbs = p, append(o.pdbs, p)
		case "HorizontalPodAutoscaler":
			h := &autoscalingv2.HorizontalPodAutoscaler{}
			into, o.hpas = h, append(o.hpas, h)
		case "CronJob":
			c := &batchv1.CronJob{}
			into, o.cronJobs = c, append(o.cronJobs, c)
		case "NetworkPolicy":
			n := &networkingv1.NetworkPolicy{}
			into, o.netpols = n, append(o.netpols, n)
		case "Secret":
			o.secretsFound++
			into = &corev1.Secret{}
		default:
			t.Fatalf("%s renders a %s the tests do not know", dir, kind)
		}
		if err := yaml.UnmarshalStrict(raw, into); err != nil {
			t.Fatalf("%s %s does not decode strictly: %v", r.GetKind(), r.GetName(), err)
		}
	}
	return o
}

func TestTheBaseRunsTwoHardenedReplicasThatDrain(t *testing.T) {
	o := render(t, "kubernetes/base")
	d := o.deployments["smsbridge"]
	if d == nil || d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Fatalf("deployment = %+v, want 2 replicas", d)
	}
	pod := d.Spec.Template.Spec
	c := pod.Containers[0]
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" || p.HTTPGet.Port.String() != "http" {
		t.Errorf("readiness probe = %+v, want GET /readyz on http", p)
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		t.Errorf("liveness probe = %+v, want GET /healthz", p)
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports = %+v, want http 8080", c.Ports)
	}
	hardened(t, "smsbridge", pod, c)
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources = %+v, want CPU requests and a memory limit", c.Resources)
	}
	// The drain: SHUTDOWN_DELAY (serving, /readyz 503), then SIGTERM's
	// drain, plus any preStop hook, fit the grace period.
	need := shutdownDelay + deadlines.ShutdownGrace
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		need += time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if g := pod.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= need {
		t.Errorf("terminationGracePeriodSeconds = %v, want more than SHUTDOWN_DELAY + preStop + drain = %v", g, need)
	}
	if s := o.services["smsbridge"]; s == nil || s.Spec.Selector["app.kubernetes.io/name"] != "smsbridge" || s.Spec.Ports[0].TargetPort.String() != "http" {
		t.Errorf("service = %+v", s)
	}
	if len(o.pdbs) != 1 || o.pdbs[0].Spec.Selector.MatchLabels["app.kubernetes.io/name"] != "smsbridge" || o.pdbs[0].Spec.MinAvailable.IntValue() != 1 {
		t.Errorf("disruption budget = %+v, want minAvailable 1 over the pods", o.pdbs)
	}
	if len(o.hpas) != 1 || o.hpas[0].Spec.ScaleTargetRef.Kind != "Deployment" || o.hpas[0].Spec.ScaleTargetRef.Name != "smsbridge" ||
		*o.hpas[0].Spec.MinReplicas < 2 {
		t.Errorf("autoscaler = %+v, want it on the Deployment, at least 2", o.hpas)
	}
	if len(o.cronJobs) != 1 {
		t.Fatalf("cron jobs = %d, want the reconcile job", len(o.cronJobs))
	}
	job := o.cronJobs[0].Spec.JobTemplate.Spec.Template.Spec
	if args := job.Containers[0].Args; len(args) == 0 || args[0] != "reconcile" || o.cronJobs[0].Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("cron job runs %v (%s), want reconcile, never two at once", args, o.cronJobs[0].Spec.ConcurrencyPolicy)
	}
	hardened(t, "reconcile", job, job.Containers[0])
	if o.secretsFound != 0 {
		t.Error("the base renders a Secret: secrets are the operator's, not the repository's")
	}
}

func hardened(t *testing.T, name string, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	ps, cs := pod.SecurityContext, c.SecurityContext
	switch {
	case ps == nil || ps.RunAsNonRoot == nil || !*ps.RunAsNonRoot:
		t.Errorf("%s: pod may run as root", name)
	case ps.SeccompProfile == nil || ps.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
		t.Errorf("%s: no RuntimeDefault seccomp profile", name)
	case cs == nil || cs.ReadOnlyRootFilesystem == nil || !*cs.ReadOnlyRootFilesystem:
		t.Errorf("%s: root filesystem is writable", name)
	case cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation:
		t.Errorf("%s: privilege escalation allowed", name)
	case cs.Capabilities == nil || !slices.Contains(cs.Capabilities.Drop, "ALL"):
		t.Errorf("%s: capabilities not dropped", name)
	}
}

func TestTheRedisOverlayPointsServiceAndJobAtItsRedis(t *testing.T) {
	o := render(t, "kubernetes/overlays/redis")
	svc := o.services["smsbridge-redis"]
	if svc == nil || o.deployments["smsbridge-redis"] == nil {
		t.Fatal("the overlay has no Redis Deployment and Service")
	}
	// The password comes from the Secret, and Kubernetes expands it into
	// REDIS_URL from the entry before.
	want := "redis://:$(REDIS_PASSWORD)@" + svc.Name + ":" + strconv.Itoa(int(svc.Spec.Ports[0].Port)) + "/0"
	redis := o.deployments["smsbridge-redis"].Spec.Template.Spec
	hardened(t, "redis", redis, redis.Containers[0])
	for name, env := range map[string][]corev1.EnvVar{
		"service":       o.deployments["smsbridge"].Spec.Template.Spec.Containers[0].Env,
		"reconcile job": o.cronJobs[0].Spec.JobTemplate.Spec.Template.Spec.Containers[0].Env,
	} {
		pw := slices.IndexFunc(env, func(e corev1.EnvVar) bool { return e.Name == "REDIS_PASSWORD" && fromRedisSecret(e) })
		url := slices.IndexFunc(env, func(e corev1.EnvVar) bool { return e.Name == "REDIS_URL" && e.Value == want })
		if pw < 0 || url < pw {
			t.Errorf("the %s's env = %+v, want REDIS_PASSWORD from the Secret smsbridge-redis, then REDIS_URL=%s", name, env, want)
		}
	}
	if svc.Spec.Ports[0].Port != 6379 {
		t.Errorf("redis service port = %d", svc.Spec.Ports[0].Port)
	}
	if o.secretsFound != 0 {
		t.Error("the overlay renders a Secret: the Redis password is the operator's (redis-secret.example.yaml)")
	}
}

func fromRedisSecret(e corev1.EnvVar) bool {
	r := e.ValueFrom
	return r != nil && r.SecretKeyRef != nil && r.SecretKeyRef.Name == "smsbridge-redis" && r.SecretKeyRef.Key == "password"
}

// The review found the overlay's Redis evicting keys with a TTL (send
// claims among them) when full, without a password, open to every pod
// (issue 27 finding 2).
func TestTheOverlaysRedisNeverEvictsWantsItsPasswordAndAdmitsOnlyTheBridge(t *testing.T) {
	o := render(t, "kubernetes/overlays/redis")
	c := o.deployments["smsbridge-redis"].Spec.Template.Spec.Containers[0]
	script := strings.Join(append(slices.Clone(c.Command), c.Args...), " ")
	for _, want := range []string{"--maxmemory-policy noeviction", "--maxmemory 128mb", "requirepass $REDIS_PASSWORD", "exec redis-server -"} {
		if !strings.Contains(script, want) {
			t.Errorf("redis runs %q, want %q in it", script, want)
		}
	}
	if strings.Contains(script, "$(REDIS_PASSWORD)") {
		t.Error("the password is expanded onto redis-server's command line, where ps shows it")
	}
	if !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == "REDIS_PASSWORD" && fromRedisSecret(e) }) {
		t.Errorf("redis env = %+v, want REDIS_PASSWORD from the Secret smsbridge-redis", c.Env)
	}
	// maxmemory leaves room for Redis's own use inside the container's limit.
	if lim := c.Resources.Limits.Memory().Value(); lim < 128<<20*5/4 {
		t.Errorf("redis memory limit = %d B, want at least maxmemory 128 MB + 25%%", lim)
	}
	if len(o.netpols) != 1 {
		t.Fatalf("%d NetworkPolicies, want one for Redis", len(o.netpols))
	}
	np := o.netpols[0].Spec
	if np.PodSelector.MatchLabels["app.kubernetes.io/name"] != "smsbridge-redis" || !slices.Equal(np.PolicyTypes, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}) ||
		len(np.Ingress) != 1 {
		t.Fatalf("network policy = %+v, want ingress rules on the Redis pods", np)
	}
	var from []string
	for _, p := range np.Ingress[0].From {
		if p.PodSelector == nil || p.NamespaceSelector != nil || p.IPBlock != nil || len(p.PodSelector.MatchLabels) != 1 {
			t.Errorf("ingress from %+v, want the bridge's pods by label only", p)
			continue
		}
		from = append(from, p.PodSelector.MatchLabels["app.kubernetes.io/name"])
	}
	// The selected labels are those of the service's and the job's pods.
	pods := []string{o.deployments["smsbridge"].Spec.Template.Labels["app.kubernetes.io/name"],
		o.cronJobs[0].Spec.JobTemplate.Spec.Template.Labels["app.kubernetes.io/name"]}
	slices.Sort(from)
	slices.Sort(pods)
	if !slices.Equal(from, pods) {
		t.Errorf("redis admits pods %v, want exactly the bridge's %v", from, pods)
	}
	if ports := np.Ingress[0].Ports; len(ports) != 1 || ports[0].Port == nil || ports[0].Port.String() != "redis" {
		t.Errorf("ingress ports = %+v, want redis only", ports)
	}
}

func TestTheRedisSecretExampleHoldsAPlaceholder(t *testing.T) {
	raw, err := os.ReadFile("kubernetes/overlays/redis/redis-secret.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s corev1.Secret
	if err := yaml.UnmarshalStrict(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "smsbridge-redis" || len(s.StringData) != 1 || !placeholder(s.StringData["password"]) {
		t.Errorf("redis secret example = %+v, want smsbridge-redis with a placeholder password", s)
	}
}

func TestTheSecretExampleHoldsOnlyPlaceholdersOfKnownVariables(t *testing.T) {
	raw, err := os.ReadFile("kubernetes/base/secret.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s corev1.Secret
	if err := yaml.UnmarshalStrict(raw, &s); err != nil {
		t.Fatalf("secret.example.yaml: %v", err)
	}
	known := envExampleNames(t)
	for k, v := range s.StringData {
		if !known[k] {
			t.Errorf("%s is not a variable .env.example lists", k)
		}
		if !placeholder(v) {
			t.Errorf("%s = %q looks like a real value", k, v)
		}
	}
}

// placeholder reports whether v is obviously not a real secret.
func placeholder(v string) bool {
	for _, mark := range []string{"your-", "xxxx", "example.org", "<", "10.0.0.0/8"} {
		if strings.Contains(v, mark) {
			return true
		}
	}
	return false
}

// envExampleNames lists the variables .env.example documents.
func envExampleNames(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, _, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(name, "#") {
			names[name] = true
		}
	}
	return names
}
