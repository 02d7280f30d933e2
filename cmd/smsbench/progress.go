package main

import (
	"fmt"
	"strings"
	"time"
)

// reporter prints progress every second: on a terminal over one line,
// elsewhere a line each.
func (b *bench) reporter(scenario, system, stage string, d time.Duration) func(int64, time.Duration) {
	return func(done int64, elapsed time.Duration) {
		line := fmt.Sprintf("%-13s %-9s %-7s %4.1f/%.1fs  %s requests  %s/s", scenario, system, stage,
			elapsed.Seconds(), d.Seconds(), thousands(done), thousands(int64(float64(done)/elapsed.Seconds())))
		if b.tty {
			fmt.Fprintf(b.progress, "\r%-90s", line)
			return
		}
		fmt.Fprintln(b.progress, line)
	}
}

// done prints one measured slice's result.
func (b *bench) done(scenario, system string, r loadResult) {
	if b.tty {
		fmt.Fprint(b.progress, "\r"+strings.Repeat(" ", 90)+"\r")
	}
	rate := 0.0
	if r.elapsed > 0 {
		rate = float64(r.requests) / r.elapsed.Seconds()
	}
	fmt.Fprintf(b.progress, "%-13s %-9s %s requests in %.1fs, %s/s, %d errors\n", scenario, system,
		thousands(r.requests), r.elapsed.Seconds(), thousands(int64(rate)), r.errors)
}
