package streamtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/internal/conncount"
)

// Options configures a Server.
type Options struct {
	// APIKey and APISecret are the app credentials requests must carry, as
	// given to stream.NewClient.
	APIKey, APISecret string
	// Fail is called for every spec violation and unexpected call, from the
	// server's goroutines; tests pass t.Errorf. It may be nil (Violations
	// records them either way).
	Fail func(format string, args ...any)
	// SkipValidation turns off request validation against the spec, for
	// benchmarks only.
	SkipValidation bool
	// RateLimits enforces Stream's per-endpoint limits (ratelimit.go); off
	// by default.
	RateLimits RateLimits
}

// Server is the fake. It is safe for concurrent use.
type Server struct {
	opts      Options
	spec      *spec
	srv       *httptest.Server
	done      chan struct{} // closed by Close, ends fault delays
	closeOnce sync.Once

	mu         sync.Mutex
	st         state
	calls      map[string]int
	total      int
	faults     map[string][]*faultRule
	violations []string
	windows    map[string]*window // rate limit windows by op (ratelimit.go)
	refused    map[string]int     // calls refused with 429 by op
	overPeak   map[string]int     // the most calls over the limit in one window, by op
	webhook    *Webhook           // push webhook (webhook.go); nil: none
	// channelCustom: events carry channel_custom (SetChannelCustomInEvents)
	channelCustom bool
	onChange      func(Change) // the client-side API's listener (clientside.go)
	holds         []*Hold      // calls to hold before they are done (hold.go)

	accepted conncount.Counter // TCP connections accepted (bench.go)
}

// maxBody caps request bodies; Stream refuses far smaller ones.
const maxBody = 4 << 20

// NewServer starts a fake on 127.0.0.1. Close it when done.
func NewServer(o Options) *Server {
	s := &Server{
		opts:    o,
		spec:    mustSpec(),
		done:    make(chan struct{}),
		st:      newState(),
		calls:   map[string]int{},
		faults:  map[string][]*faultRule{},
		windows: map[string]*window{},
		refused: map[string]int{}, overPeak: map[string]int{},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("streamtest: listen: %v", err))
	}
	s.srv.Listener = ln
	s.srv.Config.ConnState = s.accepted.Track
	s.srv.Start()
	return s
}

// URL is the base URL to give the client (stream.Client.BaseURL).
func (s *Server) URL() string { return s.srv.URL }

// Close ends pending fault delays and shuts the server down.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.srv.Close()
}

// Violations returns the spec violations and unexpected calls seen so far.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) violation(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violationLocked(format, args...)
}

// violationLocked is violation with s.mu held (in a handler). Fail is t.Errorf
// or a recorder, neither of which calls back into the fake.
func (s *Server) violationLocked(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, msg)
	if s.opts.Fail != nil {
		s.opts.Fail("streamtest: %s", msg)
	}
}

// serveHTTP runs every request through the same steps as Stream would:
// route, authenticate, validate, then answer (or inject a fault).
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	route, params, err := s.spec.router.FindRoute(r)
	op := ""
	if err == nil {
		op = opByOperationID[route.Operation.OperationID]
	}
	s.countCall(op)
	if op == "" {
		s.violation("unexpected call %s %s", r.Method, r.URL.Path)
		writeError(w, newAPIError(http.StatusNotFound, codeNotFound,
			fmt.Sprintf("streamtest: unexpected call %s %s", r.Method, r.URL.Path)), start)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeError(w, inputError(route.Operation.OperationID, "cannot read request body: %v", err), start)
		return
	}
	if aerr := s.authenticate(r); aerr != nil {
		writeError(w, aerr, start)
		return
	}
	h, over := s.admit(op, start)
	if over {
		writeRateLimited(w, h, start)
		return
	}
	for k, vs := range h {
		w.Header()[k] = vs
	}
	if !s.opts.SkipValidation {
		if err := s.spec.validateRequest(r.Context(), route, params, r, body); err != nil {
			s.violation("%s %s violates Stream's API spec (%s): %v", r.Method, r.URL.Path, route.Operation.OperationID, err)
			writeError(w, inputError(route.Operation.OperationID, "%v", err), start)
			return
		}
	}
	s.answer(w, r, &call{op: op, operationID: route.Operation.OperationID, params: params, query: r.URL.Query(), body: body}, start)
}

// answer handles the call, applying a fault if one is due.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, c *call, start time.Time) {
	if h := s.takeHold(c); h != nil && !s.waitHold(w, r, h) {
		return
	}
	fault, faulted := s.takeFault(c.op)
	if faulted && !fault.Apply {
		if s.delayThenFault(w, r, fault, start) {
			return
		}
		faulted = false // a pure delay: answer normally
	}
	status, resp, err := s.handle(c)
	if faulted && s.delayThenFault(w, r, fault, start) {
		return
	}
	if err != nil {
		var aerr *apiError
		if !errors.As(err, &aerr) {
			aerr = newAPIError(http.StatusInternalServerError, codeInternal, failed(c.operationID, "%v", err))
		}
		writeError(w, aerr, start)
		return
	}
	resp["duration"] = duration(start)
	writeJSON(w, status, resp, start)
}

func writeError(w http.ResponseWriter, e *apiError, start time.Time) {
	e.Duration = duration(start)
	writeJSON(w, e.StatusCode, e, start)
}

func writeJSON(w http.ResponseWriter, status int, v any, start time.Time) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(newAPIError(status, codeInternal, "streamtest: cannot encode response: "+err.Error()))
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Stream reports the endpoint's rate limit on every response
	// (stream-chat-go reads it into Response.RateLimitInfo); with
	// RateLimits set the fake counts and enforces it (ratelimit.go). Without,
	// the app has no limit and no window to report: a fixed "999 of 1000
	// left" would be a window the fake does not keep, and a client that
	// counts its own calls against it would hold back calls Stream takes.
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// duration formats the time spent on a request like Stream's "duration".
func duration(start time.Time) string {
	return fmt.Sprintf("%.2fms", float64(time.Since(start).Microseconds())/1000)
}
