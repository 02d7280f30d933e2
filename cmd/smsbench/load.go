package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// requestFunc builds the n-th request of a scenario for the system at base.
// Each load worker gets its own (newRequests is called once per worker), so
// it may keep scratch buffers.
type requestFunc func(base string, n uint64) (*http.Request, error)

// loadResult is what one bounded run of load measured.
type loadResult struct {
	requests, errors int64
	elapsed          time.Duration
	hist             *histogram
	firstError       string
}

// loader drives load with a fixed number of workers over a keep-alive pool
// sized for them.
type loader struct {
	client      *http.Client
	concurrency int
	seq         *atomic.Uint64 // request numbers, unique for the whole run
	progress    func(done int64, elapsed time.Duration)
}

func newLoader(concurrency int, seq *atomic.Uint64) *loader {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2 * concurrency
	t.MaxIdleConnsPerHost = concurrency
	t.DisableCompression = true
	return &loader{client: &http.Client{Timeout: 10 * time.Second, Transport: t},
		concurrency: concurrency, seq: seq}
}

// run sends requests from every worker until d has passed (or ctx ends), then
// waits for the requests in flight, so counters read afterwards are exact.
// Latencies go into hist. A non-empty plan is sent in planHeader (the
// relay's instructions).
func (l *loader) run(ctx context.Context, base, plan string, newRequests func() requestFunc, d time.Duration, hist *histogram) loadResult {
	res := loadResult{hist: hist}
	var done, failed atomic.Int64
	var once sync.Once
	start := time.Now()
	deadline := start.Add(d)
	stopProgress := l.report(&done, start)
	var wg sync.WaitGroup
	for range l.concurrency {
		build := newRequests()
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				err := l.one(build, base, plan)
				res.hist.record(time.Since(t0))
				done.Add(1)
				if err != nil {
					failed.Add(1)
					once.Do(func() { res.firstError = err.Error() })
				}
			}
		})
	}
	wg.Wait()
	stopProgress()
	res.elapsed = time.Since(start)
	res.requests, res.errors = done.Load(), failed.Load()
	return res
}

func (l *loader) one(build requestFunc, base, plan string) error {
	req, err := build(base, l.seq.Add(1))
	if err != nil {
		return err
	}
	if plan != "" {
		req.Header.Set(planHeader, plan)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", req.URL.Path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: status %d", req.URL.Path, resp.StatusCode)
	}
	return nil
}

// report calls l.progress every second until the returned func is called.
func (l *loader) report(done *atomic.Int64, start time.Time) func() {
	if l.progress == nil {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				l.progress(done.Load(), time.Since(start))
			}
		}
	}()
	return func() { close(stop); <-finished }
}
