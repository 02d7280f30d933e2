package dev

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
)

// corsPage is a dashboard's page on another origin: run() logs in and sends
// a reminder twice with one Idempotency-Key, sending every request header
// docs/api.md documents, then fails the admin's login until the API answers
// 429; it keeps the status and each exposed answer header it can
// read (null where the browser hides one) in window.result.
const corsPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script>
async function run(api, adminId, password, phoneNumber, messageText, key) {
  const out = {};
  const headers = (r) => ({ status: r.status, requestId: r.headers.get("X-Request-Id"),
    replayed: r.headers.get("Idempotent-Replayed"), retryAfter: r.headers.get("Retry-After") });
  try {
    const login = await fetch(api + "/admin-login", { method: "POST",
      headers: { "Content-Type": "application/json", "X-Request-Id": "cors-login" },
      body: JSON.stringify({ adminId, password }) });
    out.login = headers(login);
    const { token } = await login.json();
    const send = () => fetch(api + "/send-reminder", { method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token,
        "Idempotency-Key": key, "X-Request-Id": "cors-remind" },
      body: JSON.stringify({ phoneNumber, messageText }) });
    out.first = headers(await send());
    out.again = headers(await send());
    for (let i = 0; i < 10; i++) {
      const r = await fetch(api + "/admin-login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ adminId, password: "not-" + password }) });
      if (r.status === 429) { out.limited = headers(r); break; }
    }
  } catch (e) {
    out.error = String(e);
  }
  window.result = JSON.stringify(out);
}
</script></body></html>`

// corsAnswer is one answer as the page could read it.
type corsAnswer struct {
	Status     int
	RequestID  *string
	Replayed   *string
	RetryAfter *string
}

func (a corsAnswer) String() string {
	b, _ := json.Marshal(a)
	return string(b)
}

// runCORSPage opens the page served on its own origin and runs it against
// the sandbox r.
func runCORSPage(t *testing.T, r *running, origin, key string) map[string]json.RawMessage {
	t.Helper()
	ctx := browserFor(t)
	const reminder = "Reminder: your cleaning is on Friday at 10am."
	r.keepPrivate(reminder, "2015550123")
	call := `run(` + strings.Join([]string{js(r.sb.URL), js(r.sb.AdminID), js(r.sb.AdminPassword), js(alex), js(reminder), js(key)}, ", ") + `), true`
	err := chromedp.Do(ctx, chromedp.Navigate(origin+"/"), chromedp.WaitReady("body"))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](call))
	}
	if err == nil {
		// Six failed logins each run bcrypt, slow under -race on a busy
		// machine (the admin's hash is the cheap test cost; an unknown id's
		// is not): the page gets a minute.
		err = chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`typeof window.result === "string"`,
			chromedp.WithPollingTimeout(time.Minute), chromedp.WithPollingInterval(50*time.Millisecond)))
	}
	var raw string
	if err == nil {
		raw, err = chromedp.Run(ctx, chromedp.Evaluate[string](`window.result`))
	}
	if err != nil {
		t.Fatalf("the page on %s: %v", origin, err)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("result %s: %v", raw, err)
	}
	return out
}

func TestADashboardOnAnotherOriginSendsEveryDocumentedHeaderAndReadsEveryExposedOne(t *testing.T) {
	chromiumPath(t)
	page := http.FS(fstest.MapFS{"index.html": {Data: []byte(corsPage)}})
	origin := serveStatic(t, page)
	r := startSandboxWith(t, Options{CORSOrigins: []string{origin}})
	out := runCORSPage(t, r, origin, "8a4f3c2e-5d6b-4e1f-9a7c-0b2d4e6f8a10")
	if e, ok := out["error"]; ok {
		t.Fatalf("the browser refused a call: %s", e)
	}
	answer := func(name string) corsAnswer {
		var a corsAnswer
		if err := json.Unmarshal(out[name], &a); err != nil {
			t.Fatalf("%s: %s: %v", name, out[name], err)
		}
		return a
	}
	is := func(p *string, want string) bool { return p != nil && *p == want }
	if a := answer("login"); a.Status != http.StatusOK || !is(a.RequestID, "cors-login") {
		t.Errorf("login = %s, want 200 with the page's X-Request-Id readable", a)
	}
	if a := answer("first"); a.Status != http.StatusOK || !is(a.RequestID, "cors-remind") || a.Replayed != nil {
		t.Errorf("first reminder = %s, want 200, X-Request-Id readable, not replayed", a)
	}
	if a := answer("again"); a.Status != http.StatusOK || !is(a.Replayed, "true") {
		t.Errorf("the same Idempotency-Key again = %s, want 200 with Idempotent-Replayed: true readable", a)
	}
	if a := answer("limited"); a.Status != http.StatusTooManyRequests || a.RetryAfter == nil || *a.RetryAfter == "" {
		t.Errorf("too many failed logins = %s, want 429 with Retry-After readable", a)
	}
	r.waitUntil("one reminder reaches the phone", func(v stateView) bool {
		return received(v, alex, "Reminder: your cleaning is on Friday at 10am.")
	})
	if n := countReceived(r.state(), alex, "Reminder: your cleaning is on Friday at 10am."); n != 1 {
		t.Errorf("the phone got the reminder %d times, want once", n)
	}
}

func TestAPageOnAnOriginNotListedCannotCallTheAPI(t *testing.T) {
	chromiumPath(t)
	page := http.FS(fstest.MapFS{"index.html": {Data: []byte(corsPage)}})
	allowed, other := serveStatic(t, page), serveStatic(t, page)
	r := startSandboxWith(t, Options{CORSOrigins: []string{allowed}})
	out := runCORSPage(t, r, other, "0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e")
	if e := string(out["error"]); !strings.Contains(e, "Failed to fetch") {
		t.Errorf("from an origin CORS_ALLOWED_ORIGINS does not list: %v, want the browser's TypeError: Failed to fetch", out)
	}
}

// countReceived counts the texts the phone received with body text.
func countReceived(v stateView, number, text string) int {
	n := 0
	for _, t := range screen(v, number) {
		if !t.Mine && t.Body == text {
			n++
		}
	}
	return n
}
