package dev

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/streamclient"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// adminID is the sandbox's one admin, as the tutorial's front desk.
const adminID = "front_desk"

// Options configure Start.
type Options struct {
	Logs      io.Writer     // where the service logs; nil: discarded
	LogFormat string        // "json" or "console"; empty: LOG_FORMAT's
	Step      time.Duration // between a sent message's statuses; 0: twiliotest's
	// CORSOrigins are dashboards' origins allowed to call the API from a
	// browser, added to CORS_ALLOWED_ORIGINS.
	CORSOrigins []string

	hashCost int // bcrypt cost of the admin's hash; 0: bcrypt's default (tests lower it)
}

// Sandbox is one running sandbox: the simulators, the service and its
// console, served on one listener.
type Sandbox struct {
	URL           string // base URL of the console and the service (PUBLIC_URL)
	AdminID       string
	AdminPassword string
	// EnvFile is the dotenv file of the settings the simulators answer to,
	// for the command-line tools' -env-file; removed when the sandbox stops.
	EnvFile string
	// StreamBaseURL is the simulated Stream client API a dashboard's
	// stream-chat connects to (the login answer's streamBaseUrl).
	StreamBaseURL string

	cleanups []func() // files to remove when the sandbox stops
	cfg      config.Config
	log      zerolog.Logger
	ln       net.Listener
	stream   *streamtest.Server
	twilio   *twiliotest.Server
	network  *twiliotest.Network
	chat     *stream.Client // posts the console's replies as the admin
	app      *app.App
	handler  http.Handler
	texted   *numberSet // numbers the console's phones texted from
	// clientAPI is the simulated Stream client API (clientapi.go)
	clientAPI *streamclient.Server
}

// Start builds a sandbox on ln: fresh credentials, the two simulators, the
// service wired by package app, and the console in front of it. Serve runs it.
func Start(ln net.Listener, o Options) (sb *Sandbox, err error) {
	creds, err := newCredentials(o.hashCost)
	if err != nil {
		return nil, err
	}
	publicURL, err := PublicURL(ln.Addr())
	if err != nil {
		return nil, err
	}
	sb = &Sandbox{URL: publicURL, AdminID: adminID, AdminPassword: creds.adminPassword, ln: ln, texted: &numberSet{}}
	sb.stream = streamtest.NewServer(streamtest.Options{APIKey: creds.streamKey, APISecret: creds.streamSecret})
	sb.twilio = twiliotest.NewServer(twiliotest.Options{AccountSID: creds.twilioSID, AuthToken: creds.twilioToken})
	// s, not sb: an error return sets sb to nil before this runs.
	defer func(s *Sandbox) {
		if err != nil {
			s.closeSimulators()
		}
	}(sb)
	env := sb.env(creds, ln.Addr())
	if len(o.CORSOrigins) > 0 {
		env["CORS_ALLOWED_ORIGINS"] = strings.Join(append(splitList(os.Getenv("CORS_ALLOWED_ORIGINS")), o.CORSOrigins...), ",")
	}
	removeTemplates, err := withExampleTemplates(env)
	if err != nil {
		return nil, err
	}
	sb.cleanups = append(sb.cleanups, removeTemplates) // the env file names it
	removeLocations, err := withLocations(env)
	if err != nil {
		return nil, err
	}
	sb.cleanups = append(sb.cleanups, removeLocations)
	if sb.cfg, err = loadConfig(env); err != nil {
		return nil, fmt.Errorf("sandbox configuration: %w", err)
	}
	if sb.EnvFile, err = writeEnvFile(env); err != nil {
		return nil, fmt.Errorf("sandbox settings file: %w", err)
	}
	sb.cleanups = append(sb.cleanups, func() { _ = os.Remove(sb.EnvFile) })
	if o.LogFormat != "" {
		sb.cfg.LogFormat = o.LogFormat
	}
	if o.Logs == nil {
		o.Logs = io.Discard
	}
	sb.log = app.NewLogger(sb.cfg, o.Logs).With().Bool("sandbox", true).Logger()
	if sb.app, err = app.New(sb.cfg, sb.log); err != nil {
		return nil, err
	}
	if sb.chat, err = newChatClient(creds, sb.stream.URL()); err != nil {
		return nil, err
	}
	if err = sb.startClientAPI(creds.streamKey, creds.streamSecret); err != nil {
		return nil, err
	}
	sb.connectSimulators(o.Step)
	sb.handler = sb.front()
	return sb, nil
}

// env is the sandbox's configuration, as serve would read it from the
// environment: the simulators' credentials and addresses, the clinic's
// number, the admin, and the listener's address.
func (sb *Sandbox) env(c credentials, addr net.Addr) map[string]string {
	host, port, _ := net.SplitHostPort(addr.String())
	return map[string]string{
		"STREAM_API_KEY": c.streamKey, "STREAM_API_SECRET": c.streamSecret, "STREAM_BASE_URL": sb.stream.URL(),
		"TWILIO_ACCOUNT_SID": c.twilioSID, "TWILIO_AUTH_TOKEN": c.twilioToken, "TWILIO_API_BASE_URL": sb.twilio.URL(),
		"TWILIO_FROM_NUMBER": clinicNumber, "TWILIO_MESSAGING_SERVICE_SID": messagingService,
		"TWILIO_WHATSAPP_FROM": whatsAppNumber,
		"PUBLIC_URL":           sb.URL, "ADMIN_USERS": adminID + ":" + c.adminHash,
		"PORT": port, "LISTEN_HOST": host,
		"SHUTDOWN_DELAY": "0s", // no load balancer to tell
	}
}

// loadConfig reads the configuration through config.Load, so the sandbox's
// values pass the checks serve's do and the person's other settings
// (LOG_LEVEL, DEFAULT_REGION, ...) still apply. The environment is put back
// as it was afterwards: the sandbox's secrets do not linger in it.
func loadConfig(env map[string]string) (config.Config, error) {
	for k, v := range env {
		old, had := os.LookupEnv(k)
		if err := os.Setenv(k, v); err != nil {
			return config.Config{}, err
		}
		defer func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		}()
	}
	return config.Load()
}

// PublicURL is the base URL the simulators call and the person opens: the
// listener's own address, or 127.0.0.1 when it listens on every interface.
// Only loopback or every-interface listeners work: PUBLIC_URL may be plain
// http only for loopback.
func PublicURL(addr net.Addr) (string, error) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "", fmt.Errorf("listener address %s is not TCP", addr)
	}
	host := tcp.IP.String()
	switch {
	case tcp.IP.IsUnspecified():
		host = "127.0.0.1"
	case !tcp.IP.IsLoopback():
		return "", errors.New("the sandbox listens on a loopback address or on every interface (0.0.0.0), not on one external address")
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)), nil
}

func newChatClient(c credentials, baseURL string) (*stream.Client, error) {
	sc, err := stream.NewClient(c.streamKey, c.streamSecret)
	if err != nil {
		return nil, err
	}
	sc.BaseURL = baseURL
	sc.SetClient(&http.Client{Timeout: 5 * time.Second})
	return sc, nil
}

// Ready reports whether the service has passed its start-up checks.
func (sb *Sandbox) Ready() bool { return sb.app.Ready() }

// Serve serves the console and the service until ctx is done, then drains
// as serve does and stops the simulators.
func (sb *Sandbox) Serve(ctx context.Context) error {
	defer sb.closeSimulators()
	return sb.app.ServeHandler(ctx, sb.ln, sb.handler)
}

func (sb *Sandbox) closeSimulators() {
	for _, f := range sb.cleanups {
		f()
	}
	if sb.network != nil {
		sb.network.Close()
	}
	sb.stream.Close()
	sb.twilio.Close()
}

// splitList splits a comma-separated variable, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
