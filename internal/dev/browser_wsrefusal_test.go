package dev

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
)

// streamChat1Page bundles testdata/streamchat1 with the tutorial app's
// stream-chat 1.14.0 (installed by buildNpmApp, never copied here) and
// returns the directory to serve.
func streamChat1Page(t *testing.T) string {
	t.Helper()
	app := filepath.Join(examplesDir, "tutorial-compat")
	buildNpmApp(t, app) // installs node_modules
	modules, err := filepath.Abs(filepath.Join(app, "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// esbuild finds packages outside the entry's tree through NODE_PATH.
	err = runTool(filepath.Join(modules, ".bin", "esbuild"), ".", []string{"NODE_PATH=" + modules}, npmBuildWithin,
		"testdata/streamchat1/index.js", "--bundle", "--outfile="+filepath.Join(out, "index.js"),
		`--define:process.env.NODE_ENV="production"`, "--define:global=window", "--log-level=warning")
	if err != nil {
		t.Fatal(err)
	}
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script src="index.js"></script></body></html>`
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// userToken signs a Stream user token as the login does, with secret.
func userToken(t *testing.T, secret, user string, expires time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": user, "exp": expires.Unix()}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The real old client, refused by the simulated WebSocket: it reads Stream's
// error frame (code, StatusCode, message), rejects setUser with it, and,
// told by close code 1000 that the refusal is final, opens no second
// socket. A good token is the control: the same page connects.
func TestTheTutorialsStreamClientIsRefusedWithAnotherAppsTokenOrAnExpiredOneAndDoesNotRetry(t *testing.T) {
	chromiumPath(t)
	dir := streamChat1Page(t)
	origin := serveStatic(t, http.Dir(dir))
	r := startSandbox(t)
	ctx := browserFor(t)
	secret := string(r.sb.cfg.StreamAPISecret)
	for _, tc := range []struct {
		name, token string
		code        string // Stream's error code in the rejection; empty: connects
	}{
		{"a good token", userToken(t, secret, adminID, time.Now().Add(time.Hour)), ""},
		{"another app's secret", userToken(t, "another-apps-secret-0123456789abcdef0123", adminID, time.Now().Add(time.Hour)), `"code":43`},
		{"an expired token", userToken(t, secret, adminID, time.Now().Add(-time.Minute)), `"code":40`},
	} {
		r.keepPrivate(tc.token)
		call := `connect(` + strings.Join([]string{js(r.sb.cfg.StreamAPIKey), js(r.sb.StreamBaseURL), js(adminID), js(tc.token)}, ", ") + `), true`
		err := chromedp.Do(ctx, chromedp.Navigate(origin+"/"), holds(`typeof window.connect === "function"`))
		if err == nil {
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](call))
		}
		if err == nil {
			err = chromedp.Do(ctx, holds(`typeof window.result === "string"`))
		}
		var raw string
		if err == nil {
			raw, err = chromedp.Run(ctx, chromedp.Evaluate[string](`window.result`))
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got struct {
			Connected *string
			Refused   string
			Sockets   int
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatalf("%s: %s: %v", tc.name, raw, err)
		}
		switch {
		case tc.code == "" && (got.Connected == nil || *got.Connected == ""):
			t.Errorf("%s: %s, want connected", tc.name, raw)
		case tc.code != "" && !(strings.Contains(got.Refused, tc.code) && strings.Contains(got.Refused, `"StatusCode":401`)):
			t.Errorf("%s: %s, want setUser rejected with Stream's %s and StatusCode 401", tc.name, raw, tc.code)
		case got.Sockets != 1:
			t.Errorf("%s: the client opened %d WebSockets within 3 s, want 1 (%s)", tc.name, got.Sockets, raw)
		}
	}
}
