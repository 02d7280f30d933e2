package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// proc is a running child: the bridge or the relay.
type proc struct {
	role    string
	base    string // http://addr of the system under test
	control string // http://addr of its stats endpoint
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	exited  chan error
}

// passThrough are the variables a child inherits, so runtime settings
// (GOGC, GOMAXPROCS...) can be tried on the bridge; nothing else of the
// parent's environment reaches it.
var passThrough = []string{"GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GODEBUG", "GOTRACEBACK"}

// startProc starts this binary as role with exactly env (plus the runtime
// variables above) and waits until it listens.
func startProc(role string, env map[string]string) (*proc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = childEnv(role, env)
	// The bridge's request logs go where a container's stdout would, but
	// nobody reads them here.
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	cmd.Stdout, cmd.Stderr = devnull, os.Stderr
	hsRead, hsWrite, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer hsRead.Close()
	cmd.ExtraFiles = []*os.File{hsWrite}
	p := &proc{role: role, cmd: cmd, exited: make(chan error, 1)}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		hsWrite.Close()
		return nil, err
	}
	err = cmd.Start()
	hsWrite.Close()
	if err != nil {
		return nil, err
	}
	go func() { p.exited <- cmd.Wait() }()
	hs, err := readHandshake(hsRead)
	if err != nil {
		p.stop()
		return nil, fmt.Errorf("%s: %w", role, err)
	}
	p.base, p.control = "http://"+hs.Addr, "http://"+hs.Control
	return p, nil
}

// childEnv is env, the role and the runtime variables of passThrough.
func childEnv(role string, env map[string]string) []string {
	out := []string{roleEnv + "=" + role}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	for _, k := range passThrough {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// stop closes the child's stdin, which makes it drain and exit (writing
// its CPU profile), and kills it if it has not exited within 15 s.
func (p *proc) stop() error {
	p.stdin.Close()
	select {
	case err := <-p.exited:
		return err
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within 15 s; killed", p.role)
	}
}

// stats reads the child's memory figures; gc asks it to collect first.
func (p *proc) stats(gc bool) (procStats, error) {
	u := p.control + "/stats"
	if gc {
		u += "?gc=1"
	}
	resp, err := http.Get(u)
	if err != nil {
		return procStats{}, err
	}
	defer resp.Body.Close()
	var st procStats
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// waitStatus polls GET path until it answers want, for up to 10 s.
func (p *proc) waitStatus(path string, want int) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(p.base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %s did not answer %d within 10 s", p.role, path, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
