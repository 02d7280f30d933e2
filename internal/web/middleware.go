package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/internal/logsafe"
	"github.com/smsbridge/smsbridge/internal/metrics"
)

// requestLog gives every request an id (X-Request-Id, kept when the caller
// sends a sane one), a child logger in its context, and one log line and
// one metric sample when it ends. The line holds the route pattern, never
// the URL, whose query may carry identifiers.
func requestLog(base zerolog.Logger, m *metrics.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			req := c.Request()
			id := logsafe.ID(req.Header.Get(echo.HeaderXRequestID))
			if id == "" {
				id = newID()
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			logger := base.With().Str("request_id", id).Logger()
			c.SetRequest(req.WithContext(logger.WithContext(req.Context())))

			err := next(c)
			if err != nil {
				c.Error(err) // writes the answer now, so the status below is final
			}
			route := c.Path()
			if route == "" || route == "/*" {
				route = "unmatched"
			}
			status := c.Response().Status
			latency := time.Since(start)
			m.HTTPRequest(route, status, latency)
			logger.Info().Str("method", req.Method).Str("route", route).Int("status", status).
				Float64("latency_ms", float64(latency.Microseconds())/1000).Int64("bytes_out", c.Response().Size).Msg("request")
			return nil
		}
	}
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recoverPanics turns a panic into a 500 JSON answer and a log line naming
// the route and the panic's type, never its value (it may hold a payload).
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				zerolog.Ctx(c.Request().Context()).Error().Str("route", c.Path()).
					Str("panic_type", fmt.Sprintf("%T", r)).Msg("handler panicked")
				err = fmt.Errorf("panic in handler for %s", c.Path())
			}
		}()
		return next(c)
	}
}

// securityHeaders sets headers every answer carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		return next(c)
	}
}

// NoStore marks answers as not cacheable: JSON API answers carry tokens and
// patient data.
func NoStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// LimitBody caps request bodies at n bytes. A declared length over the cap is
// refused at once; an undeclared one fails when the handler reads past it
// (*http.MaxBytesError, mapped to 413). Either way it happens before any
// signature work.
func LimitBody(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > n {
				return &http.MaxBytesError{Limit: n}
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, n)
			return next(c)
		}
	}
}
