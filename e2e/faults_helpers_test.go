package e2e

import (
	"context"
	"errors"
	"fmt"
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

// baseConfig loads the configuration every world starts from, through
// config.Load as `serve` does. It sets the environment on t, which must not
// be parallel; worlds then copy the result and point it at their own fakes,
// so they need no environment of their own and may run concurrently.
func baseConfig(t *testing.T) config.Config {
	t.Helper()
	env := map[string]string{
		"STREAM_API_KEY": streamKey, "STREAM_API_SECRET": streamSecret, "STREAM_BASE_URL": "http://127.0.0.1:1",
		"TWILIO_ACCOUNT_SID": twilioSID, "TWILIO_AUTH_TOKEN": twilioToken, "TWILIO_API_BASE_URL": "http://127.0.0.1:1",
		"TWILIO_FROM_NUMBER": clinicNumber, "PUBLIC_URL": publicURL,
		"ADMIN_USERS": "front_desk:" + adminHash + ",dr_lee:" + adminHash, "LOG_LEVEL": "debug",
		"SHUTDOWN_DELAY": "0s",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, err := config.Load()
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// world is one scenario's universe: its own fakes, one bridge instance and
// one HTTP client. It holds no *testing.T: the fault matrix runs its cells
// in plain goroutines, because t.Parallel would run only GOMAXPROCS of them
// at a time while most of them spend seconds waiting on timeouts. Problems
// are collected and reported by the test afterwards.
type world struct {
	stream *streamtest.Server
	twilio *twiliotest.Server
	base   string
	client *http.Client
	logs   *syncBuffer
	stopFn func()

	slowest time.Duration // the slowest answer so far (checkAnswers)

	mu       sync.Mutex
	problems []string
	secrets  []string // strings the logs must not contain
}

// newWorld starts the fakes (with the SMS channel type) and one instance
// configured by cfg, and waits until it is ready.
func newWorld(cfg config.Config) (*world, error) {
	w := &world{logs: &syncBuffer{}, client: &http.Client{Transport: &http.Transport{}}}
	w.stream = streamtest.NewServer(streamtest.Options{APIKey: streamKey, APISecret: streamSecret, Fail: w.fail})
	w.twilio = twiliotest.NewServer(twiliotest.Options{AccountSID: twilioSID, AuthToken: twilioToken, Fail: w.fail})
	w.stream.AddChannelType(cfg.SMSChannelType)
	w.secret(streamSecret, twilioToken, adminHash)
	cfg.StreamBaseURL, cfg.TwilioAPIBaseURL = w.stream.URL(), w.twilio.URL()

	a, err := app.New(cfg, app.NewLogger(cfg, w.logs))
	if err != nil {
		w.closeFakes()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		w.closeFakes()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	var once sync.Once
	w.stopFn = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					w.fail("instance stopped with %v", err)
				}
			case <-time.After(15 * time.Second):
				w.fail("instance did not stop within 15 s")
			}
		})
	}
	w.base = "http://" + ln.Addr().String()
	if err := w.waitReady(); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *world) waitReady() error {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := w.client.Get(w.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("instance not ready within 10 s")
}

// stop stops the instance, as SIGTERM does: in-flight requests finish
// first, so the fakes' state is final afterwards.
func (w *world) stop() { w.stopFn() }

// close stops everything; the fakes' state stays readable.
func (w *world) close() {
	w.stop()
	w.closeFakes()
	w.client.CloseIdleConnections()
	w.checkLogs()
}

func (w *world) closeFakes() {
	w.stream.Close()
	w.twilio.Close()
}

// fail records a problem; the fakes report spec violations through it too.
func (w *world) fail(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
}

func (w *world) failures() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

func (w *world) secret(s ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.secrets = append(w.secrets, s...)
}

// checkLogs records a problem for every secret (a number's digits, a text,
// a credential) found in what the instance logged. It names the secret's
// length only, so the report leaks nothing either.
func (w *world) checkLogs() {
	logs := w.logs.String()
	w.mu.Lock()
	secrets := append([]string(nil), w.secrets...)
	w.mu.Unlock()
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			w.fail("logs contain a secret (%d characters)", len(s))
		}
	}
}

// seedPatient creates a patient's user and channel as a first SMS would
// have, so a scenario starts in the steady state.
func (w *world) seedPatient(number string) string {
	id := seedPatient(w.stream, number)
	w.secret(id)
	return id
}

// exchange is one request and what came of it.
type exchange struct {
	status int // 0 when no answer came
	took   time.Duration
	err    error // the client's error when no answer came
	body   string
}

func (x exchange) timedOut() bool {
	var ne net.Error
	return x.err != nil && (errors.Is(x.err, context.DeadlineExceeded) || errors.As(x.err, &ne) && ne.Timeout())
}

// send makes req with a deadline, as a vendor's client with that timeout.
func (w *world) send(req *http.Request, timeout time.Duration) exchange {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	began := time.Now()
	resp, err := w.client.Do(req.WithContext(ctx))
	if err != nil {
		return exchange{took: time.Since(began), err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return exchange{status: resp.StatusCode, took: time.Since(began), err: err, body: string(body)}
}

// statusCallback posts Twilio's status callback for sid (now status), signed
// for the URL the bridge gave Twilio, as Twilio does once the SMS moves.
func (w *world) statusCallback(mid, sid, status string) exchange {
	w.twilio.SetStatus(sid, status, 0)
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, w.base,
		"/twilio-status?mid="+url.QueryEscape(mid), w.twilio.StatusCallbackFor(sid))
	if err != nil {
		return exchange{err: err}
	}
	return w.send(req, twilioTotal)
}
