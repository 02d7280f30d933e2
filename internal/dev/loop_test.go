package dev

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

const (
	alex    = "+12015550123" // a reachable phone
	alexCID = "12015550123"
)

func TestAPatientTextAppearsInTheAdminsChannel(t *testing.T) {
	r := startSandbox(t)
	out := r.text("(201) 555-0123", "Can I come at 4 instead?")
	if out["from"] != alex {
		t.Errorf("from = %v, want the number in E.164", out["from"])
	}
	v := r.waitUntil("the text is in the channel", func(v stateView) bool {
		_, ok := lineWithText(v, alexCID, "Can I come at 4 instead?")
		return ok
	})
	m, _ := lineWithText(v, alexCID, "Can I come at 4 instead?")
	if m.Direction != bridge.DirectionInbound || m.Author != "+1 201-555-0123" || m.Role != "user" {
		t.Errorf("chat message = %+v", m)
	}
	if c, _ := channel(v, alexCID); c.Phone != alex || c.OptedOut {
		t.Errorf("channel = %+v", c)
	}
	if s := screen(v, alex); len(s) != 1 || !s[0].Mine {
		t.Errorf("phone screen = %+v, want the sent text", s)
	}
}

func TestAnAdminReplyReachesThePhoneAndEndsDelivered(t *testing.T) {
	r := startSandbox(t)
	r.text(alex, "Hello, this is Alex")
	r.waitUntil("the channel exists", func(v stateView) bool { _, ok := channel(v, alexCID); return ok })
	r.reply(alexCID, "Yes, 4pm works. See you then!")
	v := r.waitUntil("the reply is delivered", func(v stateView) bool {
		m, _ := lineWithText(v, alexCID, "Yes, 4pm works. See you then!")
		return m.Status == "delivered" && received(v, alex, "Yes, 4pm works. See you then!")
	})
	m, _ := lineWithText(v, alexCID, "Yes, 4pm works. See you then!")
	if m.Direction != bridge.DirectionOutbound || m.Role != "admin" || m.Error != "" {
		t.Errorf("reply = %+v", m)
	}
}

func TestRepliesToNumbersThatFailEndWithTheirPlainReasons(t *testing.T) {
	tests := []struct {
		name       string
		number     string
		wantStatus string
		wantCode   int
	}{
		{"an opted-out number is refused by Twilio", "+12015550166", "failed", codeOptedOut},
		{"a switched-off phone ends undelivered", "+12015550177", "undelivered", codeUnreachable},
	}
	r := startSandbox(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cid := tc.number[1:]
			r.text(tc.number, "Hi from a failing phone")
			r.waitUntil("the channel exists", func(v stateView) bool { _, ok := channel(v, cid); return ok })
			r.reply(cid, "Your results are ready")
			v := r.waitUntil("the reply has its final status", func(v stateView) bool {
				m, _ := lineWithText(v, cid, "Your results are ready")
				return m.Status == tc.wantStatus && m.Error != ""
			})
			m, _ := lineWithText(v, cid, "Your results are ready")
			if m.Error != bridge.ErrorSentence(tc.wantCode) || m.ErrorCode != itoa(tc.wantCode) {
				t.Errorf("reason = %q (%s), want %q (%d)", m.Error, m.ErrorCode, bridge.ErrorSentence(tc.wantCode), tc.wantCode)
			}
			if received(v, tc.number, "Your results are ready") {
				t.Error("the phone shows a text that was not delivered")
			}
		})
	}
}

func TestAPatientWhoTextsSTOPIsMarkedAndNoLongerReached(t *testing.T) {
	r := startSandbox(t)
	r.text(alex, "STOP")
	r.waitUntil("the channel is opted out", func(v stateView) bool { c, _ := channel(v, alexCID); return c.OptedOut })
	r.reply(alexCID, "Are you sure you want to stop?")
	v := r.waitUntil("the reply failed", func(v stateView) bool {
		m, _ := lineWithText(v, alexCID, "Are you sure you want to stop?")
		return m.Status == "failed"
	})
	// The channel says opted out, so the bridge refuses it before Twilio
	// is asked (Twilio would refuse it with 21610).
	if m, _ := lineWithText(v, alexCID, "Are you sure you want to stop?"); m.ErrorCode != bridge.CodeReplyOptedOut {
		t.Errorf("reply = %+v, want refused by the bridge as %s", m, bridge.CodeReplyOptedOut)
	}
	r.text(alex, "START")
	r.waitUntil("the channel is opted in again", func(v stateView) bool { c, _ := channel(v, alexCID); return !c.OptedOut })
	r.reply(alexCID, "Welcome back")
	r.waitUntil("the reply is delivered", func(v stateView) bool { return received(v, alex, "Welcome back") })
}

func TestAReminderReachesThePhoneAndShowsInTheChat(t *testing.T) {
	r := startSandbox(t)
	status, login := r.post("/admin-login", map[string]string{"adminId": "Front Desk", "password": r.sb.AdminPassword}, nil)
	token, _ := login["token"].(string)
	if status != http.StatusOK || token == "" {
		t.Fatalf("login: %d %v", status, login)
	}
	r.keepPrivate(token, "2015550142", "Reminder: dentist tomorrow at 9am")
	status, sent := r.post("/send-reminder",
		map[string]string{"phoneNumber": "201-555-0142", "messageText": "Reminder: dentist tomorrow at 9am"},
		http.Header{"Authorization": {"Bearer " + token}})
	if status != http.StatusOK || sent["sent"] != true || sent["channelId"] != "12015550142" {
		t.Fatalf("send-reminder: %d %v", status, sent)
	}
	v := r.waitUntil("the reminder is delivered", func(v stateView) bool {
		m, _ := lineWithText(v, "12015550142", "Reminder: dentist tomorrow at 9am")
		return m.Status == "delivered" && received(v, "+12015550142", "Reminder: dentist tomorrow at 9am")
	})
	m, _ := lineWithText(v, "12015550142", "Reminder: dentist tomorrow at 9am")
	if m.Origin != bridge.OriginReminder || m.Direction != bridge.DirectionOutbound || m.Author != adminID {
		t.Errorf("reminder in the chat = %+v", m)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestAScheduledReminderWaitsForItsTimeThenReachesThePhone(t *testing.T) {
	r := startSandbox(t)
	_, login := r.post("/admin-login", map[string]string{"adminId": "front_desk", "password": r.sb.AdminPassword}, nil)
	token, _ := login["token"].(string)
	const text = "Reminder: check-up next week"
	r.keepPrivate(token, "2015550143", text)
	sendAt := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	status, sent := r.post("/send-reminder",
		map[string]string{"phoneNumber": "+1 201-555-0143", "messageText": text, "sendAt": sendAt},
		http.Header{"Authorization": {"Bearer " + token}})
	if status != http.StatusOK || sent["status"] != "scheduled" {
		t.Fatalf("send-reminder with sendAt: %d %v, want 200 scheduled", status, sent)
	}
	r.waitUntil("the chat shows it scheduled", func(v stateView) bool {
		m, _ := lineWithText(v, "12015550143", text)
		return m.Status == "scheduled"
	})
	if received(r.state(), "+12015550143", text) {
		t.Fatal("the phone got the reminder before its time")
	}
	if status, out := r.post("/dev/api/send-scheduled", map[string]string{}, nil); status != http.StatusOK || out["sent"] != float64(1) {
		t.Fatalf("send-scheduled: %d %v, want one message sent", status, out)
	}
	r.waitUntil("the reminder is delivered at its (skipped-to) time", func(v stateView) bool {
		m, _ := lineWithText(v, "12015550143", text)
		return m.Status == "delivered" && received(v, "+12015550143", text)
	})
}

func TestAFreshConsoleStateHasEmptyListsNotNull(t *testing.T) {
	r := startSandbox(t)
	resp, err := http.Get(r.sb.URL + "/dev/api/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"channels", "phones"} {
		if v := string(raw[key]); !strings.HasPrefix(v, "[") {
			t.Errorf("%s = %s on first load, want a list", key, v)
		}
	}
}
