package app

import (
	"github.com/smsbridge/smsbridge/adminapi"
	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/web"
)

// apiBodyLimit caps the dashboard API's JSON bodies: a 1600-character text,
// even fully \u-escaped, fits many times over.
const apiBodyLimit = 64 << 10

// mountAPI adds the dashboard's JSON API (docs/contract.md §4.4-4.6) on the
// Stream chat and Twilio sender that the webhooks use.
func (a *App) mountAPI() {
	admins := make(map[string]string, len(a.cfg.Admins))
	for _, ad := range a.cfg.Admins {
		admins[ad.ID] = string(ad.PasswordHash)
	}
	api := adminapi.New(adminapi.Options{
		Admins:       admins,
		Users:        a.chat,
		Reminders:    a.reminders(),
		Templates:    a.cfg.Templates,
		Locations:    locations(a.cfg),
		Store:        a.store,
		StreamAPIKey: a.cfg.StreamAPIKey,
		TokenSecret:  []byte(a.cfg.StreamAPISecret),
		TokenTTL:     a.cfg.TokenTTL,
		Region:       a.cfg.DefaultRegion,
		Metrics:      a.metrics,
		ReminderRate: coord.Rate(a.cfg.ReminderRate),
		PreviewRate:  coord.Rate(a.cfg.PreviewRate),
	})
	a.api = api
	a.echo.POST("/admin-login", api.Login, web.NoStore, web.LimitBody(apiBodyLimit))
	// The token is checked before the body is read.
	a.echo.POST("/send-reminder", api.SendReminder, web.NoStore, api.RequireAdmin, web.LimitBody(apiBodyLimit))
	a.echo.POST("/sms-preview", api.SMSPreview, web.NoStore, api.RequireAdmin, web.LimitBody(apiBodyLimit))
	a.echo.GET("/reminder-templates", api.ReminderTemplates, web.NoStore, api.RequireAdmin)
	a.echo.GET("/openapi.yaml", adminapi.ServeOpenAPI)
}

// AdvertiseStreamBaseURL makes the login answers carry streamBaseUrl (the
// sandbox's simulated Stream client API). Call it before serving.
func (a *App) AdvertiseStreamBaseURL(u string) { a.api.AdvertiseStreamBaseURL(u) }

// quietHours is QUIET_HOURS as the reminders take it: a nil interface when
// off, not an interface holding a nil pointer.
func quietHours(cfg config.Config) bridge.QuietHours {
	if cfg.QuietHours == nil {
		return nil
	}
	return cfg.QuietHours
}
