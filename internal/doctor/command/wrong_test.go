package command

import (
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// wrong is one way the consoles or the bridge's settings are set up wrong.
type wrong struct {
	name  string
	set   func(t *testing.T, f *fixture)
	id    string // the check that names it
	mark  string // its line's mark: FAIL, warn or info
	words string // what its line says
	// fixed: --fix repairs it, and a second run passes that check. When
	// false, --fix leaves it as it was and the check still reports it.
	fixed bool
}

var wrongs = []wrong{
	{"the number's webhook points at the old backend", func(t *testing.T, f *fixture) {
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL = "https://old-backend.example/sms?key=x" })
	}, "twilio.number.sms_url", "FAIL", "https://old-backend.example/sms, not to", true},
	{"the number's webhook uses GET", func(t *testing.T, f *fixture) {
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsMethod = "GET" })
	}, "twilio.number.method", "FAIL", "with GET", true},
	{"the number's webhook has no retry fragment", func(t *testing.T, f *fixture) {
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL = public + "/receive-sms" })
	}, "twilio.number.sms_url", "warn", "without the retry fragment", true},
	{"the sender number is not on the account", func(t *testing.T, f *fixture) {
		t.Setenv("TWILIO_FROM_NUMBER", "+12015550177")
	}, "twilio.number.exists", "FAIL", "ending 77 is not a number of this Twilio account", false},
	{"the sender number cannot send SMS", func(t *testing.T, f *fixture) {
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.NoSMS = true })
	}, "twilio.number.exists", "FAIL", "cannot send or receive SMS", false},
	{"the number's fallback URL points at another system", func(t *testing.T, f *fixture) {
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsFallbackURL = "https://old-backend.example/fallback" })
	}, "twilio.number.fallback_url", "warn", "fallback URL is https://old-backend.example/fallback", false},
	{"a Messaging Service overrides the number's webhook", func(t *testing.T, f *fixture) {
		f.tw.AddService(twiliotest.MessagingService{Sid: service, InboundRequestURL: "https://old-backend.example/in", Numbers: []string{clinic}})
		t.Setenv("TWILIO_MESSAGING_SERVICE_SID", service)
	}, "twilio.service.inbound", "FAIL", "overrides its numbers' webhooks", true},
	{"a Messaging Service that overrides the numbers has a fallback URL elsewhere", func(t *testing.T, f *fixture) {
		f.tw.AddService(twiliotest.MessagingService{Sid: service, InboundRequestURL: inbound,
			FallbackURL: "https://old-backend.example/fallback", Numbers: []string{clinic}})
		t.Setenv("TWILIO_MESSAGING_SERVICE_SID", service)
	}, "twilio.service.fallback_url", "warn", "fallback URL is https://old-backend.example/fallback", false},
	{"another number of the account sends texts to the bridge", func(t *testing.T, f *fixture) {
		f.tw.AddNumber(twiliotest.IncomingNumber{Sid: "PN0123456789abcdef0123456789abcd02", PhoneNumber: "+12015550102", SmsURL: inbound})
	}, "twilio.number.unlisted", "warn", "ending 02 (PN0123456789abcdef0123456789abcd02) sends texts to the bridge but is not TWILIO_FROM_NUMBER", false},
	{"Stream's webhook URL is missing", func(t *testing.T, f *fixture) {
		f.st.SetApp(streamtest.AppSettings{})
	}, "stream.webhook_url", "FAIL", "webhook URL is not set", true},
	{"Stream's webhook URL is stale", func(t *testing.T, f *fixture) {
		f.st.SetApp(streamtest.AppSettings{WebhookURL: "https://old-backend.example/stream"})
	}, "stream.webhook_url", "FAIL", "https://old-backend.example/stream, not to", true},
	{"Stream's auth checks are off", func(t *testing.T, f *fixture) {
		f.st.SetApp(streamtest.AppSettings{WebhookURL: public + "/stream-outgoing-sms", DisableAuthChecks: true})
	}, "stream.auth_checks", "FAIL", "auth checks are disabled", false},
	{"the channel type does not exist", func(t *testing.T, f *fixture) {
		t.Setenv("SMS_CHANNEL_TYPE", "patient_sms")
	}, "stream.channel_type", "FAIL", "patient_sms (SMS_CHANNEL_TYPE) does not exist", true},
	{"an admin is not a Stream user", func(t *testing.T, f *fixture) {
		t.Setenv("ADMIN_USERS", "front_desk:"+hashOf(t)+",night_nurse:"+hashOf(t))
	}, "stream.admin_users", "warn", "not in Stream: night_nurse", false},
	{"an admin's Stream role is not an admin role", func(t *testing.T, f *fixture) {
		f.st.PutUser(streamtest.User{ID: "front_desk", Role: "user"})
	}, "stream.admin_users", "warn", "front_desk (user)", false},
	{"PUBLIC_URL is http on this machine", func(t *testing.T, f *fixture) {
		t.Setenv("PUBLIC_URL", "http://127.0.0.1:8080")
		f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL = "http://127.0.0.1:8080/receive-sms#rc=3&rp=5xx" })
		f.st.SetApp(streamtest.AppSettings{WebhookURL: "http://127.0.0.1:8080/stream-outgoing-sms"})
	}, "bridge.public_url", "warn", "http on this machine", false},
	{"CORS_ALLOWED_ORIGINS is empty", func(t *testing.T, f *fixture) {
		t.Setenv("CORS_ALLOWED_ORIGINS", "")
	}, "bridge.cors", "warn", "CORS_ALLOWED_ORIGINS is empty", false},
	{"TRUSTED_PROXIES is empty with a public URL elsewhere", func(t *testing.T, f *fixture) {
		t.Setenv("TRUSTED_PROXIES", "")
	}, "bridge.trusted_proxies", "info", "TRUSTED_PROXIES is empty", false},
}

// hashOf returns a bcrypt hash of the lowest cost ADMIN_USERS accepts,
// made once: bcrypt is slow on purpose, and slower under -race.
func hashOf(t *testing.T) string {
	h, err := adminHash()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var adminHash = sync.OnceValues(func() (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte("a long enough password"), config.MinAdminHashCost)
	return string(h), err
})

func TestEachWrongSettingIsNamedAndFixWhereDoctorCan(t *testing.T) {
	for _, w := range wrongs {
		t.Run(w.name, func(t *testing.T) {
			f := newFixture(t)
			w.set(t, f)
			code, out := runDoctor(t)
			l := line(out, w.id)
			if !strings.HasPrefix(l, w.mark) || !strings.Contains(l, w.words) {
				t.Errorf("%s: %q, want %s saying %q\n%s", w.id, l, w.mark, w.words, out)
			}
			if want := exitFor(w.mark); code != want {
				t.Errorf("exit %d, want %d\n%s", code, want, out)
			}
			if !strings.Contains(out, w.id+" ") || !strings.Contains(out[strings.Index(out, l)+len(l):], "fix: ") {
				t.Errorf("no fix under %s:\n%s", w.id, out)
			}
			runDoctor(t, "--fix")
			code, out = runDoctor(t)
			l = line(out, w.id)
			switch {
			case w.fixed && (!strings.HasPrefix(l, "ok") || code != 0):
				t.Errorf("after --fix: exit %d, %q; want 0 and ok\n%s", code, l, out)
			case !w.fixed && (!strings.HasPrefix(l, w.mark) || code != exitFor(w.mark)):
				t.Errorf("after --fix: exit %d, %q; want it left as it was\n%s", code, l, out)
			}
		})
	}
}

func exitFor(mark string) int {
	if mark == "FAIL" {
		return exitFailed
	}
	return 0
}

func TestFixChangesOnlyTheConfiguredSettings(t *testing.T) {
	f := newFixture(t)
	other := f.tw.AddNumber(twiliotest.IncomingNumber{PhoneNumber: "+12015550188", SmsURL: "https://another-app.example/sms", SmsMethod: "GET"})
	f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsURL, n.SmsMethod = "https://old.example/sms", "GET" })
	f.st.SetApp(streamtest.AppSettings{DisableAuthChecks: true})

	code, out := runDoctor(t, "--fix")
	_, changes, _ := strings.Cut(out, "changing:")
	changes, _, _ = strings.Cut(changes, "after the changes:")
	if code != exitFailed || strings.Count(changes, "webhook to POST "+inbound) != 1 {
		t.Errorf("exit %d; want 1 (auth checks stay off) and the number's change shown once:\n%s", code, out)
	}
	if n, _ := f.tw.Number(clinic); n.SmsURL != inbound || n.SmsMethod != "POST" {
		t.Errorf("the clinic's number after --fix: %+v", n)
	}
	if n, _ := f.tw.Number(other.PhoneNumber); n != other {
		t.Errorf("another number changed: %+v, was %+v", n, other)
	}
	if a := f.st.App(); !a.DisableAuthChecks || a.WebhookURL != public+"/stream-outgoing-sms" {
		t.Errorf("Stream after --fix: %+v; want the webhook set and auth checks left alone", a)
	}
}

func TestBadConfigurationExits2NamingIt(t *testing.T) {
	for _, tc := range []struct{ name, key, value, want string }{
		{"PUBLIC_URL is http on a public host", "PUBLIC_URL", "http://smsbridge.example.org", "PUBLIC_URL"},
		{"an admin hash is too cheap", "ADMIN_USERS", "front_desk:$2a$04$abcdefghijklmnopqrstuuJ9Zq3v2iBx6x6vZCmu7y0qD2b1G0xUe", "ADMIN_USERS"},
		{"a stray flag", "", "", "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newFixture(t)
			args := []string{}
			if tc.key != "" {
				t.Setenv(tc.key, tc.value)
			} else {
				args = []string{"--repair"}
			}
			code, out := runDoctor(t, args...)
			if code != exitUsage || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, want 2 naming %s:\n%s", code, tc.want, out)
			}
		})
	}
}

func TestAVendorThatCannotBeReachedIsAFailureThatSaysWhich(t *testing.T) {
	f := newFixture(t)
	f.st.Close()
	t.Setenv("TWILIO_AUTH_TOKEN", "nottheaccountstoken")
	code, out := runDoctor(t)
	if code != exitFailed {
		t.Errorf("exit %d, want 1", code)
	}
	for id, want := range map[string]string{
		"twilio.number.exists": "could not read the settings from Twilio: twilio list numbers: status 401 code 20003",
		"stream.webhook_url":   "could not read the settings from Stream",
		"stream.channel_type":  "could not read the settings from Stream",
	} {
		if l := line(out, id); !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, want) {
			t.Errorf("%s: %q, want FAIL saying %q", id, l, want)
		}
	}
	if strings.Contains(out, "nottheaccountstoken") {
		t.Error("the output shows the token")
	}
}
