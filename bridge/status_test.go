package bridge_test

import (
	"context"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestStatusesNeverMoveBackwards(t *testing.T) {
	tests := []struct {
		current, next string
		advances      bool
	}{
		{"", "queued", true},
		{"queued", "sent", true},
		{"sent", "delivered", true},
		{"delivered", "sent", false},
		{"delivered", "read", true},
		{"undelivered", "delivered", false},
		{"queued", "queued", false},
		{"scheduled", "queued", true},
		{"sent", "bogus", false},
	}
	for _, tc := range tests {
		if got := bridge.StatusAdvances(tc.current, tc.next); got != tc.advances {
			t.Errorf("StatusAdvances(%q, %q) = %v", tc.current, tc.next, got)
		}
	}
}

func TestStatusCallbacksUpdateTheMessage(t *testing.T) {
	chat := newFakeChat(replyID)
	s := &bridge.Statuses{Chat: chat}
	ctx := context.Background()
	for _, u := range []bridge.StatusUpdate{
		{MessageID: replyID, Sid: "SM1", Status: "sent"},
		{MessageID: replyID, Sid: "SM1", Status: "delivered"},
		{MessageID: replyID, Sid: "SM1", Status: "sent"},
	} {
		if _, err := s.Update(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if got := chat.field(replyID, "sms_status"); got != "delivered" {
		t.Errorf("status = %v, want delivered", got)
	}
	if chat.field(replyID, "sms_sid") != "SM1" || chat.field(replyID, "sms_direction") != "outbound" {
		t.Errorf("the callback should (re)write the mark: %v", chat.messages[replyID].Fields)
	}
}

func TestUndeliveredCarriesTheCodeAndSentence(t *testing.T) {
	chat := newFakeChat(replyID)
	s := &bridge.Statuses{Chat: chat}
	if _, err := s.Update(context.Background(), bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: "undelivered", ErrorCode: 30003}); err != nil {
		t.Fatal(err)
	}
	if chat.field(replyID, "sms_error_code") != 30003 || chat.field(replyID, "sms_error") != bridge.ErrorSentence(30003) {
		t.Errorf("fields = %v", chat.messages[replyID].Fields)
	}
}

func TestUnknownMessagesAreIgnored(t *testing.T) {
	s := &bridge.Statuses{Chat: newFakeChat()}
	outcome, err := s.Update(context.Background(), bridge.StatusUpdate{MessageID: "gone", Sid: "SM1", Status: "delivered"})
	if err != nil || outcome != bridge.OutcomeIgnored {
		t.Errorf("outcome %s err %v", outcome, err)
	}
}

func TestACallbackClearsAReasonLeftByALostAnswer(t *testing.T) {
	chat := newFakeChat(replyID)
	chat.messages[replyID].Fields["sms_status"] = "pending"
	chat.messages[replyID].Fields["sms_error"] = "Not sent yet"
	s := &bridge.Statuses{Chat: chat}
	if _, err := s.Update(context.Background(), bridge.StatusUpdate{MessageID: replyID, Sid: "SM1", Status: "sent"}); err != nil {
		t.Fatal(err)
	}
	if chat.field(replyID, "sms_error") != nil || chat.field(replyID, "sms_status") != "sent" {
		t.Errorf("fields = %v", chat.messages[replyID].Fields)
	}
}
