package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/web"
)

func corsServer(origins ...string) *echo.Echo {
	e := web.New(web.Options{Logger: zerolog.New(io.Discard), Metrics: metrics.New(), Readiness: &web.Readiness{}, CORSOrigins: origins})
	e.POST("/api", func(c echo.Context) error { return c.JSON(200, map[string]bool{"ok": true}) })
	e.POST("/denied", func(echo.Context) error { return bridge.ErrUnauthenticated })
	return e
}

func preflight(e *echo.Echo, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodOptions, "/api", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestCORSPreflightIsAllowedOnlyForTheConfiguredOrigins(t *testing.T) {
	e := corsServer("https://Dashboard.example.org", "http://localhost:3000")
	for _, tc := range []struct {
		name, origin string
		allowed      bool
	}{
		{"the dashboard's origin is allowed", "https://dashboard.example.org", true},
		{"a second configured origin is allowed", "http://localhost:3000", true},
		{"another origin is not", "https://attacker.example", false},
		{"a subdomain of the dashboard is not", "https://evil.dashboard.example.org", false},
		{"the same host over http is not", "http://dashboard.example.org", false},
		{"another port is not", "http://localhost:3001", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := preflight(e, tc.origin)
			got := rec.Header().Get("Access-Control-Allow-Origin")
			if tc.allowed {
				if got != tc.origin || !strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") ||
					!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") {
					t.Errorf("preflight headers = %v", rec.Header())
				}
				return
			}
			if got != "" || rec.Header().Get("Access-Control-Allow-Headers") != "" {
				t.Errorf("a disallowed origin got %v", rec.Header())
			}
		})
	}
}

func TestCORSAnswersLetTheDashboardReadErrorsAndRetryAfter(t *testing.T) {
	e := corsServer("https://dashboard.example.org")
	for _, path := range []string{"/api", "/denied"} {
		req := httptest.NewRequest(http.MethodPost, path, nil)
		req.Header.Set("Origin", "https://dashboard.example.org")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Header().Get("Access-Control-Allow-Origin") != "https://dashboard.example.org" ||
			!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Retry-After") {
			t.Errorf("%s: headers = %v", path, rec.Header())
		}
	}
}

func TestWithoutConfiguredOriginsThereAreNoCORSHeaders(t *testing.T) {
	rec := preflight(corsServer(), "https://dashboard.example.org")
	for name := range rec.Header() {
		if strings.HasPrefix(name, "Access-Control-") {
			t.Errorf("header %s set without CORS_ALLOWED_ORIGINS", name)
		}
	}
}

func TestCORSLetsADashboardSendEveryDocumentedHeaderAndReadTheAnswerHeaders(t *testing.T) {
	e := corsServer("https://dashboard.example.org")
	req := httptest.NewRequest(http.MethodOptions, "/api", nil)
	req.Header.Set("Origin", "https://dashboard.example.org")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,idempotency-key,x-request-id")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	allowed := strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"authorization", "content-type", "idempotency-key", "x-request-id"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("preflight does not allow %s: Access-Control-Allow-Headers = %q", h, allowed)
		}
	}
	req = httptest.NewRequest(http.MethodPost, "/api", nil)
	req.Header.Set("Origin", "https://dashboard.example.org")
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	exposed := rec.Header().Get("Access-Control-Expose-Headers")
	for _, h := range []string{"Idempotent-Replayed", "Retry-After", "X-Request-Id"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("%s is not exposed: Access-Control-Expose-Headers = %q", h, exposed)
		}
	}
}
