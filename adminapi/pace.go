package adminapi

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

// Default allowances per admin (REMINDERS_PER_MINUTE, REMINDER_BURST,
// PREVIEWS_PER_MINUTE, PREVIEW_BURST): a front desk sends a reminder every
// few seconds at its busiest, and a dashboard previews as the admin types.
var (
	DefaultReminderRate = coord.Rate{PerMinute: 60, Burst: 20}
	DefaultPreviewRate  = coord.Rate{PerMinute: 600, Burst: 60}
)

// Rates is the coordination store as the per-admin limits use it: one
// allowance per admin and route, shared by every replica. coord.Store
// implements it.
type Rates interface {
	Take(ctx context.Context, key string, r coord.Rate) (ok bool, wait time.Duration, err error)
}

// limit is one route's allowance per admin.
type limit struct {
	name string // the route's noun, in the key and the refusal: "reminders"
	rate coord.Rate
}

// pace spends one call of the authenticated admin's allowance for l, or
// refuses it with 429 and Retry-After. It runs before the body is read, so
// every call counts, refused ones too: a flood of bad requests is what it
// is for. Nothing is written per request beyond the admin's one key.
func (a *API) pace(c echo.Context, l limit) error {
	ok, wait, err := a.rates.Take(c.Request().Context(), "rate:"+l.name+":"+adminID(c), l.rate)
	if err != nil {
		return fmt.Errorf("%s limit: %w", l.name, err)
	}
	if ok {
		return nil
	}
	zerolog.Ctx(c.Request().Context()).Warn().Str("admin_id", adminID(c)).Str("limit", l.name).
		Msg("admin over the rate limit: refused with 429")
	return &bridge.Error{Kind: bridge.ErrRateLimited, Code: "rate_limited", RetryAfter: wait,
		Message: "Too many " + l.name + " from this admin: at most " + strconv.Itoa(l.rate.PerMinute) +
			" a minute, " + strconv.Itoa(l.rate.Burst) + " at once; try again after Retry-After seconds."}
}
