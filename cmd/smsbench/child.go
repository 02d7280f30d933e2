package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
)

// The systems under test run in child processes (this same binary, started
// with roleEnv set), so their allocations, heap and RSS are theirs alone and
// not mixed with the fakes' and the load generator's, and the bridge runs
// as it does in production: its own process, config read from its
// environment by config.Load, logs written to stdout.
const (
	roleEnv       = "SMSBENCH_ROLE"       // "bridge" or "relay"
	profileEnv    = "SMSBENCH_CPUPROFILE" // where the child writes its CPU profile
	memProfileEnv = "SMSBENCH_MEMPROFILE" // where it writes its allocation profile on exit
	relayChanEnv  = "SMSBENCH_RELAY_CHAN" // the channel the relay posts into
	roleBridge    = "bridge"
	roleRelay     = "relay"
	handshakeFD   = 3 // the child reports its addresses on this pipe
	handshakeWait = 15 * time.Second
)

// handshake is the line a child writes once it listens.
type handshake struct {
	Addr    string `json:"addr"`    // the system under test
	Control string `json:"control"` // the stats endpoint
}

// procStats is what a child reports about itself.
type procStats struct {
	TotalAlloc uint64 `json:"total_alloc"` // bytes allocated since start
	Mallocs    uint64 `json:"mallocs"`
	HeapInuse  uint64 `json:"heap_inuse"`
	RSS        uint64 `json:"rss"` // 0 where /proc is missing
	NumGC      uint32 `json:"num_gc"`
	CPU        int64  `json:"cpu_ns"` // user + system time since start
}

// runChild runs one system under test until its stdin closes (the parent
// stops it, or died). It returns the exit code.
func runChild(role string) int {
	if err := child(role); err != nil {
		fmt.Fprintf(os.Stderr, "smsbench %s: %v\n", role, err)
		return 1
	}
	return 0
}

func child(role string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ctl.Close()
	go func() { _ = http.Serve(ctl, http.HandlerFunc(serveStats)) }()

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop() }()

	if path := os.Getenv(profileEnv); path != "" {
		stopProfile, err := startProfile(path)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if path := os.Getenv(memProfileEnv); path != "" {
		defer writeAllocs(path)
	}
	hs, _ := json.Marshal(handshake{Addr: ln.Addr().String(), Control: ctl.Addr().String()})
	pipe := os.NewFile(handshakeFD, "handshake")
	if _, err := pipe.Write(append(hs, '\n')); err != nil {
		return fmt.Errorf("handshake: %w", err)
	}
	pipe.Close()

	switch role {
	case roleBridge:
		return serveBridge(ctx, ln)
	case roleRelay:
		return serveRelay(ctx, ln)
	}
	return fmt.Errorf("unknown role %q", role)
}

// serveBridge is `smsbridge serve` minus signals: config.Load, app.New and
// App.Serve, logging JSON lines to stdout.
func serveBridge(ctx context.Context, ln net.Listener) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	a, err := app.New(cfg, app.NewLogger(cfg, os.Stdout))
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln)
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeAllocs writes the allocation profile (every allocation since start,
// sampled): go tool pprof -sample_index=alloc_space.
func writeAllocs(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "smsbench:", err)
		return
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, "smsbench:", err)
	}
}

// serveStats answers GET /stats; ?gc=1 collects garbage first, so heap in
// use is what the process keeps, not what it has yet to free.
func serveStats(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("gc") == "1" {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := procStats{TotalAlloc: ms.TotalAlloc, Mallocs: ms.Mallocs, HeapInuse: ms.HeapInuse,
		RSS: rss(), NumGC: ms.NumGC, CPU: cpuTime()}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(st)
}

// cpuTime is the process's user and system CPU time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// rss reads the resident set size from /proc/self/statm (Linux).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// readHandshake waits for a child's first line.
func readHandshake(r io.Reader) (handshake, error) {
	type result struct {
		hs  handshake
		err error
	}
	done := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(r).ReadBytes('\n')
		if err != nil {
			done <- result{err: errors.New("child exited before it listened")}
			return
		}
		var hs handshake
		done <- result{hs, json.Unmarshal(line, &hs)}
	}()
	select {
	case res := <-done:
		return res.hs, res.err
	case <-time.After(handshakeWait):
		return handshake{}, errors.New("child did not listen within 15 s")
	}
}
