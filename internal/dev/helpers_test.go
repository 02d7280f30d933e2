package dev

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/config"
)

// testStep keeps the carrier quick but slower than the bridge's own marking,
// as real carriers are.
const testStep = 100 * time.Millisecond

// running is one test's sandbox, served on a random 127.0.0.1 port.
type running struct {
	t    *testing.T
	sb   *Sandbox
	logs string // the file the service logs to
	// private are strings its logs must never contain: numbers, texts,
	// the password, tokens.
	mu      sync.Mutex
	private []string
}

func startSandbox(t *testing.T) *running {
	t.Helper()
	return startSandboxWith(t, Options{})
}

// startSandboxWith starts a sandbox with o's CORSOrigins (the test sets the
// logs, the carrier's step and the hash cost).
func startSandboxWith(t *testing.T, o Options) *running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &running{t: t, logs: filepath.Join(t.TempDir(), "logs.json")}
	logs, err := os.Create(r.logs) // an *os.File takes concurrent writes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	o.Logs, o.LogFormat, o.Step, o.hashCost = logs, "json", testStep, config.MinAdminHashCost
	sb, err := Start(ln, o)
	if err != nil {
		ln.Close()
		t.Fatalf("Start: %v", err)
	}
	r.sb = sb
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sb.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("sandbox did not stop within 15 s")
		}
		r.checkLogs()
	})
	r.keepPrivate(sb.AdminPassword)
	r.waitUntil("the service is ready", func(stateView) bool { return sb.Ready() })
	return r
}

func (r *running) keepPrivate(s ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.private = append(r.private, s...)
}

// checkLogs holds the service's logging rule in the sandbox too.
func (r *running) checkLogs() {
	b, err := os.ReadFile(r.logs)
	if err != nil {
		r.t.Fatal(err)
	}
	logs := string(b)
	if !strings.Contains(logs, `"message":"ready"`) {
		r.t.Errorf("the service's logs are not in the file; the check below would prove nothing")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.private {
		if s != "" && strings.Contains(logs, s) {
			r.t.Errorf("logs contain %q", s)
		}
	}
}

// post sends a JSON request and decodes the JSON answer.
func (r *running) post(path string, body any, header http.Header) (int, map[string]any) {
	r.t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, r.sb.URL+path, bytes.NewReader(b))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// text sends a text from a patient phone through the console.
func (r *running) text(from, body string) map[string]any {
	r.t.Helper()
	r.keepPrivate(strings.TrimPrefix(from, "+"), body)
	status, out := r.post("/dev/api/text", map[string]string{"from": from, "body": body}, nil)
	if status != http.StatusOK || out["webhookStatus"] != float64(200) {
		r.t.Fatalf("text: %d %v", status, out)
	}
	return out
}

// reply posts the admin's reply through the console.
func (r *running) reply(channelID, text string) {
	r.t.Helper()
	r.keepPrivate(text)
	if status, out := r.post("/dev/api/reply", map[string]string{"channelId": channelID, "text": text}, nil); status != http.StatusOK {
		r.t.Fatalf("reply: %d %v", status, out)
	}
}

func (r *running) state() stateView {
	r.t.Helper()
	resp, err := http.Get(r.sb.URL + "/dev/api/state")
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v stateView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		r.t.Fatalf("state: %v", err)
	}
	return v
}

// waitUntil polls the console's state until cond holds, for at most 10 s.
func (r *running) waitUntil(what string, cond func(stateView) bool) stateView {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v := r.state()
		if cond(v) {
			return v
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("not within 10 s: %s; state: %+v", what, v)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func channel(v stateView, id string) (channelView, bool) {
	for _, c := range v.Channels {
		if c.ID == id {
			return c, true
		}
	}
	return channelView{}, false
}

func screen(v stateView, number string) []phoneText {
	for _, p := range v.Phones {
		if p.Number == number {
			return p.Texts
		}
	}
	return nil
}

// lineWithText returns the channel's message with that text.
func lineWithText(v stateView, channelID, text string) (chatLine, bool) {
	c, _ := channel(v, channelID)
	for _, m := range c.Messages {
		if m.Text == text {
			return m, true
		}
	}
	return chatLine{}, false
}

// received reports whether the phone's screen shows text as received.
func received(v stateView, number, text string) bool {
	for _, t := range screen(v, number) {
		if !t.Mine && t.Body == text {
			return true
		}
	}
	return false
}
