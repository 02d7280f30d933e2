package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Report is everything one run measured; -json prints it as is.
type Report struct {
	Machine     string           `json:"machine"`
	Duration    string           `json:"duration"` // measured time per system and scenario
	Warmup      string           `json:"warmup"`
	Concurrency int              `json:"concurrency"`
	Numbers     int              `json:"numbers"`
	Scenarios   []ScenarioResult `json:"scenarios"`
	Skipped     []string         `json:"skipped,omitempty"` // scenarios left out, and why
	Lifecycles  []Lifecycle      `json:"lifecycles"`        // Stream calls per SMS lifecycle
	Targets     []Target         `json:"targets"`
	Errors      []string         `json:"errors,omitempty"`
}

// ScenarioResult is one table: the relay and the bridge under the same load.
type ScenarioResult struct {
	Name       string  `json:"name"`
	Title      string  `json:"title"`
	RelayCalls string  `json:"relay_calls"` // what the relay does per request
	Relay      Row     `json:"relay"`
	Bridge     Row     `json:"smsbridge"`
	Ratio      float64 `json:"ratio"` // bridge requests/s over relay requests/s
}

// Row is one system's figures in one scenario.
type Row struct {
	System      string  `json:"system"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"` // failed requests, warm-up included
	FirstError  string  `json:"first_error,omitempty"`
	Seconds     float64 `json:"seconds"`
	RPS         float64 `json:"requests_per_second"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	StreamCalls float64 `json:"stream_calls_per_request"`
	TwilioCalls float64 `json:"twilio_calls_per_request"`
	NewConns    int64   `json:"new_upstream_connections"` // after warm-up
	AllocBytes  float64 `json:"alloc_bytes_per_request"`
	Allocs      float64 `json:"allocs_per_request"`
	CPU         float64 `json:"cpu_us_per_request"`         // the system's own CPU time
	HarnessCPU  float64 `json:"harness_cpu_us_per_request"` // the fakes' and the load generator's`
	HeapInuse   uint64  `json:"heap_inuse_bytes"`           // after the run, after a GC
	RSS         uint64  `json:"rss_bytes"`
	ServedTotal int64   `json:"served_total"` // requests the process has served since it started
}

// Target is one of the targets, judged on this run.
type Target struct {
	Name     string `json:"name"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
	Judged   bool   `json:"judged"` // false: the run was too short or left the scenario out
}

func (r *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *Report) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "Machine: %s. Each system: %s warm-up, then %s measured; %d concurrent requests; %s patient numbers.\n",
		r.Machine, r.Warmup, r.Duration, r.Concurrency, thousands(int64(r.Numbers)))
	for _, s := range r.Scenarios {
		fmt.Fprintf(w, "\n### %s\n\n", s.Title)
		fmt.Fprintln(w, "| system | requests/s | p50 | p99 | upstream calls/req | new upstream conns | alloc/req | heap in use | RSS | × relay |")
		fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
		writeRow(w, s.Relay, "relay ("+s.RelayCalls+")", 1)
		writeRow(w, s.Bridge, "smsbridge", s.Ratio)
		fmt.Fprintf(w, "\nCPU per request: relay %.0f µs, smsbridge %.0f µs; fakes and load generator %.0f µs beside the relay, %.0f µs beside smsbridge.\n",
			s.Relay.CPU, s.Bridge.CPU, s.Relay.HarnessCPU, s.Bridge.HarnessCPU)
		for _, row := range []Row{s.Relay, s.Bridge} {
			if row.Errors > 0 {
				fmt.Fprintf(w, "\n%s: %s failed requests (first: %s)\n", row.System, thousands(row.Errors), row.FirstError)
			}
		}
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "\nLeft out: %s\n", s)
	}
	writeLifecycles(w, r.Lifecycles)
	if len(r.Targets) > 0 {
		fmt.Fprintln(w, "\n### Targets\n\n| target | measured | |\n|---|---|---|")
		for _, t := range r.Targets {
			verdict := "met"
			switch {
			case !t.Judged:
				verdict = "not judged"
			case !t.Met:
				verdict = "**missed**"
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", t.Name, t.Measured, verdict)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "\nError: %s\n", e)
	}
}

func writeRow(w io.Writer, r Row, name string, ratio float64) {
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %d | %s (%.0f allocs) | %s | %s | %.2f |\n",
		name, thousands(int64(r.RPS+0.5)), msString(r.P50), msString(r.P99), calls(r),
		r.NewConns, size(r.AllocBytes), r.Allocs, size(float64(r.HeapInuse)), size(float64(r.RSS)), ratio)
}

// calls shows upstream calls per request, split by vendor when both occur.
func calls(r Row) string {
	switch {
	case r.TwilioCalls == 0:
		return fmt.Sprintf("%.2f", r.StreamCalls)
	case r.StreamCalls == 0:
		return fmt.Sprintf("%.2f Twilio", r.TwilioCalls)
	}
	return fmt.Sprintf("%.2f (%.2f Twilio + %.2f Stream)", r.StreamCalls+r.TwilioCalls, r.TwilioCalls, r.StreamCalls)
}

func msString(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.1f ms", v)
}

// size prints bytes in decimal units (kB, MB), as the targets are stated.
func size(b float64) string {
	switch {
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f kB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}

// thousands prints n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
