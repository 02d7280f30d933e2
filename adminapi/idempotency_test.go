package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTheSameIdempotencyKeySendsOnceAndAnswersTheSame(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	first := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "4b1e2c0a-9f1d-4c1e-8d7a-1a2b3c4d5e6f")
	again := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "4b1e2c0a-9f1d-4c1e-8d7a-1a2b3c4d5e6f")
	if first.Code != http.StatusOK || again.Code != http.StatusOK || first.Body.String() != again.Body.String() {
		t.Fatalf("answers differ: %d %s / %d %s", first.Code, first.Body, again.Code, again.Body)
	}
	if len(v.reminders.got) != 1 {
		t.Fatalf("%d reminders sent for one key, want 1", len(v.reminders.got))
	}
	if again.Header().Get("Idempotent-Replayed") != "true" {
		t.Error("the replayed answer does not say so")
	}
	// Another admin's key of the same name is another request.
	other := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+adminToken(t, "dr_lee"), "Idempotency-Key", "4b1e2c0a-9f1d-4c1e-8d7a-1a2b3c4d5e6f")
	if other.Code != http.StatusOK || len(v.reminders.got) != 2 {
		t.Errorf("another admin's request: %d, %d sent", other.Code, len(v.reminders.got))
	}
}

func TestAnIdempotencyKeyReusedForAnotherReminderIs422(t *testing.T) {
	v := newEnv(t)
	tok := adminToken(t, "front_desk")
	v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Idempotency-Key", "k-1")
	rec := v.do(http.MethodPost, "/send-reminder", strings.Replace(reminderBody, "at 10", "at 11", 1),
		"Authorization", "Bearer "+tok, "Idempotency-Key", "k-1")
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"idempotency_key_reused"`) {
		t.Fatalf("got %d %s, want 422 idempotency_key_reused", rec.Code, rec.Body)
	}
	if len(v.reminders.got) != 1 {
		t.Errorf("%d reminders sent", len(v.reminders.got))
	}
}

func TestABadIdempotencyKeyIs400(t *testing.T) {
	v := newEnv(t)
	rec := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+adminToken(t, "front_desk"),
		"Idempotency-Key", strings.Repeat("k", 300))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"invalid_idempotency_key"`) {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}
