// Package redistest starts a real redis-server (Debian's package) for
// tests, on 127.0.0.1 and a free port, with nothing written to disk. A test
// without redis-server is skipped, except under CI, where it fails: .ci/run
// installs it. Only tests import this package.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	Addr string
	cmd  *exec.Cmd
}

// URL is the server's REDIS_URL.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Start starts a redis-server for t and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" {
			t.Fatalf("CI is set but redis-server is not installed (.ci/run installs Debian's redis-server): %v", err)
		}
		t.Skip("redis-server is not installed: apt-get install redis-server to run this test (CI does)")
	}
	for range 5 { // a free port can be taken between the probe and the start
		s, err := start(t, path)
		if err == nil {
			return s
		}
		t.Logf("redis-server: %v; trying another port", err)
	}
	t.Fatal("redis-server did not start")
	return nil
}

func start(t testing.TB, path string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	// #nosec G204 -- path is exec.LookPath("redis-server"); the arguments are this function's own.
	cmd := exec.Command(path, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "",
		"--appendonly", "no", "--dir", t.TempDir(), "--protected-mode", "yes")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if !ok && strings.Contains(sc.Text(), "Ready to accept connections") {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			_ = cmd.Wait()
			return nil, fmt.Errorf("exited before it was ready on port %d", port)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("not ready within 10 s on port %d", port)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd}
	t.Cleanup(s.Stop)
	return s, nil
}

// Stop stops the server; it is safe to call more than once.
func (s *Server) Stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// Pause freezes the server (SIGSTOP): it keeps its connections and its
// port but answers nothing, as a Redis behind a network partition or in a
// long stall does. Resume lets it go on; Stop works on a paused server.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume undoes Pause.
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }
