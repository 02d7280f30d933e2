package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestLoginGivesAStreamTokenAndMakesTheAdminInStream(t *testing.T) {
	a := startAPI(t)
	r := a.login("Front Desk", apiPassword)
	var got loginAnswer
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil || r.Status != http.StatusOK {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	a.secret(got.Token)
	if got.AdminName != "front_desk" || got.StreamAPIKey != streamKey {
		t.Errorf("answer = %+v", got)
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(got.Token, claims, func(*jwt.Token) (any, error) { return []byte(streamSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired()); err != nil || claims["user_id"] != "front_desk" {
		t.Fatalf("token: %v %v", claims, err)
	}
	exp, _ := claims.GetExpirationTime()
	if d := time.Until(exp.Time); d < 12*time.Hour-time.Minute || d > 12*time.Hour {
		t.Errorf("token expires in %v, want TOKEN_TTL (12h)", d)
	}
	if expiresAt, err := time.Parse(time.RFC3339, got.ExpiresAt); err != nil || !expiresAt.Equal(exp.Time) {
		t.Errorf("expiresAt = %q, token exp = %v", got.ExpiresAt, exp)
	}
	if u, ok := a.stream.User("front_desk"); !ok || u.Role != "admin" {
		t.Errorf("Stream user = %+v, %v; want role admin", u, ok)
	}
	if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers = %v", r.Header)
	}
}

func TestWrongPasswordAndUnknownIDGetTheSameAnswer(t *testing.T) {
	a := startAPI(t)
	wrong, unknown := a.login("front_desk", "not-the-password"), a.login("nobody", apiPassword)
	if wrong.Status != http.StatusUnauthorized || wrong.Status != unknown.Status || wrong.Body != unknown.Body {
		t.Errorf("wrong password: %d %s; unknown id: %d %s", wrong.Status, wrong.Body, unknown.Status, unknown.Body)
	}
}

func TestTheSixthFailureForOneIDWithin15MinutesIs429(t *testing.T) {
	a := startAPI(t)
	for i := range 5 {
		if r := a.login("front_desk", fmt.Sprintf("guess-%d", i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.Status)
		}
	}
	r := a.login("front_desk", apiPassword)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || apiErrorCode(r) != "rate_limited" {
		t.Errorf("6th attempt: %d Retry-After=%q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
}

func TestForwardedForFromAnUntrustedPeerDoesNotChangeTheClientIP(t *testing.T) {
	a := startAPI(t, withEnv("TRUSTED_PROXIES", "10.0.0.0/8"))
	for i := range 20 {
		r := a.login(fmt.Sprintf("user%d", i), "guess", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.Status)
		}
	}
	if r := a.login("dr_lee", apiPassword, "X-Forwarded-For", "198.51.100.200"); r.Status != http.StatusTooManyRequests {
		t.Errorf("21st attempt from the same peer: %d, want 429", r.Status)
	}
}

func TestRemindersWithoutAValidAdminTokenAre401AndSendNothing(t *testing.T) {
	a := startAPI(t)
	body := map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Your appointment is tomorrow."}
	for _, tc := range []struct{ name, token string }{
		{"no token", ""},
		{"an expired token", signedToken(t, jwt.SigningMethodHS256, []byte(streamSecret), jwt.MapClaims{"user_id": "front_desk", "exp": time.Now().Add(-time.Minute).Unix()})},
		{"a token signed with another key", signedToken(t, jwt.SigningMethodHS256, []byte("another-secret"), jwt.MapClaims{"user_id": "front_desk", "exp": inAnHour()})},
		{"an alg none token", signedToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, jwt.MapClaims{"user_id": "front_desk", "exp": inAnHour()})},
		{"a token for a non-admin", signedToken(t, jwt.SigningMethodHS256, []byte(streamSecret), jwt.MapClaims{"user_id": "12015550142", "exp": inAnHour()})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := a.remind(tc.token, body); r.Status != http.StatusUnauthorized {
				t.Errorf("status = %d %s, want 401", r.Status, r.Body)
			}
		})
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	if _, ok := a.stream.Channel("sms", "12015550142"); ok {
		t.Errorf("a channel was created")
	}
}

func TestAReminderIsSentAndMirroredWhereThePatientsReplyLands(t *testing.T) {
	a := startAPI(t)
	text := "Reminder: your appointment is tomorrow at 10:00."
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "(201) 555-0142", "messageText": text})
	var got struct {
		Sent                       bool
		Sid, Status, To, ChannelID string
	}
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil || r.Status != http.StatusOK {
		t.Fatalf("answer: %d %s", r.Status, r.Body)
	}
	sent := a.twilio.MessagesTo(reminderPatient)
	if len(sent) != 1 || sent[0].Body != text {
		t.Fatalf("Twilio messages to %s = %+v", reminderPatient, sent)
	}
	if !got.Sent || got.Sid != sent[0].Sid || got.Status != "queued" || got.To != reminderPatient || got.ChannelID != "12015550142" {
		t.Errorf("answer = %+v", got)
	}
	msgs := a.stream.Messages("sms", "12015550142")
	if len(msgs) != 1 {
		t.Fatalf("channel messages = %d, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Text != text || m.UserID != "front_desk" || m.Custom["sms_origin"] != "reminder" ||
		m.Custom["sms_direction"] != "outbound" || m.Custom["sms_sid"] != got.Sid || m.Custom["sms_status"] != "queued" {
		t.Errorf("reminder in the channel = %+v", m)
	}
	if want := publicURL + "/twilio-status?mid=" + m.ID + "#rc=5&rp=ct,rt,5xx"; sent[0].StatusCallback != want {
		t.Errorf("StatusCallback = %q, want %q", sent[0].StatusCallback, want)
	}

	assertEmptyOK(t, a.deliver(m.ID, 1)) // Stream's message.new for the mirrored reminder
	if n := a.twilio.Calls(); n != 1 {
		t.Errorf("Twilio calls after the webhook = %d, want 1 (no second SMS)", n)
	}
	assertTwiMLOK(t, a.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: reminderPatient, Body: "I will be there, thanks"}))
	if msgs := a.stream.Messages("sms", "12015550142"); len(msgs) != 2 || msgs[0].ID != m.ID {
		t.Errorf("the reply did not land under the reminder: %d messages", len(msgs))
	}
}

func TestUnusableRemindersAre400AndSendNothing(t *testing.T) {
	a := startAPI(t)
	tok := a.token("front_desk")
	for _, tc := range []struct {
		name, phone, text, wantCode string
	}{
		{"a number that is not valid", "+1 555-555-0142", "Your appointment is tomorrow.", "invalid_phone"},
		{"an empty text", "(201) 555-0142", "", "empty_text"},
		{"a text of 1601 characters", "(201) 555-0142", strings.Repeat("a", 1601), "text_too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.remind(tok, map[string]any{"phoneNumber": tc.phone, "messageText": tc.text})
			if r.Status != http.StatusBadRequest || apiErrorCode(r) != tc.wantCode {
				t.Errorf("got %d %s, want 400 %s", r.Status, r.Body, tc.wantCode)
			}
		})
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}

func TestAnOptedOutPatientIs409AndNothingIsSent(t *testing.T) {
	a := startAPI(t)
	assertTwiMLOK(t, a.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: reminderPatient, Body: "STOP"}))
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "2015550142", "messageText": "Your appointment is tomorrow."})
	if r.Status != http.StatusConflict || apiErrorCode(r) != "opted_out" {
		t.Errorf("got %d %s, want 409 opted_out", r.Status, r.Body)
	}
	if n := a.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
}

func TestTwilioRefusingIsMappedAndTheChatDoesNotShowTheReminderSent(t *testing.T) {
	for _, tc := range []struct {
		name       string
		code       int
		wantStatus int
		wantOptOut bool
	}{
		{"a country not enabled is 502", 21408, http.StatusBadGateway, false},
		{"an opted-out recipient is 409 and marks the channel", 21610, http.StatusConflict, true},
		{"a number that cannot take SMS is 400", 21614, http.StatusBadRequest, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := startAPI(t)
			a.twilio.FailTo(reminderPatient, twiliotest.Error{Code: tc.code})
			r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Your appointment is tomorrow."})
			if r.Status != tc.wantStatus || apiErrorCode(r) != fmt.Sprint(tc.code) {
				t.Errorf("got %d %s, want %d with code %d", r.Status, r.Body, tc.wantStatus, tc.code)
			}
			assertReminderFailed(t, a, float64(tc.code))
			if ch, _ := a.stream.Channel("sms", "12015550142"); (ch.Custom["sms_opted_out"] == true) != tc.wantOptOut {
				t.Errorf("sms_opted_out = %v, want %v", ch.Custom["sms_opted_out"], tc.wantOptOut)
			}
		})
	}
}

func TestATwilioOutageIs503AndTheChatSaysUnconfirmed(t *testing.T) {
	a := startAPI(t)
	a.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: 503})
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Your appointment is tomorrow."})
	if r.Status != http.StatusServiceUnavailable {
		t.Errorf("status = %d %s, want 503", r.Status, r.Body)
	}
	assertReminderNotSent(t, a, "unconfirmed", "unavailable")
}

func TestAReminderTwilioSentWithoutAnsweringIsShownSent(t *testing.T) {
	a := startAPI(t)
	a.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: 500, Apply: true})
	r := a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Your appointment is tomorrow."})
	sent := a.twilio.Messages()
	if r.Status != http.StatusOK || len(sent) != 1 {
		t.Fatalf("status = %d %s, Twilio messages %d; want 200 and the one SMS adopted", r.Status, r.Body, len(sent))
	}
	msgs := a.stream.Messages("sms", "12015550142")
	if len(msgs) != 1 || msgs[0].Custom["sms_sid"] != sent[0].Sid {
		t.Errorf("reminder = %+v, want marked with %s", msgs, sent[0].Sid)
	}
}

func assertReminderFailed(t *testing.T, a *apiHarness, code any) {
	t.Helper()
	assertReminderNotSent(t, a, "failed", code)
}

func assertReminderNotSent(t *testing.T, a *apiHarness, status string, code any) {
	t.Helper()
	msgs := a.stream.Messages("sms", "12015550142")
	if len(msgs) != 1 {
		t.Fatalf("channel messages = %d, want the reminder that was not sent", len(msgs))
	}
	c := msgs[0].Custom
	if c["sms_status"] != status || c["sms_error_code"] != code || c["sms_error"] == nil || c["sms_sid"] != nil || c["sms_origin"] != "reminder" {
		t.Errorf("reminder fields = %v, want %s with code %v and no sid", c, status, code)
	}
}

func TestScheduledReminders(t *testing.T) {
	body := func(ahead time.Duration) map[string]any {
		return map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Your appointment is in two hours.",
			"sendAt": time.Now().Add(ahead).UTC().Format(time.RFC3339)}
	}
	t.Run("two hours ahead with a Messaging Service is scheduled", func(t *testing.T) {
		a := startAPI(t, withEnv("TWILIO_MESSAGING_SERVICE_SID", messagingSID))
		r := a.remind(a.token("front_desk"), body(2*time.Hour))
		sent := a.twilio.MessagesTo(reminderPatient)
		if r.Status != http.StatusOK || len(sent) != 1 || !strings.Contains(r.Body, `"status":"scheduled"`) {
			t.Fatalf("got %d %s, Twilio %+v", r.Status, r.Body, sent)
		}
		if m := sent[0]; m.ScheduleType != "fixed" || m.MessagingServiceSid != messagingSID || time.Until(m.SendAt) < time.Hour {
			t.Errorf("Twilio message = %+v", m)
		}
	})
	for _, tc := range []struct {
		name, env, wantCode, wantWords string
		ahead                          time.Duration
	}{
		{"without a Messaging Service it is 400", "", "scheduling_unavailable", "Messaging Service", 2 * time.Hour},
		{"five minutes ahead it is 400", messagingSID, "send_at_out_of_range", "15 minutes", 5 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := startAPI(t, withEnv("TWILIO_MESSAGING_SERVICE_SID", tc.env))
			r := a.remind(a.token("front_desk"), body(tc.ahead))
			if r.Status != http.StatusBadRequest || apiErrorCode(r) != tc.wantCode || !strings.Contains(r.Body, tc.wantWords) {
				t.Errorf("got %d %s, want 400 %s saying %q", r.Status, r.Body, tc.wantCode, tc.wantWords)
			}
			if n := a.twilio.Calls(); n != 0 {
				t.Errorf("Twilio calls = %d", n)
			}
		})
	}
}

func TestCORSIsOnlyForTheDashboardsOrigin(t *testing.T) {
	a := startAPI(t, withEnv("CORS_ALLOWED_ORIGINS", dashboardOrigin))
	if r := a.preflightFrom(dashboardOrigin); r.Header.Get("Access-Control-Allow-Origin") != dashboardOrigin ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight from the dashboard: %d %v", r.Status, r.Header)
	}
	if r := a.preflightFrom("https://attacker.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %v", r.Header)
	}
	if r := a.login("front_desk", apiPassword, "Origin", dashboardOrigin); r.Header.Get("Access-Control-Allow-Origin") != dashboardOrigin {
		t.Errorf("login from the dashboard: %v", r.Header)
	}
}

func TestAPILogsNameTheAdminAndRelayButNoSecrets(t *testing.T) {
	a := startAPI(t)
	a.remind(a.token("front_desk"), map[string]any{"phoneNumber": "(201) 555-0142", "messageText": "Bring your insurance card."})
	a.login("front_desk", "a-wrong-password")
	logs := a.logs.String()
	for _, want := range []string{`"message":"admin logged in"`, `"message":"reminder sent"`, `"admin_id":"front_desk"`,
		"+1••••••••42", `"route":"/send-reminder"`, `"message":"admin login failed"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s", want)
		}
	}
	a.secret("a-wrong-password", "insurance") // checked with the token, text and number when the test ends
}
