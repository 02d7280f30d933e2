package streamtest

import (
	_ "embed"
	"encoding/json"
	"maps"
	"net/http"
	"time"
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
//
// Name, Organization and RevokeTokensIssuedBefore are there so a test can
// see that a PATCH /app left them alone: Stream sets every field a PATCH
// carries, so a body with "name":"" blanks the name and one with
// "revoke_tokens_issued_before":null undoes an app-wide token revocation.
type AppSettings struct {
	WebhookURL        string
	DisableAuthChecks bool // "Disable Auth Checks" in Stream's dashboard
	Name              string
	Organization      string
	// RevokeTokensIssuedBefore is the app-wide revocation (RevokeTokens);
	// zero: none.
	RevokeTokensIssuedBefore time.Time
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
	s.st.app["name"], s.st.app["organization"] = a.Name, a.Organization
	delete(s.st.app, "revoke_tokens_issued_before")
	if !a.RevokeTokensIssuedBefore.IsZero() {
		s.st.app["revoke_tokens_issued_before"] = a.RevokeTokensIssuedBefore.UTC().Format(time.RFC3339)
	}
}

// AppUpdates returns the decoded body of every PATCH /app the fake has
// served, oldest first, so a test can check which fields a client sent.
func (s *Server) AppUpdates() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, len(s.st.appUpdates))
	for i, u := range s.st.appUpdates {
		out[i] = maps.Clone(u)
	}
	return out
}

func (s *Server) appLocked() AppSettings {
	a := AppSettings{DisableAuthChecks: s.st.disableAuthChecks}
	if s.webhook != nil {
		a.WebhookURL = s.webhook.URL
	}
	a.Name, _ = s.st.app["name"].(string)
	a.Organization, _ = s.st.app["organization"].(string)
	if v, ok := s.st.app["revoke_tokens_issued_before"].(string); ok {
		a.RevokeTokensIssuedBefore, _ = time.Parse(time.RFC3339, v)
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
	app := maps.Clone(s.st.app)
	a := s.appLocked()
	app["webhook_url"] = a.WebhookURL
	app["disable_auth_checks"] = a.DisableAuthChecks
	if a.WebhookURL != "" {
		app["webhook_events"] = []any{"message.new"}
	}
	app["channel_configs"] = s.st.channelConfigsJSON()
	return http.StatusOK, map[string]any{"app": app}, nil
}

// updateApp serves PATCH /app as Stream does: every field the body carries
// is set, null included. The webhook and auth checks drive the fake's
// behaviour; the other fields are kept and shown by GetApp.
func (s *Server) updateApp(c *call) (int, map[string]any, error) {
	s.st.appUpdates = append(s.st.appUpdates, maps.Clone(c.obj))
	for k, v := range c.obj {
		switch {
		case k == "channel_configs" || k == "webhook_url" || k == "disable_auth_checks":
		case v == nil:
			delete(s.st.app, k) // cleared: GetApp leaves it out
		default:
			s.st.app[k] = v
		}
	}
	if v, ok := c.obj["webhook_url"].(string); ok {
		s.setWebhookURLLocked(v)
	}
	if v, ok := c.obj["disable_auth_checks"].(bool); ok {
		s.st.disableAuthChecks = v
	}
	return http.StatusOK, map[string]any{}, nil
}

// newApp is the app object before any change: app.json.
func newApp() map[string]any {
	var app map[string]any
	if err := json.Unmarshal(appJSON, &app); err != nil {
		panic("streamtest: app.json: " + err.Error())
	}
	return app
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
