package command

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestFixSendsOnlyTheFieldsItFixesAndLeavesRevokedTokensRevoked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(t *testing.T, f *fixture) (sid string)
		fields []string // the only form fields the Twilio update may carry
	}{
		{"the number's webhook is wrong", func(t *testing.T, f *fixture) string {
			f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL, n.SmsMethod = "https://old.example/sms", "GET" })
			n, _ := f.tw.Number(clinic)
			return n.Sid
		}, []string{"SmsMethod", "SmsUrl"}},
		{"a Messaging Service overrides the number's webhook", func(t *testing.T, f *fixture) string {
			f.tw.AddService(twiliotest.MessagingService{Sid: service, InboundRequestURL: "https://old-backend.example/in", Numbers: []string{clinic}})
			t.Setenv("TWILIO_MESSAGING_SERVICE_SID", service)
			return service
		}, []string{"InboundMethod", "InboundRequestUrl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			sid := tc.set(t, f)
			revoked := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
			before := streamtest.AppSettings{WebhookURL: "https://old-backend.example/stream", Name: "Riverside Clinic",
				Organization: "Riverside", RevokeTokensIssuedBefore: revoked}
			f.st.SetApp(before)

			if code, out := runDoctor(t, "--fix"); code != 0 {
				t.Fatalf("exit %d, want 0 after the fixes:\n%s", code, out)
			}

			ups := f.tw.SettingsUpdates()
			if len(ups) != 1 || ups[0].Sid != sid {
				t.Errorf("Twilio updates = %v, want one, of %s", ups, sid)
			}
			for _, u := range ups {
				if got := slices.Sorted(maps.Keys(u.Form)); !slices.Equal(got, tc.fields) {
					t.Errorf("the update of %s sent %v, want only %v", u.Sid, got, tc.fields)
				}
			}
			hook := public + "/stream-outgoing-sms"
			if ups := f.st.AppUpdates(); len(ups) != 1 || !maps.Equal(ups[0], map[string]any{"webhook_url": hook}) {
				t.Errorf("PATCH /app bodies = %v, want one with exactly one field, webhook_url", ups)
			}
			want := before
			want.WebhookURL = hook
			if got := f.st.App(); got != want {
				t.Errorf("Stream's app after --fix = %+v, want %+v: the name and the token revocation kept", got, want)
			}
		})
	}
}
