package web

import (
	"net/http"
	"sync/atomic"

	"github.com/labstack/echo/v4"
)

// Readiness is the state /readyz reports: ready once start-up checks have
// passed, not ready again while shutting down.
type Readiness struct{ ready atomic.Bool }

// Set records whether the service is ready.
func (r *Readiness) Set(ready bool) { r.ready.Store(ready) }

// Ready reports the current state.
func (r *Readiness) Ready() bool { return r.ready.Load() }

func healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (r *Readiness) readyz(c echo.Context) error {
	if !r.Ready() {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
