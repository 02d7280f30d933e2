package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// bench runs scenarios against one world and collects their rows.
type bench struct {
	opts     options
	world    *world
	load     *loader
	served   map[*proc]int64 // requests each child has served so far
	progress io.Writer
	tty      bool
}

func newBench(o options, w *world, progress io.Writer) *bench {
	b := &bench{opts: o, world: w, load: newLoader(o.concurrency, new(atomic.Uint64)),
		served: map[*proc]int64{}, progress: progress}
	if f, ok := progress.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	return b
}

// tally adds up one system's measured slices.
type tally struct {
	system      string
	p           *proc
	plan        string // the relay's upstream calls
	hist        histogram
	requests    int64
	errors      int64
	firstError  string
	elapsed     time.Duration
	streamCalls int
	twilioCalls int
	conns       int64
	allocBytes  uint64
	mallocs     uint64
	cpu         time.Duration // the system's own CPU time
	harnessCPU  time.Duration // this process's: the fakes and the load generator
	last        procStats     // read after the last slice, after a GC
}

// run measures sc on the relay and on the bridge. The fakes forget earlier
// scenarios' messages first, so every scenario starts alike. Both systems
// are warmed up, then measured in alternating slices, so that a change in
// the machine's load (it is shared) weighs on both alike.
func (b *bench) run(ctx context.Context, sc scenario) (ScenarioResult, error) {
	b.world.forget()
	reqs, err := sc.prepare(b.world)
	if err != nil {
		return ScenarioResult{}, err
	}
	relay, bridge := &tally{system: "relay", p: b.world.relay}, &tally{system: "smsbridge", p: b.world.bridge}
	systems := []*tally{relay, bridge}
	relay.plan = planFor(b.warmUp(ctx, sc.name, bridge, reqs))
	b.warmUp(ctx, sc.name, relay, reqs)
	slice := b.opts.duration / time.Duration(b.opts.rounds)
	for round := range b.opts.rounds {
		for _, t := range systems {
			b.slice(ctx, sc.name, t, reqs, slice, round == b.opts.rounds-1)
		}
	}
	res := ScenarioResult{Name: sc.name, Title: sc.title, RelayCalls: describePlan(relay.plan),
		Relay: b.row(systems[0]), Bridge: b.row(systems[1])}
	if res.Relay.RPS > 0 {
		res.Ratio = res.Bridge.RPS / res.Relay.RPS
	}
	return res, ctx.Err()
}

// maxWarmups bounds how often warm-up is repeated while it still opens
// connections.
const maxWarmups = 3

// warmUp loads t's system until its connection pools are full: a warm-up
// run that opened no upstream connection, or maxWarmups runs. Go's pool
// puts a connection back shortly after its answer was read, so under a
// busy CPU a request sometimes finds none idle and dials one more; a
// longer warm-up gives the pool that slack before measuring. It returns
// the upstream calls per request of the last run.
func (b *bench) warmUp(ctx context.Context, scenario string, t *tally, reqs func() requestFunc) (stream, twilio float64) {
	for range maxWarmups {
		before := b.world.upstream()
		b.load.progress = b.reporter(scenario, t.system, "warm-up", b.opts.warmup)
		warm := b.load.run(ctx, t.p.base, t.plan, reqs, b.opts.warmup, &histogram{})
		after := b.world.upstream()
		b.served[t.p] += warm.requests
		t.errors += warm.errors
		if t.firstError == "" {
			t.firstError = warm.firstError
		}
		if n := float64(warm.requests); n > 0 {
			stream, twilio = float64(after.streamCalls-before.streamCalls)/n, float64(after.twilioCalls-before.twilioCalls)/n
		}
		if after.conns == before.conns || ctx.Err() != nil {
			break
		}
	}
	return stream, twilio
}

// planFor is the relay's plan for as many upstream calls per request as
// the bridge made: the relay then does the least work any bridge doing
// that job must do. (The targets hold the inbound steady state to exactly
// one Stream call, so the relay cannot hide a bridge making more.)
func planFor(stream, twilio float64) string {
	var steps []string
	for range int(math.Round(stream)) {
		steps = append(steps, "stream")
	}
	for range int(math.Round(twilio)) {
		steps = append(steps, "twilio")
	}
	return strings.Join(steps, ",")
}

// slice loads t's system for d. Counters and memory are read before and
// after, when no request is in flight, so calls and connections per
// request are exact.
func (b *bench) slice(ctx context.Context, scenario string, t *tally, reqs func() requestFunc, d time.Duration, last bool) {
	before, own0 := b.world.upstream(), cpuTime()
	st0, err := t.p.stats(false)
	b.load.progress = b.reporter(scenario, t.system, "measure", d)
	r := b.load.run(ctx, t.p.base, t.plan, reqs, d, &t.hist)
	st1, err1 := t.p.stats(last)
	after, own1 := b.world.upstream(), cpuTime()
	b.done(scenario, t.system, r)
	b.served[t.p] += r.requests
	t.requests += r.requests
	t.elapsed += r.elapsed
	t.errors += r.errors
	if t.firstError == "" {
		t.firstError = r.firstError
	}
	if err == nil {
		err = err1
	}
	if err != nil {
		t.errors++
		t.firstError = "stats: " + err.Error()
		return
	}
	t.streamCalls += after.streamCalls - before.streamCalls
	t.twilioCalls += after.twilioCalls - before.twilioCalls
	t.conns += after.conns - before.conns
	t.allocBytes += st1.TotalAlloc - st0.TotalAlloc
	t.mallocs += st1.Mallocs - st0.Mallocs
	t.cpu += time.Duration(st1.CPU - st0.CPU)
	t.harnessCPU += time.Duration(own1 - own0)
	t.last = st1
}

// row turns a tally into a table row.
func (b *bench) row(t *tally) Row {
	r := Row{System: t.system, Requests: t.requests, Errors: t.errors, FirstError: t.firstError,
		Seconds: t.elapsed.Seconds(), P50: ms(t.hist.quantile(0.50)), P99: ms(t.hist.quantile(0.99)),
		NewConns: t.conns, HeapInuse: t.last.HeapInuse, RSS: t.last.RSS, ServedTotal: b.served[t.p]}
	if t.elapsed > 0 {
		r.RPS = float64(t.requests) / t.elapsed.Seconds()
	}
	if t.requests > 0 {
		n := float64(t.requests)
		r.StreamCalls, r.TwilioCalls = float64(t.streamCalls)/n, float64(t.twilioCalls)/n
		r.AllocBytes, r.Allocs = float64(t.allocBytes)/n, float64(t.mallocs)/n
		r.CPU, r.HarnessCPU = us(t.cpu)/n, us(t.harnessCPU)/n
	}
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// describePlan says what the relay does: "1 Stream call", "1 Twilio + 1 Stream calls".
func describePlan(plan string) string {
	var stream, twilio int
	for step := range strings.SplitSeq(plan, ",") {
		switch step {
		case "stream":
			stream++
		case "twilio":
			twilio++
		}
	}
	var parts []string
	if twilio > 0 {
		parts = append(parts, fmt.Sprintf("%d Twilio", twilio))
	}
	if stream > 0 {
		parts = append(parts, fmt.Sprintf("%d Stream", stream))
	}
	noun := "call"
	if stream+twilio != 1 {
		noun = "calls"
	}
	return strings.Join(parts, " + ") + " " + noun
}
