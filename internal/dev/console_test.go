package dev

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestTheConsoleRefusesWhatNoPhoneOrAdminCouldSend(t *testing.T) {
	r := startSandbox(t)
	tests := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"a text from a number that is not one", "/dev/api/text", map[string]string{"from": "12345", "body": "hi"}, 400, "invalid_phone"},
		{"a text from the clinic's own number", "/dev/api/text", map[string]string{"from": clinicNumber, "body": "hi"}, 400, "invalid_phone"},
		{"an empty text", "/dev/api/text", map[string]string{"from": alex, "body": "  "}, 400, "empty_text"},
		{"a text over 1600 characters", "/dev/api/text", map[string]string{"from": alex, "body": strings.Repeat("a", 1601)}, 400, "too_long"},
		{"a body that is not JSON", "/dev/api/text", "not an object", 400, "bad_json"},
		{"a reply in a channel that does not exist", "/dev/api/reply", map[string]string{"channelId": "19995550100", "text": "hi"}, 404, "no_channel"},
		{"an empty reply", "/dev/api/reply", map[string]string{"channelId": alexCID, "text": ""}, 400, "empty_text"},
		{"an unknown console route", "/dev/api/nothing", map[string]string{}, 404, "not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := r.post(tc.path, tc.body, nil)
			if status != tc.wantStatus || out["code"] != tc.wantCode || out["error"] == "" {
				t.Errorf("answer = %d %v, want %d %s", status, out, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestTheConsoleActsOnlyOnJSONFromItsOwnPage(t *testing.T) {
	r := startSandbox(t)
	text := map[string]string{"from": alex, "body": "hi"}
	reply := map[string]string{"channelId": alexCID, "text": "hi"}
	own := strings.TrimSuffix(r.sb.URL, "/")
	for _, tc := range []struct {
		name       string
		path       string
		body       any
		header     http.Header
		wantStatus int
		wantCode   string
	}{
		{"a cross-site text/plain form post is 415", "/dev/api/text", text,
			http.Header{"Content-Type": {"text/plain"}, "Origin": {"https://evil.example"}}, 415, "unsupported_media_type"},
		{"a text/plain post even from its own page is 415", "/dev/api/reply", reply,
			http.Header{"Content-Type": {"text/plain;charset=UTF-8"}, "Origin": {own}}, 415, "unsupported_media_type"},
		{"JSON from another origin is 403", "/dev/api/text", text,
			http.Header{"Origin": {"https://evil.example"}}, 403, "cross_origin"},
		{"JSON from a page that hides its origin is 403", "/dev/api/reply", reply,
			http.Header{"Origin": {"null"}}, 403, "cross_origin"},
		{"JSON a browser marks cross-site without an Origin is 403", "/dev/api/reply", reply,
			http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403, "cross_origin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := r.post(tc.path, tc.body, tc.header)
			if status != tc.wantStatus || out["code"] != tc.wantCode {
				t.Errorf("answer = %d %v, want %d %s", status, out, tc.wantStatus, tc.wantCode)
			}
		})
	}
	if status, out := r.post("/dev/api/text", text, http.Header{"Origin": {own}, "Sec-Fetch-Site": {"same-origin"}}); status != http.StatusOK {
		t.Errorf("the console's own page: %d %v", status, out)
	}
}

func TestTheConsoleAndTheServiceShareOnePort(t *testing.T) {
	r := startSandbox(t)
	tests := []struct {
		name        string
		method      string
		path        string
		wantStatus  int
		wantType    string
		wantContent string
	}{
		{"the page is at the root", "GET", "/", 200, "text/html", "Patient phone"},
		{"its script is embedded", "GET", "/dev/static/console.js", 200, "javascript", "/dev/api/state"},
		{"its style is embedded", "GET", "/dev/static/console.css", 200, "text/css", ".bubble"},
		{"the service's probes answer as serve's", "GET", "/healthz", 200, "application/json", "ok"},
		{"the service's webhooks still check signatures", "POST", "/receive-sms", 403, "application/json", "signature"},
		{"unknown paths get the service's 404", "GET", "/nothing-here", 404, "application/json", "not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, r.sb.URL+tc.path, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus || !strings.Contains(resp.Header.Get("Content-Type"), tc.wantType) ||
				!strings.Contains(string(body), tc.wantContent) {
				t.Errorf("answer = %d %s %.80q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff header")
			}
		})
	}
}

func TestTheSandboxListensOnlyWhereItsURLWorks(t *testing.T) {
	tests := []struct {
		name    string
		addr    net.Addr
		want    string
		wantErr bool
	}{
		{"loopback keeps its address", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080", false},
		{"IPv6 loopback is bracketed", &net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080", false},
		{"every interface is reached on 127.0.0.1", &net.TCPAddr{IP: net.IPv4zero, Port: 9000}, "http://127.0.0.1:9000", false},
		{"one external address is refused", &net.TCPAddr{IP: net.IPv4(192, 168, 1, 20), Port: 8080}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PublicURL(tc.addr)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("PublicURL = %q, %v; want %q (error: %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
