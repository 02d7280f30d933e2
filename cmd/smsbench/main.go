// Command smsbench measures smsbridge's speed and cost next to the physical
// ceiling. It starts the fake Stream and Twilio servers, the real bridge
// (config.Load, app.New and App.Serve, as `smsbridge serve` does) and a
// minimal relay that only makes the upstream calls any bridge must make,
// all on 127.0.0.1, then drives bounded load through each scenario and
// prints one markdown table per scenario (or JSON with -json).
//
// The bridge and the relay run as child processes (this binary again), so
// the allocations, heap and RSS reported are theirs alone.
//
// Usage:
//
//	go run ./cmd/smsbench [-duration 5s] [-concurrency 32] [-numbers 10000]
//	                      [-scenarios inbound-1,outbound] [-json] [-cpuprofile cpu.out]
//	go run ./cmd/smsbench soak [-duration 10m] [-bin ./smsbridge]
//
// soak runs two real `smsbridge serve` replicas with Redis under faults and
// checks a ledger (soak.go, docs/reliability.md).
//
// It is a development tool built on the test fakes (which production code
// must not import). Besides them it imports only app and config (to run
// the bridge as `smsbridge serve` does) and web (the relay's server); it
// must not import bridge or the hook packages: it sees the bridge over
// HTTP only, as Twilio and Stream do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

type options struct {
	duration, warmup time.Duration
	rounds           int
	concurrency      int
	numbers          int
	only             []string
	json             bool
	cpuprofile       string
	memprofile       string
}

func main() {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runChild(role))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit code: 0, 1 when anything
// failed (a request, a child, a fake's check), 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "soak" {
		return runSoak(args[1:], stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "smsbench:", err)
		return 2
	}
	all := scenarios(o.numbers)
	if len(o.only) > 0 {
		all = slices.DeleteFunc(all, func(s scenario) bool { return !slices.Contains(o.only, s.name) })
	}
	// Every phase stops by itself; this bounds a hung request or child too.
	limit := time.Duration(2*len(all))*(maxWarmups*o.warmup+o.duration) + 2*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	fmt.Fprintf(stderr, "smsbench: %d scenarios × 2 systems × (%v warm-up + %v): about %v (at most 3 warm-ups each)\n",
		len(all), o.warmup, o.duration, time.Duration(2*len(all))*(o.warmup+o.duration))

	rep, err := measureAll(ctx, o, all, stderr)
	if rep != nil {
		if o.json {
			_ = rep.writeJSON(stdout)
		} else {
			rep.writeMarkdown(stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "smsbench:", err)
		return 1
	}
	return 0
}

// measureAll builds the world, runs the scenarios, tears the world down and
// returns the report with every failure folded into one error.
func measureAll(ctx context.Context, o options, all []scenario, progress io.Writer) (*Report, error) {
	w, err := newWorld(o.numbers, o.cpuprofile, o.memprofile)
	if err != nil {
		return nil, err
	}
	rep := &Report{Machine: machine(), Duration: o.duration.String(), Warmup: o.warmup.String(),
		Concurrency: o.concurrency, Numbers: o.numbers}
	b := newBench(o, w, progress)
	var errs []error
	for _, sc := range all {
		res, err := b.run(ctx, sc)
		switch {
		case errors.Is(err, errSkip):
			rep.Skipped = append(rep.Skipped, sc.title+": "+err.Error())
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", sc.name, err))
			if res.Name == "" {
				continue
			}
		}
		rep.Scenarios = append(rep.Scenarios, res)
		errs = append(errs, failures(res)...)
	}
	lcs, err := measureLifecycles(w)
	rep.Lifecycles = lcs
	if err != nil {
		errs = append(errs, err)
	}
	if err := w.close(); err != nil {
		errs = append(errs, err)
	}
	if o.cpuprofile != "" {
		fmt.Fprintf(progress, "smsbench: the bridge's CPU profile is in %s (go tool pprof -top %s)\n", o.cpuprofile, o.cpuprofile)
	}
	if o.memprofile != "" {
		fmt.Fprintf(progress, "smsbench: its allocations are in %s (go tool pprof -sample_index=alloc_space -top %s)\n", o.memprofile, o.memprofile)
	}
	rep.Targets = append(judge(rep.Scenarios), lifecycleTargets(rep.Lifecycles)...)
	err = errors.Join(errs...)
	if err != nil {
		rep.Errors = strings.Split(err.Error(), "\n")
	}
	return rep, err
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var only string
	fs := flag.NewFlagSet("smsbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "measured time per system in each scenario")
	fs.DurationVar(&o.warmup, "warmup", 0, "load before measuring, to fill connection pools (default min(1s, duration/2))")
	fs.IntVar(&o.rounds, "rounds", 3, "alternate relay and bridge this many times, each measured for duration/rounds")
	fs.IntVar(&o.concurrency, "concurrency", 32, "requests in flight (1..128: the bridge's pools keep 128 connections per host)")
	fs.IntVar(&o.numbers, "numbers", 10000, "distinct patient numbers, seeded as existing channels")
	fs.StringVar(&only, "scenarios", "", "comma-separated scenarios to run (default all): inbound-1, inbound-many, first-contact, outbound, reminder")
	fs.BoolVar(&o.json, "json", false, "print the figures as JSON instead of markdown tables")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write the bridge's CPU profile to this file")
	fs.StringVar(&o.memprofile, "memprofile", "", "write the bridge's allocation profile to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.warmup == 0 {
		o.warmup = min(time.Second, o.duration/2)
	}
	if fs.NArg() > 0 {
		return o, errors.New("unexpected arguments: " + strings.Join(fs.Args(), " "))
	}
	return o, o.check(only)
}

// check validates the options and fills o.only from the -scenarios list,
// naming every bad flag at once.
func (o *options) check(only string) error {
	var bad []string
	if o.duration <= 0 || o.duration > 10*time.Minute {
		bad = append(bad, "-duration must be between 0 and 10m")
	}
	if o.warmup < 0 || o.warmup > 10*time.Minute {
		bad = append(bad, "-warmup must be between 0 and 10m")
	}
	if o.rounds < 1 || o.rounds > 100 || o.duration/time.Duration(max(o.rounds, 1)) < 100*time.Millisecond {
		bad = append(bad, "-rounds must be 1..100, each at least 100ms of -duration")
	}
	if o.concurrency < 1 || o.concurrency > 128 {
		bad = append(bad, "-concurrency must be 1..128")
	}
	if o.numbers < 1 || o.numbers > 1000000 {
		bad = append(bad, "-numbers must be 1..1,000,000")
	}
	known := []string{}
	for _, s := range scenarios(1) {
		known = append(known, s.name)
	}
	for name := range strings.SplitSeq(only, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if !slices.Contains(known, name) {
			bad = append(bad, fmt.Sprintf("unknown scenario %q (%s)", name, strings.Join(known, ", ")))
		}
		o.only = append(o.only, name)
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

// failures are a scenario's failed requests, one error per system: any of
// them makes the run exit 1, so a smoke run in CI catches a broken path.
func failures(res ScenarioResult) []error {
	var errs []error
	for _, row := range []Row{res.Relay, res.Bridge} {
		if row.Errors > 0 {
			errs = append(errs, fmt.Errorf("%s, %s: %d failed requests (first: %s)", res.Name, row.System, row.Errors, row.FirstError))
		}
	}
	return errs
}
