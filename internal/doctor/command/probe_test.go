package command

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// edgeProxy is the TLS terminator in front of the bridge: PUBLIC_URL is its
// https address; it forwards to the bridge over http, changing the request
// as rewrite says.
func edgeProxy(t *testing.T, bridge string, rewrite func(*httputil.ProxyRequest)) *httptest.Server {
	t.Helper()
	target, err := url.Parse(bridge)
	if err != nil {
		t.Fatal(err)
	}
	p := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Header.Set("X-Forwarded-Proto", "https")
		rewrite(r)
	}}
	srv := httptest.NewTLSServer(p)
	t.Cleanup(srv.Close)
	return srv
}

// reindentJSON re-encodes a JSON body, as a proxy that "normalises" bodies does.
func reindentJSON(r *httputil.ProxyRequest) {
	body, _ := io.ReadAll(r.Out.Body)
	var v any
	if json.Unmarshal(body, &v) == nil {
		body, _ = json.MarshalIndent(v, "", "  ")
	}
	r.Out.Body, r.Out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	r.Out.Header.Set("Content-Length", strconv.Itoa(len(body)))
}

func TestProbeRoundTripsThroughTheProxyInFrontOfTheRealBridge(t *testing.T) {
	for _, tc := range []struct {
		name          string
		rewrite       func(*httputil.ProxyRequest)
		twilio, strm  string // the probes' marks
		twilioSaysWhy string
	}{
		{"a proxy that passes requests through", func(*httputil.ProxyRequest) {}, "ok", "ok", ""},
		// The bridge checks Twilio's signature against PUBLIC_URL plus the
		// path and query it receives (twiliohook.Verifier), never against the
		// scheme or host it sees, so a scheme rewrite is no false alarm.
		{"a proxy that rewrites the scheme from https to http", func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.Header.Set("X-Forwarded-Proto", "http")
		}, "ok", "ok", ""},
		{"a proxy that rewrites the path's query", func(r *httputil.ProxyRequest) {
			r.Out.URL.RawQuery = "edge=1"
		}, "FAIL", "ok", "PUBLIC_URL plus the path and query"},
		{"a proxy that re-encodes JSON bodies", reindentJSON, "ok", "FAIL", ""},
		{"a proxy that drops the vendors' signature headers", func(r *httputil.ProxyRequest) {
			r.Out.Header.Del("X-Twilio-Signature")
			r.Out.Header.Del("X-Signature")
		}, "FAIL", "FAIL", "X-Twilio-Signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			edge := edgeProxy(t, "http://"+ln.Addr().String(), tc.rewrite)
			t.Setenv("PUBLIC_URL", edge.URL)
			t.Setenv("SHUTDOWN_DELAY", "0s")
			f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL = edge.URL + "/receive-sms#rc=3&rp=5xx" })
			f.st.SetApp(streamtest.AppSettings{WebhookURL: edge.URL + "/stream-outgoing-sms"})
			cfg, err := config.Load()
			if err != nil {
				t.Fatal(err)
			}
			bridge, err := app.New(cfg, zerolog.Nop())
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- bridge.Serve(t.Context(), ln) }()
			t.Cleanup(func() { <-done })

			d, err := app.NewDoctor(cfg, true)
			if err != nil {
				t.Fatal(err)
			}
			client := edge.Client() // trusts the test certificate
			client.CheckRedirect = d.Probe.Client.CheckRedirect
			d.Probe.Client = client
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), d, options{}, &stdout, &stderr)
			out := stdout.String()
			tl, sl := line(out, "probe.twilio_status"), line(out, "probe.stream_webhook")
			if !strings.HasPrefix(tl, tc.twilio) || !strings.HasPrefix(sl, tc.strm) {
				t.Errorf("probes = %q, %q; want %s, %s\n%s", tl, sl, tc.twilio, tc.strm, out)
			}
			if tc.twilioSaysWhy != "" && !strings.Contains(out, tc.twilioSaysWhy) {
				t.Errorf("the output does not point at %q:\n%s", tc.twilioSaysWhy, out)
			}
			want := 0
			if tc.twilio == "FAIL" || tc.strm == "FAIL" {
				want = exitFailed
			}
			if code != want {
				t.Errorf("exit %d, want %d\n%s", code, want, out)
			}
			for _, op := range []string{streamtest.OpSendMessage, streamtest.OpUpdateMessage, streamtest.OpUpdateMessagePartial, streamtest.OpUpsertUsers, streamtest.OpQueryChannel} {
				if n := f.st.Calls(op); n != 0 {
					t.Errorf("the probes made %d %s calls to Stream, want none", n, op)
				}
			}
			if f.tw.Calls() != 0 {
				t.Errorf("the probes sent %d SMS", f.tw.Calls())
			}
		})
	}
}
