package dev

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestTheBannerSaysHowToOpenTheDashboard(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		origins   []string
		want      []string
	}{
		{"the default address, its origin allowed", "http://127.0.0.1:8080", []string{"http://127.0.0.1:5173"},
			[]string{"Dashboard: http://127.0.0.1:5173/", "cd examples/dashboard && npm ci && npm start\n"}},
		{"another address, no origin allowed", "http://127.0.0.1:9090", nil,
			[]string{"npm ci && SMSBRIDGE_URL=http://127.0.0.1:9090 npm start", "it needs dev started with -cors-origin http://127.0.0.1:5173"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			dashboardLines(&b, &Sandbox{URL: tc.url, cfg: config.Config{CORSAllowedOrigins: tc.origins}})
			if tc.origins != nil && strings.Contains(b.String(), "-cors-origin") {
				t.Errorf("banner lines ask for -cors-origin although it is allowed:\n%s", b.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("banner lines:\n%s\nwant %q", b.String(), w)
				}
			}
		})
	}
}
