package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// fault is one entry of the printed schedule: at is its offset from the
// start, hold how long it lasts; a 5xx answer is expected from at until
// hold plus grace after.
type fault struct {
	at, hold time.Duration
	key      string // for -faults
	name     string
	run      func(s *soak, hold time.Duration) error
}

// faultGrace is how long after a fault 5xx answers still count as its own
// (a request that started inside it, a replica still warming its pools).
const faultGrace = 5 * time.Second

// schedule spreads the faults named in only (all when empty) over d, the longer ones scaled to fit a short
// run (Redis is down 30 s from a 3-minute run on, a sixth of it below).
func schedule(d time.Duration, only []string) []fault {
	down := min(30*time.Second, d/6)
	at := func(f float64) time.Duration { return time.Duration(f * float64(d)) }
	all := []fault{
		{at(0.08), 4 * time.Second, "storm", "Stream 429 storm (every endpoint, reset 2 s ahead)", streamStorm},
		{at(0.16), 2 * time.Second, "twilio", "Twilio 5xx burst and slow answers (3 s)", twilioFaults},
		{at(0.25), 3 * time.Second, "kill", "kill -9 of replica b mid-burst, restarted", killReplica},
		{at(0.40), time.Second, "redis-restart", "Redis restart (its keys kept in its append-only file)", restartRedis},
		{at(0.50), down, "redis-down", fmt.Sprintf("Redis down for %v", down), redisDown},
		{at(0.68), 3 * time.Second, "stream-5xx", "Stream 5xx burst", streamBurst},
		{at(0.80), 2 * time.Second, "sigterm", "SIGTERM of replica a under load (the drain), restarted", drainReplica},
	}
	if len(only) == 0 {
		return all
	}
	return slices.DeleteFunc(all, func(f fault) bool { return !slices.Contains(only, f.key) })
}

var streamOps = []string{streamtest.OpSendMessage, streamtest.OpUpdateMessagePartial, streamtest.OpQueryChannel,
	streamtest.OpGetMessage, streamtest.OpUpdateChannelPartial, streamtest.OpUpsertUsers}

func streamStorm(s *soak, hold time.Duration) error {
	for _, op := range streamOps {
		s.stream.FailAlways(op, streamtest.Fault{Status: http.StatusTooManyRequests, ResetIn: 2 * time.Second})
	}
	time.Sleep(hold)
	s.stream.ClearFaults()
	return nil
}

func streamBurst(s *soak, hold time.Duration) error {
	for _, op := range streamOps {
		s.stream.FailNext(op, 5, streamtest.Fault{Status: http.StatusServiceUnavailable})
	}
	time.Sleep(hold)
	s.stream.ClearFaults()
	return nil
}

func twilioFaults(s *soak, hold time.Duration) error {
	s.twilio.FailNext(twiliotest.OpCreateMessage, 3, twiliotest.Fault{Status: http.StatusServiceUnavailable})
	s.twilio.FailNext(twiliotest.OpCreateMessage, 3, twiliotest.Fault{Apply: true, Delay: 3 * time.Second})
	time.Sleep(hold)
	return nil
}

func killReplica(s *soak, hold time.Duration) error {
	s.replicas[1].signal(syscall.SIGKILL, 5*time.Second)
	time.Sleep(hold)
	return s.replicas[1].start()
}

func drainReplica(s *soak, hold time.Duration) error {
	s.replicas[0].signal(syscall.SIGTERM, 25*time.Second)
	time.Sleep(hold)
	return s.replicas[0].start()
}

func restartRedis(s *soak, hold time.Duration) error {
	s.redis.stop()
	time.Sleep(hold)
	return s.redis.start()
}

func redisDown(s *soak, hold time.Duration) error { return restartRedis(s, hold) }

// window is when a fault ran.
type window struct{ from, to time.Time }

// runFaults runs the schedule from start, printing each fault as it begins.
func runFaults(ctx context.Context, s *soak, start time.Time, faults []fault, out io.Writer, wg *sync.WaitGroup) *[]window {
	windows := &[]window{}
	var mu sync.Mutex
	wg.Go(func() {
		for _, f := range faults {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(start.Add(f.at))):
			}
			from := time.Now()
			fmt.Fprintf(out, "soak: %6s  %s\n", time.Since(start).Round(time.Second), f.name)
			if err := f.run(s, f.hold); err != nil {
				s.fail(fmt.Errorf("fault %q: %w", f.name, err))
			}
			mu.Lock()
			*windows = append(*windows, window{from, time.Now().Add(faultGrace)})
			mu.Unlock()
		}
	})
	return windows
}

// printSchedule prints the faults before the run.
func printSchedule(out io.Writer, faults []fault) {
	var b strings.Builder
	b.WriteString("soak: fault schedule\n")
	for _, f := range faults {
		fmt.Fprintf(&b, "  %6s  for %-5s  %s\n", f.at.Round(time.Second), f.hold.Round(time.Second), f.name)
	}
	fmt.Fprint(out, b.String())
}
