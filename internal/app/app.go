// Package app wires smsbridge together: it builds the vendor clients, the
// adapters and the HTTP routes from a Config. `smsbridge serve`, the
// end-to-end tests and the benchmark all use it, so they run the same
// service; `smsbridge reconcile` and `smsbridge doctor` get their jobs wired
// from it on the same clients. It holds no rules of its own.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/adminapi"
	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/web"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/twiliohook"
)

// webhookBodyLimit caps webhook bodies (docs/contract.md §4).
const webhookBodyLimit = 64 << 10

// App is one running smsbridge.
type App struct {
	cfg       config.Config
	log       zerolog.Logger
	echo      *echo.Echo
	readiness *web.Readiness
	chat      *streamhook.Chat
	sms       *twiliohook.Sender
	metrics   *metrics.Metrics
	store     coord.Store
	statuses  *bridge.Statuses // the one writer of sms_status
	api       *adminapi.API    // the dashboard API; `smsbridge remind` reads its rows as it reads requests
}

// New builds the service from cfg.
func New(cfg config.Config, log zerolog.Logger) (*App, error) {
	m := metrics.New()
	store, err := newStore(cfg, log, m)
	if err != nil {
		return nil, err
	}
	chat, err := newChat(cfg, m, quotaView(cfg, store))
	if err != nil {
		return nil, err
	}
	chat.CacheChannels(channelVersions(store), string(cfg.StreamAPISecret))
	a := &App{cfg: cfg, log: log, readiness: &web.Readiness{}, metrics: m, chat: chat,
		sms: twiliohook.NewSender(twilioOptions(cfg, m)), store: store,
		statuses: &bridge.Statuses{Chat: chat, Ledger: store, Queue: statusQueue(store)}}
	a.echo = web.New(web.Options{
		Logger:           log,
		Metrics:          m,
		Readiness:        a.readiness,
		TrustedProxies:   cfg.TrustedProxies,
		CORSOrigins:      cfg.CORSAllowedOrigins,
		MetricsElsewhere: cfg.MetricsAddr != "",
	})

	verifier := twiliohook.NewVerifier(string(cfg.TwilioAuthToken), cfg.PublicURL)
	inbound := &bridge.Inbound{Chat: a.chat, Locations: locations(cfg), Admins: cfg.AdminIDs(),
		Replies: &bridge.Replies{Chat: a.chat, Window: cfg.ReminderReplyWindow}}
	// The cap is per route: echo's Group.Use would add catch-all routes
	// that turn every wrong method (405) into a 404.
	capped := web.LimitBody(webhookBodyLimit)
	a.echo.POST("/receive-sms", twiliohook.NewInbound(verifier, inbound, m).Handle, capped)
	a.echo.POST("/twilio-status", twiliohook.NewStatus(verifier, a.statuses).Handle, capped)
	outbound := &bridge.Outbound{
		Chat:        a.chat,
		Sender:      a.sms,
		Sent:        a.sms,
		ChannelType: cfg.SMSChannelType,
		AdminRoles:  cfg.AdminRoles,
		PublicURL:   cfg.PublicURL,
		SendTimeout: deadlines.ReplySend,
		Ledger:      store,
		Statuses:    a.statuses,
	}
	a.echo.POST("/stream-outgoing-sms", streamhook.NewWebhook(
		streamhook.NewVerifier(string(cfg.StreamAPISecret)), outbound, m).Handle, capped)
	a.mountAPI()
	return a, nil
}

// Handler is the service's HTTP handler.
func (a *App) Handler() http.Handler { return a.echo }

// Ready reports whether start-up checks have passed.
func (a *App) Ready() bool { return a.readiness.Ready() }

// Serve serves on ln until ctx is done, then stops: /readyz turns 503 while
// the service keeps serving for SHUTDOWN_DELAY (so a load balancer sees the
// 503 and stops sending), then the listener closes, in-flight requests get
// up to 10 s, and Serve returns nil on a clean stop. With METRICS_ADDR set,
// /metrics is served there, and stops with the rest.
// Start-up checks run in the background and retry with backoff, so the
// process is live (and /healthz answers) while Stream is unreachable.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	return a.ServeHandler(ctx, ln, a.echo)
}

// ServeHandler is Serve with h answering instead of the service's own
// handler. `smsbridge dev` puts its console in front of Handler() this way,
// so the service's routes stay exactly serve's; serve never calls it.
func (a *App) ServeHandler(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := web.NewServer(ln.Addr().String(), h)
	checks, stopChecks := context.WithCancel(ctx)
	defer stopChecks()
	go a.startupChecks(checks)
	go a.drainStatuses(checks)

	stopMetrics, err := a.serveMetrics()
	if err != nil {
		return err
	}
	defer stopMetrics()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info().Str("addr", ln.Addr().String()).Msg("serving")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.readiness.Set(false)
	a.log.Info().Dur("delay", a.cfg.ShutdownDelay).Msg("shutting down: not ready, still serving")
	time.Sleep(a.cfg.ShutdownDelay)
	drain, cancel := context.WithTimeout(context.Background(), deadlines.ShutdownGrace)
	defer cancel()
	err = srv.Shutdown(drain)
	if serveErr := <-errc; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}

// diagnoseAfter is how many failed start-up checks pass before the log says
// what to check: one failure can be a blip, three are a setting.
const diagnoseAfter = 3

// streamHost is the host part of STREAM_BASE_URL, for logs.
func streamHost(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// serveMetrics serves /metrics on METRICS_ADDR when it is set; the returned
// func stops it.
func (a *App) serveMetrics() (func(), error) {
	if a.cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on METRICS_ADDR: %w", err)
	}
	srv := web.NewMetricsServer(a.cfg.MetricsAddr, a.metrics)
	go func() { _ = srv.Serve(ln) }()
	a.log.Info().Str("addr", ln.Addr().String()).Msg("serving /metrics")
	return func() { _ = srv.Close() }, nil
}

// startupChecks makes sure the SMS channel type exists, retrying with
// capped exponential backoff until it does or ctx ends.
func (a *App) startupChecks(ctx context.Context) {
	delay, attempts := 250*time.Millisecond, 0
	for {
		attempt, cancel := context.WithTimeout(ctx, deadlines.StartupCheck)
		err := a.chat.EnsureChannelType(attempt)
		cancel()
		if err == nil {
			a.readiness.Set(true)
			a.log.Info().Str("channel_type", a.cfg.SMSChannelType).Msg("ready")
			return
		}
		attempts++
		ev := a.log.Warn().Err(err).Str("stream_host", streamHost(a.cfg.StreamBaseURL)).Int("attempt", attempts).
			Int64("retry_in_ms", delay.Milliseconds())
		if attempts >= diagnoseAfter {
			ev = ev.Str("check", streamhook.Diagnose(err))
		}
		// Not "unreachable": a wrong key is an answer too, and the check says which.
		ev.Msg("start-up check failed: cannot use Stream yet")
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, 30*time.Second)
	}
}
