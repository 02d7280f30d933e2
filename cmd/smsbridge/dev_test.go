package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// banner matches what `smsbridge dev` prints for the person: the console's
// URL and the sandbox admin's password (made at start-up; it logs in any number of times).
var (
	consoleLine  = regexp.MustCompile(`Console:\s+(http://127\.0\.0\.1:\d+)/`)
	passwordLine = regexp.MustCompile(`Password:\s+(\S+)`)
)

// sandboxBinary builds smsbridge with the sandbox tag, as the README's
// sandbox command does, once per test run.
var sandboxBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "smsbridge-sandbox")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "smsbridge")
	out, err := exec.Command("go", "build", "-tags", "sandbox", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build -tags sandbox: %v\n%s", err, out)
	}
	return bin, nil
})

func TestDevPrintsTheConsoleAndTheLoginWithin20SecondsThenStopsCleanly(t *testing.T) {
	bin, err := sandboxBinary()
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "dev", "-addr", "127.0.0.1:"+strconv.Itoa(port), "-log-format", "json",
		"-cors-origin", "http://localhost:3000", "-cors-origin", "http://127.0.0.1:5173")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	banner := readBanner(t, stderr, 20*time.Second)
	url, password := consoleLine.FindStringSubmatch(banner), passwordLine.FindStringSubmatch(banner)
	if url == nil || password == nil || !strings.Contains(banner, "SANDBOX") || !strings.Contains(banner, "front_desk") {
		t.Fatalf("banner = %q, want the console URL, front_desk and a password", banner)
	}
	if !strings.Contains(banner, "CORS:      http://localhost:3000, http://127.0.0.1:5173") {
		t.Errorf("banner = %q, want both -cors-origin values", banner)
	}
	if url[1] != "http://127.0.0.1:"+strconv.Itoa(port) {
		t.Errorf("console URL = %s, want the port asked for", url[1])
	}
	resp, err := http.Get(url[1] + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("console: %v %v", resp, err)
	}
	resp.Body.Close()
	stopAndWait(t, cmd)
	if strings.Contains(stdout.String(), password[1]) {
		t.Error("the logs contain the admin password")
	}
}

// readBanner reads stderr until the banner's closing rule, within limit.
func readBanner(t *testing.T, r io.Reader, limit time.Duration) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	deadline := time.After(limit)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return strings.Join(got, "\n")
			}
			got = append(got, line)
			if strings.HasPrefix(line, "  Stop:") {
				go func() { // keep draining so the child never blocks on stderr
					for range lines {
					}
				}()
				return strings.Join(got, "\n")
			}
		case <-deadline:
			t.Fatalf("no banner within %v; got %q", limit, got)
		}
	}
}

// stopAndWait sends SIGTERM and expects exit 0 within 15 s (then it kills).
func stopAndWait(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	killer := time.AfterFunc(15*time.Second, func() { _ = cmd.Process.Kill() })
	defer killer.Stop()
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM = %v, want 0 within 15 s", err)
	}
}

func TestDevHelpAndBadFlagsInTheSandboxBuild(t *testing.T) {
	bin, err := sandboxBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"dev", "-h"}, 0, "-cors-origin"},
		{[]string{"dev", "--help"}, 0, "-addr"},
		{[]string{"help", "dev"}, 0, "-log-format"},
		{[]string{"dev", "-bogus"}, 2, "run 'smsbridge dev -h' for usage"},
		{[]string{"dev", "-log-format", "xml"}, 2, "-log-format must be console or json"},
		{[]string{"dev", "-cors-origin", "localhost:3000"}, 2, `-cors-origin "localhost:3000" is not an origin such as http://localhost:3000`},
		{[]string{"dev", "-cors-origin", "http://localhost:3000/app"}, 2, "is not an origin"},
	} {
		var out bytes.Buffer
		cmd := exec.Command(bin, tc.args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		}
		if code != tc.code || !strings.Contains(out.String(), tc.want) {
			t.Errorf("smsbridge %v: exit %d, output %q; want %d and %q", tc.args, code, out.String(), tc.code, tc.want)
		}
	}
}

func TestServeWithoutCredentialsExits2(t *testing.T) {
	err := child(t, "serve").Run() // an environment with PATH only
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 2 {
		t.Fatalf("exit = %v, want code 2", err)
	}
}

func TestServeExposesNoSandboxRoute(t *testing.T) {
	// No vendor is needed: routes answer while start-up checks still retry.
	port := freePort(t)
	cmd := child(t, "serve", validEnv("http://127.0.0.1:1", "http://127.0.0.1:1", port)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitFor(t, base+"/healthz")
	for _, path := range []string{"/", "/dev/api/state", "/dev/static/console.js", "/dev/api/text"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("serve answers GET %s with %d, want 404", path, resp.StatusCode)
		}
	}
	stopAndWait(t, cmd)
}
