package main

import "fmt"

// The targets for the bridge, judged on each run.
const (
	minRelayRatio = 0.7    // inbound steady state and outbound replies vs the relay
	minManyRatio  = 0.9    // many numbers vs one
	heapLimit     = 30e6   // bytes in use
	heapAfter     = 100000 // requests served before the heap is judged
)

func judge(results []ScenarioResult) []Target {
	by := map[string]ScenarioResult{}
	for _, r := range results {
		by[r.Name] = r
	}
	return append(inboundTargets(by), processTargets(results)...)
}

// inboundTargets judge the steady state: throughput against the relay and
// across numbers, and one Stream call per SMS.
func inboundTargets(by map[string]ScenarioResult) []Target {
	one, haveOne := by["inbound-1"]
	many, haveMany := by["inbound-many"]
	var ts []Target
	if haveOne {
		ts = append(ts, Target{Name: fmt.Sprintf("inbound steady state ≥ %.1f× the relay's requests/s", minRelayRatio),
			Measured: fmt.Sprintf("%.2f×", one.Ratio), Met: one.Ratio >= minRelayRatio, Judged: true})
	}
	for _, r := range []ScenarioResult{one, many} {
		if r.Name == "" {
			continue
		}
		b := r.Bridge
		ts = append(ts, Target{Name: "exactly 1.00 Stream call per SMS: " + r.Title,
			Measured: fmt.Sprintf("%.2f Stream, %.2f Twilio", b.StreamCalls, b.TwilioCalls),
			Met:      b.StreamCalls == 1 && b.TwilioCalls == 0, Judged: b.Requests > 0})
	}
	if out, ok := by["outbound"]; ok {
		ts = append(ts, Target{Name: fmt.Sprintf("outbound replies ≥ %.1f× a relay making the same upstream calls", minRelayRatio),
			Measured: fmt.Sprintf("%.2f×", out.Ratio), Met: out.Ratio >= minRelayRatio, Judged: true})
	}
	if haveOne && haveMany && one.Bridge.RPS > 0 && one.Ratio > 0 {
		// The two scenarios run a minute apart on a shared machine, so the
		// raw ratio carries the change in load between them. Each
		// scenario's own relay run (the relay does the same work whatever
		// the number) takes that out: the target is judged on the ratio of
		// the ratios.
		raw, fair := many.Bridge.RPS/one.Bridge.RPS, many.Ratio/one.Ratio
		ts = append(ts, Target{Name: fmt.Sprintf("many numbers ≥ %.1f× the 1-number requests/s (each against its own relay run)", minManyRatio),
			Measured: fmt.Sprintf("%.2f× (raw %.2f×)", fair, raw), Met: fair >= minManyRatio, Judged: true})
	}
	return ts
}

// processTargets judge the bridge process over the whole run: connections
// reused, and a heap that does not grow with patients or requests.
func processTargets(results []ScenarioResult) []Target {
	if len(results) == 0 {
		return nil
	}
	var ts []Target
	var conns int64
	last := results[0].Bridge
	for _, r := range results {
		conns += r.Bridge.NewConns
		if r.Bridge.ServedTotal > last.ServedTotal {
			last = r.Bridge
		}
	}
	ts = append(ts, Target{Name: "zero new upstream connections after warm-up",
		Measured: fmt.Sprintf("%d in %d scenarios", conns, len(results)), Met: conns == 0, Judged: true})
	ts = append(ts, Target{Name: fmt.Sprintf("heap in use < %s after %s requests", size(heapLimit), thousands(heapAfter)),
		Measured: fmt.Sprintf("%s after %s requests", size(float64(last.HeapInuse)), thousands(last.ServedTotal)),
		Met:      last.HeapInuse < heapLimit, Judged: last.ServedTotal >= heapAfter})
	return ts
}
