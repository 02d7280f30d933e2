package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestAnAdminOverTheReminderAllowanceGets429WithRetryAfter(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	for i := range 20 {
		if rec := v.remind(tok, reminderBody); rec.Code != http.StatusOK {
			t.Fatalf("reminder %d of the burst of 20: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := v.remind(tok, reminderBody)
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), `"rate_limited"`) ||
		rec.Header().Get("Retry-After") != "1" || !strings.Contains(rec.Body.String(), "at most 60 a minute, 20 at once") {
		t.Fatalf("21st reminder at once: %d Retry-After=%q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if len(v.reminders.got) != 20 {
		t.Errorf("%d reminders sent, want 20", len(v.reminders.got))
	}
	// A refused call counts too, and bad JSON is not read at all.
	if rec := v.remind(tok, `{"phoneNumber":`); rec.Code != http.StatusTooManyRequests {
		t.Errorf("bad JSON over the limit: %d, want 429 before the body is read", rec.Code)
	}
	if rec := v.remind(adminToken(t, "dr_lee"), reminderBody); rec.Code != http.StatusOK {
		t.Errorf("another admin's reminder: %d %s; each admin has their own allowance", rec.Code, rec.Body)
	}
	v.now = v.now.Add(time.Second) // 60 a minute: one more each second
	if rec := v.remind(tok, reminderBody); rec.Code != http.StatusOK {
		t.Errorf("a second later: %d %s", rec.Code, rec.Body)
	}
	if rec := v.remind(tok, reminderBody); rec.Code != http.StatusTooManyRequests {
		t.Errorf("two in that second: %d", rec.Code)
	}
}

func TestAnAdminOverThePreviewAllowanceGets429(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	preview := func() int {
		return v.do(http.MethodPost, "/sms-preview", `{"messageText":"See you"}`, "Authorization", "Bearer "+tok).Code
	}
	for i := range 60 {
		if code := preview(); code != http.StatusOK {
			t.Fatalf("preview %d of the burst of 60: %d", i+1, code)
		}
	}
	if code := preview(); code != http.StatusTooManyRequests {
		t.Fatalf("61st preview at once: %d, want 429", code)
	}
	// Previews and reminders are separate allowances.
	if rec := v.remind(tok, reminderBody); rec.Code != http.StatusOK {
		t.Errorf("a reminder after the previews ran out: %d", rec.Code)
	}
	v.now = v.now.Add(time.Second) // 600 a minute: ten a second
	for i := range 10 {
		if code := preview(); code != http.StatusOK {
			t.Fatalf("preview %d in the next second: %d", i+1, code)
		}
	}
	if code := preview(); code != http.StatusTooManyRequests {
		t.Errorf("11th preview in a second: %d", code)
	}
}

func TestARefusalBeforeAnySendIsNotKeptUnderItsIdempotencyKey(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	// As bridge.Reminders refuses a text over 1600 characters: before any
	// chat message exists, so the result has no message id.
	v.reminders.err = bridge.Errorf(bridge.ErrInvalid, "text_too_long", "The message text is longer than 1600 characters.")
	for range 2 {
		rec := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "k-refused")
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Idempotent-Replayed") != "" {
			t.Fatalf("got %d replayed=%q %s, want a fresh 400", rec.Code, rec.Header().Get("Idempotent-Replayed"), rec.Body)
		}
	}
	if len(v.reminders.got) != 2 {
		t.Fatalf("the rules saw %d of 2 requests; the second was answered from a stored refusal", len(v.reminders.got))
	}
	// Fixed, the same key sends it: nothing of the refusal was kept.
	v.reminders.err = nil
	rec := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "k-refused")
	if rec.Code != http.StatusOK || rec.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("after the fix: %d %s", rec.Code, rec.Body)
	}
}
