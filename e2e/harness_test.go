package e2e

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Credentials of the fake vendors. They double as "secrets" the log check
// looks for.
const (
	streamKey    = "e2e-stream-key"
	streamSecret = "e2e-stream-secret-0123456789"
	twilioSID    = "AC0123456789abcdef0123456789abcdef"
	twilioToken  = "e2etwiliotoken0123456789abcdef"
	publicURL    = "https://smsbridge.example.org"
	clinicNumber = "+12015550100"
	// bcrypt of "correct horse" at cost 10, the lowest ADMIN_USERS accepts (precomputed: fast in tests).
	adminHash = "$2a$10$TLN1Z4WJJ7LTUiqEO5Mvm.9Pg4eI.lQiAswmDbDyJ7pgPiP646lu6"
)

// harness is one test's world: both fakes, one or more bridge instances, and
// the logs they wrote.
type harness struct {
	t      *testing.T
	stream *streamtest.Server
	twilio *twiliotest.Server
	logs   *syncBuffer
	urls   []string // base URL of each running instance
	// secrets are strings that must never appear in logs: numbers (as
	// digits), message texts, credentials.
	mu      sync.Mutex
	secrets []string
}

// option changes the environment before an instance loads its config.
type option func(env map[string]string)

func withEnv(k, v string) option { return func(env map[string]string) { env[k] = v } }

// start brings up the fakes with the SMS channel type present and one bridge
// instance, ready.
func start(t *testing.T, opts ...option) *harness {
	t.Helper()
	h := &harness{t: t, logs: &syncBuffer{}}
	h.stream = streamtest.NewServer(streamtest.Options{APIKey: streamKey, APISecret: streamSecret, Fail: t.Errorf})
	h.twilio = twiliotest.NewServer(twiliotest.Options{AccountSID: twilioSID, AuthToken: twilioToken, Fail: t.Errorf})
	t.Cleanup(h.stream.Close)
	t.Cleanup(h.twilio.Close)
	h.stream.AddChannelType("sms")
	h.secret(streamSecret, twilioToken, adminHash, "correct horse")
	h.startInstance(opts...)
	t.Cleanup(h.checkLogs)
	return h
}

// startInstance starts another bridge replica on the same fakes and waits
// until it is ready. It returns the instance's base URL.
func (h *harness) startInstance(opts ...option) string {
	h.t.Helper()
	url, _ := h.launch(true, opts...)
	return url
}

// launch starts an instance; stop cancels it (as SIGTERM does) and returns
// what Serve returned.
func (h *harness) launch(waitReady bool, opts ...option) (string, func() error) {
	h.t.Helper()
	env := map[string]string{
		"STREAM_API_KEY": streamKey, "STREAM_API_SECRET": streamSecret, "STREAM_BASE_URL": h.stream.URL(),
		"TWILIO_ACCOUNT_SID": twilioSID, "TWILIO_AUTH_TOKEN": twilioToken, "TWILIO_API_BASE_URL": h.twilio.URL(),
		"TWILIO_FROM_NUMBER": clinicNumber, "PUBLIC_URL": publicURL,
		"ADMIN_USERS": "front_desk:" + adminHash + ",dr_lee:" + adminHash, "LOG_LEVEL": "debug",
		"SHUTDOWN_DELAY": "0s",
	}
	for _, o := range opts {
		o(env)
	}
	for k, v := range env {
		h.t.Setenv(k, v)
	}
	cfg, err := config.Load()
	if err != nil {
		h.t.Fatalf("config: %v", err)
	}
	a, err := app.New(cfg, app.NewLogger(cfg, h.logs))
	if err != nil {
		h.t.Fatalf("app: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	var once sync.Once
	var serveErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case serveErr = <-done:
			case <-time.After(15 * time.Second):
				h.t.Error("instance did not stop within 15 s")
			}
		})
		return serveErr
	}
	h.t.Cleanup(func() { _ = stop() })
	base := "http://" + ln.Addr().String()
	h.urls = append(h.urls, base)
	if waitReady {
		h.waitReady(base)
	}
	return base, stop
}

func (h *harness) waitReady(base string) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("instance %s not ready within 10 s", base)
}

// secret registers strings the logs must not contain.
func (h *harness) secret(s ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.secrets = append(h.secrets, s...)
}

// checkLogs fails the test when any registered secret, or any phone number's
// digits, appear in what the instances logged.
func (h *harness) checkLogs() {
	logs := h.logs.String()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.secrets {
		if s != "" && strings.Contains(logs, s) {
			h.t.Errorf("logs contain %q", s)
		}
	}
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (h *harness) do(req *http.Request) response {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(body)}
}

// sms is an inbound SMS as Twilio would deliver it.
type sms struct {
	Sid, From, Body string
	Extra           url.Values // added to the form (NumMedia, MediaUrl0, OptOutType...)
}

// form builds Twilio's inbound webhook form and registers its PHI.
func (h *harness) form(m sms) url.Values {
	f := twiliotest.InboundSMS(twilioSID, m.Sid, m.From, clinicNumber, m.Body)
	for k, v := range m.Extra {
		f[k] = v
	}
	h.secret(strings.TrimPrefix(m.From, "+"))
	if len(m.Body) >= 8 { // short keywords like STOP are not secrets
		h.secret(m.Body)
	}
	return f
}

// receiveSMS delivers m, signed, to instance i (0 unless given).
func (h *harness) receiveSMS(m sms, instance ...int) response {
	h.t.Helper()
	base := h.urls[0]
	if len(instance) > 0 {
		base = h.urls[instance[0]]
	}
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/receive-sms", h.form(m))
	if err != nil {
		h.t.Fatal(err)
	}
	return h.do(req)
}

// post sends a raw request to instance 0.
func (h *harness) post(path, contentType string, body []byte, header http.Header) response {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.urls[0]+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header[k] = v
	}
	return h.do(req)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
