package streamtest

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// appJSON is the app object GetApp answers with, every field Stream's
// AppResponseFields requires at a plain value; the fields below are filled
// in from the fake's state.
//
//go:embed app.json
var appJSON []byte

// AppSettings are the app settings `smsbridge doctor` reads and fixes.
// WebhookURL is the push webhook's address (SetWebhook): setting it through
// the API (UpdateApp) or here moves where message.new is pushed.
type AppSettings struct {
	WebhookURL        string
	DisableAuthChecks bool // "Disable Auth Checks" in Stream's dashboard
}

// App returns the app settings as GetApp would show them.
func (s *Server) App() AppSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appLocked()
}

// SetApp changes the app settings, as someone in Stream's dashboard would;
// tests use it to set a wrong configuration.
func (s *Server) SetApp(a AppSettings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setWebhookURLLocked(a.WebhookURL)
	s.st.disableAuthChecks = a.DisableAuthChecks
}

func (s *Server) appLocked() AppSettings {
	a := AppSettings{DisableAuthChecks: s.st.disableAuthChecks}
	if s.webhook != nil {
		a.WebhookURL = s.webhook.URL
	}
	return a
}

// setWebhookURLLocked points the push webhook at url, keeping its client and
// report; an empty url removes it.
func (s *Server) setWebhookURLLocked(url string) {
	switch {
	case url == "":
		s.webhook = nil
	case s.webhook == nil:
		s.webhook = &Webhook{URL: url, Client: &http.Client{Timeout: webhookRequestTimeout}}
	default:
		w := *s.webhook
		w.URL = url
		s.webhook = &w
	}
}

// getApp serves GET /app.
func (s *Server) getApp(*call) (int, map[string]any, error) {
	var app map[string]any
	if err := json.Unmarshal(appJSON, &app); err != nil {
		return 0, nil, err
	}
	a := s.appLocked()
	app["webhook_url"] = a.WebhookURL
	app["disable_auth_checks"] = a.DisableAuthChecks
	if a.WebhookURL != "" {
		app["webhook_events"] = []any{"message.new"}
	}
	app["channel_configs"] = s.st.channelConfigsJSON()
	return http.StatusOK, map[string]any{"app": app}, nil
}

// updateApp serves PATCH /app for the settings the fake keeps; the others
// are accepted and not kept.
func (s *Server) updateApp(c *call) (int, map[string]any, error) {
	if v, ok := c.obj["webhook_url"].(string); ok {
		s.setWebhookURLLocked(v)
	}
	if v, ok := c.obj["disable_auth_checks"].(bool); ok {
		s.st.disableAuthChecks = v
	}
	return http.StatusOK, map[string]any{}, nil
}

// channelConfigsJSON lists the channel types' settings by name, as GetApp
// shows them.
func (st *state) channelConfigsJSON() map[string]any {
	out := map[string]any{}
	for name, t := range st.types {
		out[name] = channelConfigJSON(t, false)
	}
	return out
}
