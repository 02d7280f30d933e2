package main

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// TestMain lets the tests run this binary's main() in a child process: the
// child is the test binary itself with SMSBRIDGE_RUN_MAIN set.
func TestMain(m *testing.M) {
	if os.Getenv("SMSBRIDGE_RUN_MAIN") == "1" {
		os.Args = append([]string{"smsbridge"}, strings.Fields(os.Getenv("SMSBRIDGE_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const hash = "$2a$10$TLN1Z4WJJ7LTUiqEO5Mvm.9Pg4eI.lQiAswmDbDyJ7pgPiP646lu6"

func child(t *testing.T, args string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append([]string{"SMSBRIDGE_RUN_MAIN=1", "SMSBRIDGE_ARGS=" + args, "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

// configExit runs cmd, which must exit with exitConfig, and returns what it
// wrote to stderr.
func configExit(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitConfig {
		t.Fatalf("exit = %v, want %d\n%s", err, exitConfig, stderr.String())
	}
	return stderr.String()
}

func validEnv(streamURL, twilioURL string, port int) []string {
	return []string{
		"STREAM_API_KEY=key", "STREAM_API_SECRET=stream-secret-value", "STREAM_BASE_URL=" + streamURL,
		"TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN=twiliotokenvalue",
		"TWILIO_API_BASE_URL=" + twilioURL, "TWILIO_FROM_NUMBER=+12015550100",
		"PUBLIC_URL=https://smsbridge.example.org", "ADMIN_USERS=front_desk:" + hash, "PORT=" + strconv.Itoa(port), "LISTEN_HOST=127.0.0.1",
		"SHUTDOWN_DELAY=0s",
	}
}

func TestMissingSecretExits2NamingIt(t *testing.T) {
	env := validEnv("http://127.0.0.1:1", "http://127.0.0.1:1", 8080)
	for i, kv := range env {
		if strings.HasPrefix(kv, "STREAM_API_SECRET=") {
			env[i] = "STREAM_API_SECRET="
		}
	}
	cmd := child(t, "serve", env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 2 {
		t.Fatalf("exit = %v, want code 2", err)
	}
	out := stderr.String()
	if !strings.Contains(out, "STREAM_API_SECRET") || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("stderr = %q, want one line naming STREAM_API_SECRET", out)
	}
	if strings.Contains(out, "twiliotokenvalue") {
		t.Errorf("stderr prints a secret: %q", out)
	}
	if !strings.Contains(out, ".env.example") || !strings.Contains(out, sandboxCommand) {
		t.Errorf("stderr = %q, want it to point to .env.example and the sandbox", out)
	}
}

func TestAWeakAdminHashExits2NamingADMINUSERS(t *testing.T) {
	// bcrypt of "correct horse" at cost 4: guessable from a leaked
	// configuration 64 times faster than at cost 10.
	const weak = "$2a$04$2F1ZnGnPHo3tOgb3NL0dbuO4Ydy14qhlrpk4wqwP0XZ4bTPGUY7DW"
	env := validEnv("http://127.0.0.1:1", "http://127.0.0.1:1", 8080)
	for i, kv := range env {
		if strings.HasPrefix(kv, "ADMIN_USERS=") {
			env[i] = "ADMIN_USERS=front_desk:" + weak
		}
	}
	cmd := child(t, "serve", env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 {
		t.Fatalf("exit = %v, want code 2", err)
	}
	if out := stderr.String(); !strings.Contains(out, "ADMIN_USERS") || !strings.Contains(out, "cost") || strings.Contains(out, weak) {
		t.Errorf("stderr = %q, want ADMIN_USERS and the cost named, the hash not quoted", out)
	}
}

func TestSIGTERMDrainsAndExits0AndHealthcheckWorks(t *testing.T) {
	st := streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "stream-secret-value", Fail: t.Errorf})
	defer st.Close()
	st.AddChannelType("sms")
	tw := twiliotest.NewServer(twiliotest.Options{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "twiliotokenvalue", Fail: t.Errorf})
	defer tw.Close()
	port := freePort(t)

	cmd := child(t, "serve", validEnv(st.URL(), tw.URL(), port)...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitFor(t, base+"/readyz")

	hc := child(t, "healthcheck", "PORT="+strconv.Itoa(port))
	if err := hc.Run(); err != nil {
		t.Errorf("healthcheck against a serving instance: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM = %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("no exit within 15 s of SIGTERM")
	}
	if !strings.Contains(stdout.String(), `"message":"stopped"`) {
		t.Errorf("no clean stop logged: %s", stdout.String())
	}
	if err := child(t, "healthcheck", "PORT="+strconv.Itoa(port)).Run(); err == nil {
		t.Error("healthcheck passed with nothing listening")
	}
}

func TestAfterSIGTERMReadyzAnswers503ForSHUTDOWNDELAYAndMetricsLiveOnlyOnMETRICSADDR(t *testing.T) {
	st := streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "stream-secret-value", Fail: t.Errorf})
	defer st.Close()
	st.AddChannelType("sms")
	tw := twiliotest.NewServer(twiliotest.Options{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "twiliotokenvalue", Fail: t.Errorf})
	defer tw.Close()
	port, metricsPort := freePort(t), freePort(t)
	metricsAddr := "127.0.0.1:" + strconv.Itoa(metricsPort)
	cmd := child(t, "serve", append(validEnv(st.URL(), tw.URL(), port), "SHUTDOWN_DELAY=3s", "METRICS_ADDR="+metricsAddr)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitFor(t, base+"/readyz")

	if code := statusOf(t, base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics on the public port = %d, want 404", code)
	}
	if code := statusOf(t, "http://"+metricsAddr+"/metrics"); code != http.StatusOK {
		t.Errorf("/metrics on METRICS_ADDR = %d, want 200", code)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The load balancer polls /readyz: within the delay it must get an
	// answer, 503, not a refused connection.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatalf("readyz during SHUTDOWN_DELAY: %v (the listener closed at once)", err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := statusOf(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("readyz after SIGTERM = %d, want 503", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit = %v, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after the delay")
	}
}

func statusOf(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestVersion(t *testing.T) {
	out, err := child(t, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "smsbridge ") {
		t.Errorf("version = %q, %v", out, err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s not ready", url)
}

func TestHashPasswordPrintsABcryptHashOfTheFirstLine(t *testing.T) {
	for _, tc := range []struct{ name, stdin string }{
		{"a password piped with a newline", "correct horse battery\n"},
		{"a password piped without one (echo -n)", "correct horse battery"},
		{"a password with a Windows line ending", "correct horse battery\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := child(t, "hash-password")
			cmd.Stdin = strings.NewReader(tc.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("exit = %v, stderr %q", err, stderr.String())
			}
			hash := strings.TrimSpace(stdout.String())
			if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte("correct horse battery")); err != nil {
				t.Errorf("output %q is not a hash of the password: %v", hash, err)
			}
			if cost, _ := bcrypt.Cost([]byte(hash)); cost < 12 {
				t.Errorf("cost = %d, want at least 12", cost)
			}
			if strings.Contains(stdout.String()+stderr.String(), "horse") {
				t.Errorf("the password was printed")
			}
		})
	}
}

func TestHashPasswordRefusesAPasswordShorterThan12Characters(t *testing.T) {
	for _, tc := range []struct{ name, stdin string }{
		{"an empty password", "\n"},
		{"one character", "x\n"},
		{"11 characters", "abcdefghijk\n"},
		{"11 characters and spaces around them", "  abcdefghijk  \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := child(t, "hash-password")
			cmd.Stdin = strings.NewReader(tc.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 || stdout.Len() != 0 {
				t.Errorf("exit = %v, stdout %q; want code 2 and no hash", err, stdout.String())
			}
			if tc.stdin != "\n" && !strings.Contains(stderr.String(), "12") {
				t.Errorf("stderr = %q, want the minimum named", stderr.String())
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a child's writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAStartUpThatCannotReachStreamNamesTheHostTheCauseAndWhatToCheck(t *testing.T) {
	dead := "127.0.0.1:" + strconv.Itoa(freePort(t)) // nothing listens there
	cmd := child(t, "serve", validEnv("http://"+dead, "http://127.0.0.1:1", freePort(t))...)
	var logs syncBuffer
	cmd.Stdout = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(logs.String(), `"check":`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	out := logs.String()
	for _, want := range []string{`"stream_host":"` + dead + `"`, "connection refused", `"retry_in_ms":250,`, `"check":"nothing answers at the Stream address: check STREAM_BASE_URL`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	stopAndWait(t, cmd)
}

func TestABadReminderTemplatesFileExits2NamingTheProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "templates.yaml")
	if err := os.WriteFile(path, []byte("templates:\n  - name: day-before\n    txt: See you\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := configExit(t, child(t, "serve", append(validEnv("http://127.0.0.1:1", "http://127.0.0.1:1", 8080), "REMINDER_TEMPLATES="+path)...))
	if !strings.Contains(out, "REMINDER_TEMPLATES (not a template file: line 3: unknown key txt") {
		t.Errorf("stderr = %q, want REMINDER_TEMPLATES and the line named", out)
	}
}
