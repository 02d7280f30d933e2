package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/web"
)

func newServer(t *testing.T, logs io.Writer, proxies ...netip.Prefix) (*echo.Echo, *web.Readiness) {
	t.Helper()
	r := &web.Readiness{}
	e := web.New(web.Options{Logger: zerolog.New(logs), Metrics: metrics.New(), Readiness: r, TrustedProxies: proxies})
	return e, r
}

func do(e *echo.Echo, req *http.Request) (*httptest.ResponseRecorder, web.ErrorBody) {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	var body web.ErrorBody
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec, body
}

func TestErrorsBecomeOneJSONShape(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   string
	}{
		{"invalid input is 400", bridge.ErrInvalid, 400, "invalid_request"},
		{"a bridge.Error keeps its code and sentence", bridge.Errorf(bridge.ErrInvalid, "invalid_phone", "Bad number."), 400, "invalid_phone"},
		{"a bad Twilio signature is 403", bridge.ErrForbidden, 403, "forbidden"},
		{"a bad Stream signature is 401", bridge.ErrUnauthenticated, 401, "unauthenticated"},
		{"opted out is 409", fmt.Errorf("send: %w", bridge.ErrOptedOut), 409, "opted_out"},
		{"quiet hours are 409", fmt.Errorf("remind: %w", bridge.ErrQuietHours), 409, "quiet_hours"},
		{"an upstream refusal is 502", bridge.ErrUpstream, 502, "upstream_error"},
		{"an upstream outage is 503", fmt.Errorf("relay: %w", bridge.ErrUnavailable), 503, "unavailable"},
		{"an oversized body is 413", &http.MaxBytesError{Limit: 10}, 413, "too_large"},
		{"a body too slow to arrive is 408", bridge.ErrSlowRequest, 408, "request_timeout"},
		{"a body of the wrong media type is 415", bridge.ErrUnsupportedMedia, 415, "unsupported_media_type"},
		{"a caller that went away is 499, not 503", fmt.Errorf("stream x: cancelled: %w", bridge.ErrCallerGone), 499, "client_closed"},
		{"anything else is a plain 500", fmt.Errorf("boom at /secret/path"), 500, "internal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newServer(t, io.Discard)
			e.GET("/x", func(echo.Context) error { return tc.err })
			rec, body := do(e, httptest.NewRequest(http.MethodGet, "/x", nil))
			if rec.Code != tc.wantStatus || body.Code != tc.wantCode || body.Error == "" {
				t.Errorf("got %d %+v, want %d %s", rec.Code, body, tc.wantStatus, tc.wantCode)
			}
			if strings.Contains(rec.Body.String(), "/secret/path") {
				t.Errorf("internal error text leaked: %s", rec.Body)
			}
		})
	}
}

func TestAQuietHoursRefusalSaysWhenItIsAllowedInRFC3339(t *testing.T) {
	e, _ := newServer(t, io.Discard)
	next := time.Date(2030, 5, 7, 8, 0, 0, 0, time.FixedZone("EDT", -4*3600))
	e.GET("/x", func(echo.Context) error {
		return &bridge.Error{Kind: bridge.ErrQuietHours, Code: "quiet_hours", Message: "Quiet hours.", NextAllowedAt: next}
	})
	rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/x", nil))
	want := `{"error":"Quiet hours.","code":"quiet_hours","nextAllowedAt":"2030-05-07T12:00:00Z"}`
	if rec.Code != http.StatusConflict || strings.TrimSpace(rec.Body.String()) != want {
		t.Errorf("got %d %s, want 409 %s", rec.Code, rec.Body, want)
	}
}

func TestACallerThatWentAwayIsLoggedAtInfoAsTheClients(t *testing.T) {
	var logs bytes.Buffer
	e, _ := newServer(t, &logs)
	e.POST("/x", func(echo.Context) error { return fmt.Errorf("stream get_message: cancelled: %w", bridge.ErrCallerGone) })
	do(e, httptest.NewRequest(http.MethodPost, "/x", nil))
	if strings.Contains(logs.String(), `"level":"warn"`) || strings.Contains(logs.String(), "unavailable") {
		t.Errorf("logged as an upstream failure: %s", logs.String())
	}
	if !strings.Contains(logs.String(), `"status":499`) {
		t.Errorf("not counted apart as 499: %s", logs.String())
	}
}

func TestUnknownPathIs404JSON(t *testing.T) {
	e, _ := newServer(t, io.Discard)
	rec, body := do(e, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if rec.Code != 404 || body.Code != "not_found" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("got %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}

func TestPanicsBecome500WithoutStackOrValue(t *testing.T) {
	var logs bytes.Buffer
	e, _ := newServer(t, &logs)
	e.GET("/boom", func(echo.Context) error { panic("patient +12015550123 said hi") })
	rec, body := do(e, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != 500 || body.Code != "internal" {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	for _, out := range []string{rec.Body.String(), logs.String()} {
		if strings.Contains(out, "2015550123") || strings.Contains(out, "goroutine") {
			t.Errorf("panic value or stack leaked: %s", out)
		}
	}
}

func TestBodyLimitRefusesOversizedBodies(t *testing.T) {
	e, _ := newServer(t, io.Discard)
	e.POST("/hook", func(c echo.Context) error {
		if _, err := io.ReadAll(c.Request().Body); err != nil {
			return err
		}
		return c.NoContent(200)
	}, web.LimitBody(1024))
	big := strings.Repeat("a", 1025)
	rec, _ := do(e, httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(big)))
	if rec.Code != 413 {
		t.Errorf("declared length over cap: %d", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/hook", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	if rec, _ := do(e, req); rec.Code != 413 {
		t.Errorf("undeclared length over cap: %d", rec.Code)
	}
	if rec, _ := do(e, httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(big[:1024]))); rec.Code != 200 {
		t.Errorf("body at the cap: %d", rec.Code)
	}
}

func TestEveryAnswerHasNosniffAndARequestID(t *testing.T) {
	var logs bytes.Buffer
	e, _ := newServer(t, &logs)
	rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/healthz?phone=12015550123", nil))
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Request-Id") == "" {
		t.Errorf("headers = %v", rec.Header())
	}
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &line); err != nil {
		t.Fatalf("log line: %v: %s", err, logs.String())
	}
	if line["route"] != "/healthz" || line["status"] != float64(200) || line["request_id"] != rec.Header().Get("X-Request-Id") {
		t.Errorf("log line = %v", line)
	}
	if strings.Contains(logs.String(), "12015550123") {
		t.Errorf("query string logged: %s", logs.String())
	}
}

func TestTheRequestLogSaysItsLatencyUnit(t *testing.T) {
	var logs bytes.Buffer
	e, _ := newServer(t, &logs)
	do(e, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &line); err != nil {
		t.Fatalf("log line: %v: %s", err, logs.String())
	}
	ms, ok := line["latency_ms"].(float64)
	if !ok || ms < 0 || ms > 10_000 {
		t.Errorf("latency_ms = %v, want a number of milliseconds", line["latency_ms"])
	}
	if _, unitless := line["latency"]; unitless {
		t.Errorf("the log line still has a unitless latency: %v", line)
	}
}

func TestRequestIDFromCallerIsKeptOnlyWhenPlain(t *testing.T) {
	e, _ := newServer(t, io.Discard)
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	if rec, _ := do(e, req); rec.Header().Get("X-Request-Id") != "abc-123" {
		t.Errorf("plain id not kept")
	}
	req.Header.Set("X-Request-Id", "abc\"}\n{\"level\":\"error")
	if rec, _ := do(e, req); strings.Contains(rec.Header().Get("X-Request-Id"), "level") {
		t.Errorf("injected id kept")
	}
}

func TestReadinessProbe(t *testing.T) {
	e, r := newServer(t, io.Discard)
	if rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/readyz", nil)); rec.Code != 503 {
		t.Errorf("before ready: %d", rec.Code)
	}
	r.Set(true)
	if rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/readyz", nil)); rec.Code != 200 {
		t.Errorf("ready: %d", rec.Code)
	}
	if rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/healthz", nil)); rec.Code != 200 {
		t.Errorf("healthz: %d", rec.Code)
	}
}

func TestForwardedForIsTrustedOnlyFromConfiguredProxies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []netip.Prefix
		want    string
	}{
		{"no proxies: the peer is the client", nil, "203.0.113.9"},
		{"an untrusted peer cannot set the client", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "203.0.113.9"},
		{"a trusted proxy sets the client", []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}, "198.51.100.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newServer(t, io.Discard, tc.proxies...)
			e.GET("/ip", func(c echo.Context) error { return c.String(200, c.RealIP()) })
			req := httptest.NewRequest(http.MethodGet, "/ip", nil)
			req.RemoteAddr = "203.0.113.9:5000"
			req.Header.Set("X-Forwarded-For", "198.51.100.7")
			if rec, _ := do(e, req); rec.Body.String() != tc.want {
				t.Errorf("client ip = %s, want %s", rec.Body, tc.want)
			}
		})
	}
}

func TestRetryAfterIsSetFromTheError(t *testing.T) {
	e, _ := newServer(t, io.Discard)
	e.GET("/x", func(echo.Context) error {
		return &bridge.Error{Kind: bridge.ErrRateLimited, Code: "rate_limited", Message: "Slow down.", RetryAfter: 90 * time.Second}
	})
	rec, _ := do(e, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "90" {
		t.Errorf("got %d Retry-After=%q", rec.Code, rec.Header().Get("Retry-After"))
	}
}
