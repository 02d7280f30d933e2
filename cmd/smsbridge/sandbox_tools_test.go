package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var settingsLine = regexp.MustCompile(`Settings:\s+(\S+\.env)`)

// TestTheCommandLineToolsRunAgainstTheSandboxWithItsEnvFile is the first
// hour of docs/batch.md, docs/reconcile.md and docs/doctor.md without an
// account: each command reads the sandbox's settings file and exits as the
// docs say, and the good row's reminder reaches the simulated phone.
func TestTheCommandLineToolsRunAgainstTheSandboxWithItsEnvFile(t *testing.T) {
	bin, err := sandboxBinary()
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	sandbox := exec.Command(bin, "dev", "-addr", "127.0.0.1:"+strconv.Itoa(port), "-log-format", "json")
	sandbox.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + t.TempDir()}
	stderr, err := sandbox.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sandbox.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sandbox.Process.Kill() }()
	banner := readBanner(t, stderr, 30*time.Second)
	m := settingsLine.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("banner = %q, want a Settings: line with the .env file", banner)
	}
	envFile := m[1]
	if fi, err := os.Stat(envFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("settings file %s: %v, mode %v; want 0600", envFile, err, fi.Mode())
	}

	csv := filepath.Join(t.TempDir(), "monday.csv")
	body := "Your appointment is on Monday at 10:00."
	if err := os.WriteFile(csv, []byte("phoneNumber,messageText\n(201) 555-0123,"+body+"\nnot a phone,"+body+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tool := func(want int, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // the file alone configures it
		var out, errs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Fatalf("smsbridge %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out.String(), errs.String())
		}
		if strings.Contains(out.String()+errs.String(), "+12015550123") {
			t.Errorf("smsbridge %v printed the patient's number", args)
		}
		return out.String()
	}
	// docs/batch.md: exit 1 when a row was refused; the other rows are sent.
	sum := tool(1, "remind", "--csv", csv, "-env-file", envFile)
	if !strings.Contains(sum, "invalid_phone") || !strings.Contains(sum, "2 rows: 1 sent") {
		t.Errorf("remind summary = %q, want row 2 refused invalid_phone and one sent", sum)
	}
	// docs/reconcile.md: exit 0 when nothing failed.
	tool(0, "reconcile", "--since", "1h", "-env-file", envFile)
	// docs/doctor.md: exit 0 when nothing fails (http PUBLIC_URL is a warning on this machine).
	if out := tool(0, "doctor", "-env-file", envFile); !strings.Contains(out, "twilio.") {
		t.Errorf("doctor output = %q, want its checks", out)
	}

	if !phoneShows(t, "http://127.0.0.1:"+strconv.Itoa(port), "+12015550123", body, 15*time.Second) {
		t.Error("the good row's reminder never reached the simulated phone")
	}
	stopAndWait(t, sandbox)
	if _, err := os.Stat(envFile); !os.IsNotExist(err) {
		t.Errorf("after the sandbox stopped, its settings file: %v; want it removed", err)
	}
}

// phoneShows polls the console's state until number's screen holds body.
func phoneShows(t *testing.T, base, number, body string, limit time.Duration) bool {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(base + "/dev/api/state")
		if err != nil {
			t.Fatal(err)
		}
		var state struct {
			Phones []struct {
				Number string `json:"number"`
				Texts  []struct {
					Mine bool   `json:"mine"`
					Body string `json:"body"`
				} `json:"texts"`
			} `json:"phones"`
		}
		err = json.NewDecoder(resp.Body).Decode(&state)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range state.Phones {
			for _, text := range p.Texts {
				if p.Number == number && !text.Mine && text.Body == body {
					return true
				}
			}
		}
	}
	return false
}
