package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/metrics"
)

// Options configure New.
type Options struct {
	Logger         zerolog.Logger
	Metrics        *metrics.Metrics
	Readiness      *Readiness
	TrustedProxies []netip.Prefix // peers allowed to set X-Forwarded-For
	CORSOrigins    []string       // origins allowed to call the JSON API; empty = no CORS
	// MetricsElsewhere leaves /metrics off this instance: it is served on
	// its own address (METRICS_ADDR), away from the public port.
	MetricsElsewhere bool
}

// corsRequestHeaders are the request headers docs/api.md documents: a
// browser's preflight must allow each of them, or the page gets "Failed to
// fetch" where curl succeeds.
var corsRequestHeaders = []string{echo.HeaderAuthorization, echo.HeaderContentType, "Idempotency-Key", echo.HeaderXRequestID}

// corsResponseHeaders are the answer headers a dashboard reads: a page sees
// only those exposed here (besides the CORS-safelisted ones).
var corsResponseHeaders = []string{"Idempotent-Replayed", echo.HeaderRetryAfter, echo.HeaderXRequestID}

// New returns an echo instance with the shared middleware, the error
// handler, and the probe and metrics routes. Callers add their routes.
func New(o Options) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = ErrorHandler
	e.IPExtractor = ipExtractor(o.TrustedProxies)
	e.Use(requestLog(o.Logger, o.Metrics), recoverPanics, securityHeaders)
	if len(o.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOriginFunc: exactOrigins(o.CORSOrigins),
			AllowMethods:    []string{http.MethodGet, http.MethodPost, http.MethodOptions},
			AllowHeaders:    corsRequestHeaders,
			ExposeHeaders:   corsResponseHeaders,
			MaxAge:          600,
		}))
	}
	e.GET("/healthz", healthz)
	e.GET("/readyz", o.Readiness.readyz)
	if !o.MetricsElsewhere {
		e.GET("/metrics", echo.WrapHandler(o.Metrics.Handler()))
	}
	return e
}

// NewMetricsServer serves /metrics alone on addr (METRICS_ADDR); every
// other path is 404.
func NewMetricsServer(addr string, m *metrics.Metrics) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return NewServer(addr, mux)
}

// exactOrigins allows exactly the configured origins. echo's own matching
// would also read "*" in an entry as a wildcard and match subdomains, which
// is more than CORS_ALLOWED_ORIGINS promises.
func exactOrigins(origins []string) func(string) (bool, error) {
	allowed := make(map[string]bool, len(origins))
	for _, o := range origins {
		allowed[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	return func(origin string) (bool, error) { return allowed[strings.ToLower(origin)], nil }
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies; with
// none configured the peer address is the client.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{
			IP:   net.IP(p.Addr().AsSlice()),
			Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen()),
		}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// NewServer wraps h in an http.Server with the timeouts a public service
// needs, from the deadlines table, whose test checks that every route's
// worst case fits inside WriteTimeout.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: deadlines.ServerReadHeader,
		ReadTimeout:       deadlines.ServerRead,
		WriteTimeout:      deadlines.ServerWrite,
		IdleTimeout:       deadlines.ServerIdle,
		MaxHeaderBytes:    64 << 10,
	}
}
