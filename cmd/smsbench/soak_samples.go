package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sample is the replicas' resources at one moment, summed over both.
type sample struct {
	at                         time.Duration
	rss, goroutines, fds, keys float64
}

// sampleResources reads both replicas' /metrics (process_resident_memory_bytes,
// go_goroutines, process_open_fds) and Redis's key count every 10 s.
func sampleResources(ctx context.Context, s *soak, wg *sync.WaitGroup) *[]sample {
	out := &[]sample{}
	start := time.Now()
	every(ctx, wg, sampleEvery, func(ctx context.Context) {
		sm := sample{at: time.Since(start), keys: redisKeys(ctx, s.redis.url())}
		for _, r := range s.replicas {
			m := scrape(r.base() + "/metrics")
			sm.rss += m["process_resident_memory_bytes"]
			sm.goroutines += m["go_goroutines"]
			sm.fds += m["process_open_fds"]
		}
		*out = append(*out, sm)
	})
	return out
}

// scrape reads the unlabelled gauges of a Prometheus text answer.
func scrape(url string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(url)
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] = v
		}
	}
	return out
}

// Growth limits: over the second half, the least-squares slope projected
// over an hour must stay under these (a flat series drifts a little with
// load; a leak grows without bound).
var growthLimits = []struct {
	name  string
	value func(sample) float64
	limit float64 // per hour
	unit  func(float64) string
}{
	{"RSS", func(s sample) float64 { return s.rss }, 64 << 20, func(v float64) string { return size(v) }},
	{"goroutines", func(s sample) float64 { return s.goroutines }, 200, func(v float64) string { return fmt.Sprintf("%.0f", v) }},
	{"open file descriptors", func(s sample) float64 { return s.fds }, 100, func(v float64) string { return fmt.Sprintf("%.0f", v) }},
	{"Redis keys", func(s sample) float64 { return s.keys }, 20000, func(v float64) string { return fmt.Sprintf("%.0f", v) }},
}

// minSlopeSamples is the fewest second-half samples a slope is judged on.
const minSlopeSamples = 15

// slopes judges each resource's growth over the second half of the run.
func slopes(samples []sample) []ledgerLine {
	half := samples[len(samples)/2:]
	var out []ledgerLine
	for _, g := range growthLimits {
		if len(half) < minSlopeSamples {
			// Under 5 minutes the half is a few samples, each beside a
			// fault: a slope there measures the faults, not a leak.
			out = append(out, ledgerLine{g.name + " flat over the second half",
				fmt.Sprintf("not judged: %d samples (runs of 5 minutes and more are)", len(half)), true})
			continue
		}
		perHour := slope(half, g.value) * 3600
		out = append(out, ledgerLine{
			name:     fmt.Sprintf("%s flat over the second half (slope < %s an hour)", g.name, g.unit(g.limit)),
			measured: fmt.Sprintf("%s an hour (%s → %s)", g.unit(perHour), g.unit(g.value(half[0])), g.unit(g.value(half[len(half)-1]))),
			met:      perHour < g.limit,
		})
	}
	return out
}

// slope is the least-squares slope of value over time, per second.
func slope(ss []sample, value func(sample) float64) float64 {
	var n, sx, sy, sxx, sxy float64
	for _, s := range ss {
		x, y := s.at.Seconds(), value(s)
		n++
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / den
}
