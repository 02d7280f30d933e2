package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The soak's processes: the real `smsbridge serve` binary twice, Debian's
// redis-server, and a round-robin balancer in front of the replicas (what a
// Kubernetes Service does), which PUBLIC_URL names.

// freePort returns a port on 127.0.0.1 nobody listens on now.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port, nil
}

// buildBridge builds cmd/smsbridge (the deployed build: no sandbox tag)
// into dir and returns its path.
func buildBridge(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "smsbridge")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/smsbridge/smsbridge/cmd/smsbridge")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build smsbridge: %w", err)
	}
	return bin, nil
}

// replica is one `smsbridge serve` process, restartable on its port.
type replica struct {
	name, bin, port string
	env             []string
	log             *os.File
	mu              sync.Mutex
	cmd             *exec.Cmd
	exited          chan struct{}
}

func (r *replica) base() string { return "http://127.0.0.1:" + r.port }

// start runs the binary and waits until /readyz answers 200.
func (r *replica) start() error {
	r.mu.Lock()
	cmd := exec.Command(r.bin, "serve")
	cmd.Env = append(r.env, "PORT="+r.port)
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		r.mu.Unlock()
		return fmt.Errorf("%s: %w", r.name, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	r.cmd, r.exited = cmd, exited
	r.mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(r.base() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s: not ready within 20 s", r.name)
}

// signal sends sig and waits up to wait for the process to exit (SIGKILL
// after that).
func (r *replica) signal(sig syscall.Signal, wait time.Duration) {
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// redisProc is redis-server on a fixed port with an append-only file in
// dir, as an operator's Redis keeps its keys across a restart.
type redisProc struct {
	port   string
	dir    string
	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

func (r *redisProc) url() string { return "redis://127.0.0.1:" + r.port + "/0" }

func (r *redisProc) start() error {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return fmt.Errorf("the soak needs Debian's redis-server: %w", err)
	}
	cmd := exec.Command(path, "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", r.dir)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	r.mu.Lock()
	r.cmd, r.exited = cmd, exited
	r.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+r.port); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("redis-server not listening within 10 s")
}

func (r *redisProc) stop() {
	r.mu.Lock()
	cmd, exited := r.cmd, r.exited
	r.cmd = nil
	r.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		<-exited
	}
}

// balancer spreads requests over the replicas in turn, skipping one that
// refuses connections (killed), as a Service with readiness probes does.
type balancer struct {
	replicas []*replica
	next     atomic.Uint64
	srv      *http.Server
	addr     string
	ready    []atomic.Bool
	closed   atomic.Bool
}

func newBalancer(rs []*replica) (*balancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{replicas: rs, addr: "http://" + ln.Addr().String()}
	proxies := make([]*httputil.ReverseProxy, len(rs))
	for i, r := range rs {
		u, _ := url.Parse(r.base())
		proxies[i] = httputil.NewSingleHostReverseProxy(u)
		proxies[i].ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) {
			w.WriteHeader(http.StatusBadGateway)
		}
	}
	b.ready = make([]atomic.Bool, len(rs))
	b.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := b.next.Add(1)
		for k := range uint64(len(rs)) {
			if i := int((n + k) % uint64(len(rs))); b.ready[i].Load() {
				proxies[i].ServeHTTP(w, req)
				return
			}
		}
		w.WriteHeader(http.StatusServiceUnavailable) // no endpoint ready
	})}
	go func() { _ = b.srv.Serve(ln) }()
	go b.probe()
	return b, nil
}

// probe reads each replica's /readyz every 500 ms, as a readiness probe
// does: a replica that died or is draining stops getting requests.
func (b *balancer) probe() {
	client := &http.Client{Timeout: 400 * time.Millisecond}
	for {
		for i, r := range b.replicas {
			resp, err := client.Get(r.base() + "/readyz")
			ok := err == nil && resp.StatusCode == http.StatusOK
			if err == nil {
				resp.Body.Close()
			}
			b.ready[i].Store(ok)
		}
		if b.closed.Load() {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}
