package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// `smsbench soak -duration D`: two real `serve` replicas behind a balancer,
// Debian's redis-server and the fakes (Stream's with per-endpoint
// X-RateLimit windows), a steady mixed load, a printed fault schedule, then
// a ledger checked against the fakes' records and the replicas' resources
// sampled every 10 s. It exits 1 when a ledger line fails or a resource
// grows over the second half of the run.

const (
	soakPatients  = 200 // seeded patients
	soakOptOuters = 10  // the first few text STOP and START
	sampleEvery   = 10 * time.Second
)

type soak struct {
	stream   *streamtest.Server
	twilio   *twiliotest.Server
	network  *twiliotest.Network
	redis    *redisProc
	replicas []*replica
	lb       *balancer
	client   *http.Client
	mu       sync.Mutex
	errs     []error
}

func (s *soak) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, err)
}

func runSoak(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smsbench soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := fs.Duration("duration", 10*time.Minute, "how long the load and the faults run (at least 60s)")
	bin := fs.String("bin", "", "a built smsbridge binary (default: go build ./cmd/smsbridge)")
	only := fs.String("faults", "", "comma-separated faults to inject (default all): storm, twilio, kill, redis-restart, redis-down, stream-5xx, sigterm")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *d < time.Minute || *d > 6*time.Hour {
		fmt.Fprintln(stderr, "smsbench soak: -duration must be between 1m and 6h")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *d+5*time.Minute)
	defer cancel()
	s, cleanup, err := newSoak(ctx, *bin, stderr)
	defer cleanup()
	if err != nil {
		fmt.Fprintln(stderr, "smsbench soak:", err)
		return 1
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	rep := s.run(ctx, *d, names, stderr)
	rep.write(stdout)
	if !rep.ok() {
		return 1
	}
	return 0
}

// newSoak starts everything; cleanup stops what started.
func newSoak(ctx context.Context, bin string, progress io.Writer) (*soak, func(), error) {
	var stops []func()
	cleanup := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	dir, err := os.MkdirTemp("", "smsbench-soak-")
	if err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, func() { os.RemoveAll(dir) })
	if bin == "" {
		fmt.Fprintln(progress, "soak: building smsbridge")
		if bin, err = buildBridge(ctx, dir); err != nil {
			return nil, cleanup, err
		}
	}
	s := &soak{client: &http.Client{Timeout: 20 * time.Second},
		stream: streamtest.NewServer(streamtest.Options{APIKey: streamKey, APISecret: streamSecret, SkipValidation: true}),
		twilio: twiliotest.NewServer(twiliotest.Options{AccountSID: accountSID, AuthToken: authToken, SkipValidation: true}),
	}
	stops = append(stops, s.stream.Close, s.twilio.Close)
	// Stream's windows, a minute each as on Stream, sized so steady load fits
	// and the storms do not.
	s.stream.SetRateLimits(streamtest.RateLimits{Window: time.Minute, Limits: map[string]int{
		streamtest.OpSendMessage: 10000, streamtest.OpUpdateMessagePartial: 10000, streamtest.OpQueryChannel: 10000,
		streamtest.OpGetMessage: 10000, streamtest.OpUpdateChannelPartial: 10000, streamtest.OpUpsertUsers: 300}})
	s.stream.AddChannelType(channelType)
	s.stream.PutUser(streamtest.User{ID: adminID, Name: adminID, Role: "admin"})
	for i := range soakPatients {
		id := channelOf(patientNumber(i))
		s.stream.PutUser(streamtest.User{ID: id, Name: patientNumber(i), Role: "user"})
		s.stream.PutChannel(streamtest.Channel{Type: channelType, ID: id, Members: []string{id, adminID},
			CreatedBy: adminID, Custom: map[string]any{"sms_phone": patientNumber(i), "sms_opted_out": false}})
	}
	port, err := freePort()
	if err != nil {
		return nil, cleanup, err
	}
	s.redis = &redisProc{port: port, dir: dir}
	if err := s.redis.start(); err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, s.redis.stop)
	for _, name := range []string{"a", "b"} {
		p, err := freePort()
		if err != nil {
			return nil, cleanup, err
		}
		log, err := os.Create(dir + "/replica-" + name + ".log")
		if err != nil {
			return nil, cleanup, err
		}
		s.replicas = append(s.replicas, &replica{name: "replica " + name, bin: bin, port: p, log: log})
	}
	if s.lb, err = newBalancer(s.replicas); err != nil {
		return nil, cleanup, err
	}
	stops = append(stops, func() { s.lb.closed.Store(true); _ = s.lb.srv.Close() })
	env := []string{"PATH=" + os.Getenv("PATH"),
		"STREAM_API_KEY=" + streamKey, "STREAM_API_SECRET=" + streamSecret, "STREAM_BASE_URL=" + s.stream.URL(),
		"TWILIO_ACCOUNT_SID=" + accountSID, "TWILIO_AUTH_TOKEN=" + authToken, "TWILIO_API_BASE_URL=" + s.twilio.URL(),
		"TWILIO_FROM_NUMBER=" + clinicNumber, "PUBLIC_URL=" + s.lb.addr, "ADMIN_USERS=" + adminID + ":" + adminHash,
		"SHUTDOWN_DELAY=1s", "LISTEN_HOST=127.0.0.1", "SMS_CHANNEL_TYPE=" + channelType, "LOG_FORMAT=json",
		"REDIS_URL=" + s.redis.url(),
		// A reminder a second, each replayed once, from one admin: past the
		// per-admin default of 60 a minute, which is not what the soak tests.
		"REMINDERS_PER_MINUTE=100000", "REMINDER_BURST=100000"}
	for _, r := range s.replicas {
		r.env = env
		if err := r.start(); err != nil {
			return nil, cleanup, err
		}
		time.Sleep(time.Second) // the balancer's probe sees it
		stops = append(stops, func() { r.signal(syscall.SIGTERM, 20*time.Second) })
	}
	s.network = s.twilio.NewNetwork(twiliotest.NetworkOptions{Number: clinicNumber,
		IncomingURL: s.lb.addr + "/receive-sms#rc=3&rp=5xx", Step: 500 * time.Millisecond})
	stops = append(stops, s.network.Close)
	return s, cleanup, nil
}

// run drives the load and the faults for d, lets the statuses settle, and
// checks the ledger.
func (s *soak) run(ctx context.Context, d time.Duration, only []string, progress io.Writer) *soakReport {
	faults := schedule(d, only)
	printSchedule(progress, faults)
	token, err := login(s.lb.addr)
	if err != nil {
		s.fail(fmt.Errorf("login: %w", err))
	}
	l := &loadState{s: s, token: token}
	start := time.Now()
	loadCtx, stopLoad := context.WithDeadline(ctx, start.Add(d))
	defer stopLoad()
	var wg sync.WaitGroup
	every(loadCtx, &wg, 100*time.Millisecond, l.inboundText)
	every(loadCtx, &wg, 150*time.Millisecond, l.reply)
	every(loadCtx, &wg, time.Second, l.reminder)
	every(loadCtx, &wg, 7*time.Second, l.stopStart)
	every(loadCtx, &wg, 2*time.Second, l.staleStatus)
	samples := sampleResources(loadCtx, s, &wg)
	windows := runFaults(loadCtx, s, start, faults, progress, &wg)
	<-loadCtx.Done()
	wg.Wait()
	fmt.Fprintf(progress, "soak: load stopped after %v; waiting for the last statuses\n", time.Since(start).Round(time.Second))
	return s.ledger(ctx, l, *samples, *windows, start)
}
