package config_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/config"
)

// hash of "correct horse" at cost 10 (the lowest ADMIN_USERS accepts), precomputed so tests stay fast.
const testHash = "$2a$10$TLN1Z4WJJ7LTUiqEO5Mvm.9Pg4eI.lQiAswmDbDyJ7pgPiP646lu6"

func setValid(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"STREAM_API_KEY": "key", "STREAM_API_SECRET": "stream-secret-value",
		"TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000001", "TWILIO_AUTH_TOKEN": "twilio-token-value",
		"TWILIO_FROM_NUMBER": "+12015550100", "PUBLIC_URL": "https://bridge.example.org",
		"ADMIN_USERS": "Front Desk:" + testHash + ", dr_lee:" + testHash,
	} {
		t.Setenv(k, v)
	}
}

func TestLoadAppliesTheContractDefaults(t *testing.T) {
	setValid(t)
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || c.DefaultRegion != "US" || c.SMSChannelType != "sms" || c.TokenTTL != 12*time.Hour ||
		c.LogLevel != "info" || c.LogFormat != "json" || c.TwilioAPIBaseURL != "https://api.twilio.com" ||
		len(c.AdminRoles) != 1 || c.AdminRoles[0] != "admin" || len(c.CORSAllowedOrigins) != 0 || len(c.TrustedProxies) != 0 {
		t.Errorf("defaults = %+v", c)
	}
	if got := c.AdminIDs(); len(got) != 2 || got[0] != "front_desk" || got[1] != "dr_lee" {
		t.Errorf("admin ids = %v, want normalised [front_desk dr_lee]", got)
	}
}

func TestLoadNamesEveryBadVariableWithoutValues(t *testing.T) {
	setValid(t)
	t.Setenv("STREAM_API_SECRET", "")
	t.Setenv("PORT", "eighty")
	t.Setenv("PUBLIC_URL", "http://bridge.example.org/")
	t.Setenv("ADMIN_USERS", "front_desk:plaintext-password")
	t.Setenv("TRUSTED_PROXIES", "10.0.0.0/33")
	t.Setenv("TOKEN_TTL", "forever")
	_, err := config.Load()
	if err == nil {
		t.Fatal("Load accepted bad configuration")
	}
	msg := err.Error()
	for _, name := range []string{"STREAM_API_SECRET", "PORT", "PUBLIC_URL", "ADMIN_USERS", "TRUSTED_PROXIES", "TOKEN_TTL"} {
		if !strings.Contains(msg, name) {
			t.Errorf("error does not name %s: %s", name, msg)
		}
	}
	for _, secret := range []string{"plaintext-password", "twilio-token-value", "eighty", "forever"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error quotes a value %q: %s", secret, msg)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
}

func TestShutdownDelayAndMetricsAddrAreCheckedAndDefaulted(t *testing.T) {
	setValid(t)
	c, err := config.Load()
	if err != nil || c.ShutdownDelay != 5*time.Second || c.MetricsAddr != "" {
		t.Fatalf("defaults: %v %q, %v", c.ShutdownDelay, c.MetricsAddr, err)
	}
	t.Setenv("SHUTDOWN_DELAY", "0s")
	t.Setenv("METRICS_ADDR", ":9090")
	if c, err = config.Load(); err != nil || c.ShutdownDelay != 0 || c.MetricsAddr != ":9090" {
		t.Fatalf("set: %v %q, %v", c.ShutdownDelay, c.MetricsAddr, err)
	}
	t.Setenv("SHUTDOWN_DELAY", "1m")
	t.Setenv("METRICS_ADDR", "9090")
	_, err = config.Load()
	if err == nil || !strings.Contains(err.Error(), "SHUTDOWN_DELAY") || !strings.Contains(err.Error(), "METRICS_ADDR") {
		t.Errorf("err = %v, want both named", err)
	}
}

func TestAnAdminHashBelowCost10IsRefused(t *testing.T) {
	setValid(t)
	// bcrypt of "correct horse" at cost 9 and at cost 4.
	for _, weak := range []string{
		"$2a$04$2F1ZnGnPHo3tOgb3NL0dbuO4Ydy14qhlrpk4wqwP0XZ4bTPGUY7DW",
		"$2a$09$96HiQ2OQb5NlxKnC84ZpAu2kvtdJTc6Kv6G/SnLJGFO7Gf3mtFHBO",
	} {
		t.Setenv("ADMIN_USERS", "front_desk:"+testHash+",dr_lee:"+weak)
		_, err := config.Load()
		if err == nil || !strings.Contains(err.Error(), "ADMIN_USERS") || !strings.Contains(err.Error(), "entry 2") {
			t.Errorf("cost %s: err = %v, want ADMIN_USERS entry 2 refused", weak[4:6], err)
		}
	}
}

func TestTutorialAliasesAreAcceptedWithAWarning(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_ACCOUNT_SID", "")
	t.Setenv("TWILIO_AUTH_TOKEN", "")
	t.Setenv("TWILIO_SID", "AC00000000000000000000000000000002")
	t.Setenv("TWILIO_TOKEN", "alias-token")
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.TwilioAccountSID != "AC00000000000000000000000000000002" || string(c.TwilioAuthToken) != "alias-token" {
		t.Errorf("aliases not used: %s", c.TwilioAccountSID)
	}
	if len(c.Warnings) != 2 || !strings.Contains(strings.Join(c.Warnings, " "), "TWILIO_SID") {
		t.Errorf("warnings = %v", c.Warnings)
	}
}

func TestOneOfFromNumberOrMessagingServiceIsRequired(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_FROM_NUMBER", "")
	if _, err := config.Load(); err == nil || !strings.Contains(err.Error(), "TWILIO_FROM_NUMBER") {
		t.Fatalf("err = %v", err)
	}
	t.Setenv("TWILIO_MESSAGING_SERVICE_SID", "MG00000000000000000000000000000001")
	if _, err := config.Load(); err != nil {
		t.Fatalf("messaging service alone refused: %v", err)
	}
}

func TestHTTPPublicURLOnlyForLoopback(t *testing.T) {
	setValid(t)
	t.Setenv("PUBLIC_URL", "http://127.0.0.1:8080")
	if _, err := config.Load(); err != nil {
		t.Errorf("loopback http refused: %v", err)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	setValid(t)
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%v %+v %#v", c, c, c)
	for _, secret := range []string{"stream-secret-value", "twilio-token-value", testHash} {
		if strings.Contains(out, secret) {
			t.Errorf("printed config contains a secret: %s", secret)
		}
	}
}

func TestTrustedProxiesAndOrigins(t *testing.T) {
	setValid(t)
	t.Setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7")
	t.Setenv("CORS_ALLOWED_ORIGINS", "https://dashboard.example.org/")
	c, err := config.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.7/32" {
		t.Errorf("proxies = %v", c.TrustedProxies)
	}
	if len(c.CORSAllowedOrigins) != 1 || c.CORSAllowedOrigins[0] != "https://dashboard.example.org" {
		t.Errorf("origins = %v", c.CORSAllowedOrigins)
	}
}

func TestTheSenderNumberMustBeAValidE164Number(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{
		{"E.164 is taken", "+12015550100", true},
		{"a UK number in E.164 is taken", "+442079460123", true},
		{"a local number is refused", "555-1234", false},
		{"national notation is refused", "(201) 555-0100", false},
		{"spaces are refused", "+1 201 555 0100", false},
		{"an invalid number is refused", "+15550100", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setValid(t)
			t.Setenv("TWILIO_FROM_NUMBER", tc.value)
			_, err := config.Load()
			if tc.ok && err != nil {
				t.Fatalf("%q refused: %v", tc.value, err)
			}
			if !tc.ok && (err == nil || !strings.Contains(err.Error(), "TWILIO_FROM_NUMBER")) {
				t.Fatalf("%q: err = %v, want it naming TWILIO_FROM_NUMBER", tc.value, err)
			}
		})
	}
}

func TestCheckOriginTakesOneOriginAsCORSAllowedOriginsDoes(t *testing.T) {
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"http://localhost:3000", true},
		{"https://dashboard.example.org/", true},
		{"localhost:3000", false},
		{"http://localhost:3000/app", false},
		{"http://a.example.org,http://b.example.org", false},
	} {
		if err := config.CheckOrigin(tc.origin); (err == nil) != tc.ok {
			t.Errorf("CheckOrigin(%q) = %v, want ok %v", tc.origin, err, tc.ok)
		}
	}
}

func TestReminderReplyWindowDefaultsToAWeekAndRefusesNonsense(t *testing.T) {
	setValid(t)
	c, err := config.Load()
	if err != nil || c.ReminderReplyWindow != 168*time.Hour {
		t.Fatalf("default = %v, %v; want 168h", c.ReminderReplyWindow, err)
	}
	t.Setenv("REMINDER_REPLY_WINDOW", "48h")
	if c, err = config.Load(); err != nil || c.ReminderReplyWindow != 48*time.Hour {
		t.Fatalf("48h = %v, %v", c.ReminderReplyWindow, err)
	}
	for _, bad := range []string{"a week", "0s", "-1h"} {
		t.Setenv("REMINDER_REPLY_WINDOW", bad)
		if _, err := config.Load(); err == nil || !strings.Contains(err.Error(), "REMINDER_REPLY_WINDOW") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}
