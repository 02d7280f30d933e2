package command

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const (
	account = "AC0123456789abcdef0123456789abcdef"
	service = "MG0123456789abcdef0123456789abcdef"
	clinic  = "+12015550100" // the clinic's Twilio number, fictional
	public  = "https://smsbridge.example.org"
	inbound = public + "/receive-sms#rc=3&rp=5xx"
)

// fixture is a healthy set-up: fakes of Twilio and Stream configured as the
// bridge needs, and the environment serve would read.
type fixture struct {
	tw *twiliotest.Server
	st *streamtest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{
		tw: twiliotest.NewServer(twiliotest.Options{AccountSID: account, AuthToken: "twiliotokenvalue", Fail: t.Errorf}),
		st: streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "stream-secret-value", Fail: t.Errorf}),
	}
	t.Cleanup(f.tw.Close)
	t.Cleanup(f.st.Close)
	f.tw.AddNumber(twiliotest.IncomingNumber{PhoneNumber: clinic, SmsURL: inbound})
	f.st.AddChannelType("sms")
	f.st.PutUser(streamtest.User{ID: "front_desk", Role: "admin"})
	f.st.SetApp(streamtest.AppSettings{WebhookURL: public + "/stream-outgoing-sms"})
	for k, v := range map[string]string{
		"STREAM_API_KEY": "key", "STREAM_API_SECRET": "stream-secret-value", "STREAM_BASE_URL": f.st.URL(),
		"TWILIO_ACCOUNT_SID": account, "TWILIO_AUTH_TOKEN": "twiliotokenvalue", "TWILIO_API_BASE_URL": f.tw.URL(),
		"TWILIO_FROM_NUMBER": clinic, "TWILIO_MESSAGING_SERVICE_SID": "", "PUBLIC_URL": public,
		"ADMIN_USERS": "front_desk:" + hashOf(t), "ADMIN_ROLES": "admin",
		"CORS_ALLOWED_ORIGINS": "https://dashboard.example.org", "TRUSTED_PROXIES": "10.0.0.0/8", "REDIS_URL": "",
	} {
		t.Setenv(k, v)
	}
	return f
}

// runDoctor runs the command and returns its exit code and output.
func runDoctor(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), args, &stdout, &stderr)
	out := stdout.String() + stderr.String()
	for _, secret := range []string{"twiliotokenvalue", "stream-secret-value", clinic, clinic[1:], clinic[2:]} {
		if strings.Contains(out, secret) {
			t.Errorf("the output shows %q:\n%s", secret, out)
		}
	}
	return code, out
}

// line returns the output line of check id.
func line(out, id string) string {
	for l := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[1] == id {
			return l
		}
	}
	return ""
}

func TestAHealthySetUpPassesEveryCheck(t *testing.T) {
	newFixture(t)
	code, out := runDoctor(t)
	if code != 0 || strings.Contains(out, "\nFAIL") || strings.Contains(out, "\nwarn") || !strings.Contains(out, "0 warnings, 0 failed") {
		t.Errorf("exit %d, want 0 and no problem:\n%s", code, out)
	}
	for _, id := range []string{"twilio.number.exists", "twilio.number.sms_url", "twilio.number.method", "twilio.number.fallback_url",
		"stream.webhook_url", "stream.auth_checks", "stream.channel_type", "stream.admin_users",
		"bridge.public_url", "bridge.admin_hashes", "bridge.cors", "bridge.trusted_proxies"} {
		if l := line(out, id); !strings.HasPrefix(l, "ok") {
			t.Errorf("%s: %q, want an ok line", id, l)
		}
	}
}

func TestJSONListsEveryCheckAndCountsFailures(t *testing.T) {
	f := newFixture(t)
	f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsMethod = "GET" })
	code, _ := runDoctor(t, "--json")
	var stdout, stderr bytes.Buffer
	Run(t.Context(), []string{"--json"}, &stdout, &stderr)
	var rep struct {
		Checks []struct{ ID, Status, Found, Fix string }
		Failed int
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	if code != 1 || rep.Failed != 1 || len(rep.Checks) != 12 {
		t.Fatalf("exit %d, %d failed of %d checks; want 1, 1 of 12:\n%s", code, rep.Failed, len(rep.Checks), stdout.String())
	}
	for _, c := range rep.Checks {
		if c.ID == "twilio.number.method" && (c.Status != "fail" || !strings.Contains(c.Found, "GET") || c.Fix == "") {
			t.Errorf("method check = %+v", c)
		}
	}
}

func TestFixWithJSONKeepsStdoutOneDocumentOfTheRunAfterTheChanges(t *testing.T) {
	f := newFixture(t)
	f.tw.ChangeNumber(clinic, func(n *twiliotest.IncomingNumber) { n.SmsMethod = "GET" })
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), []string{"--fix", "--json"}, &stdout, &stderr)
	var rep struct{ Failed int }
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || code != 0 || rep.Failed != 0 {
		t.Errorf("exit %d, stdout %s (%v); want 0 and one JSON document with nothing failed", code, stdout.String(), err)
	}
	if !strings.Contains(stderr.String(), "changing:") || !strings.Contains(stderr.String(), "twilio.number.method") {
		t.Errorf("stderr = %s, want the first run and the changes", stderr.String())
	}
}
