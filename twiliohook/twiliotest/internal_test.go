package twiliotest

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSegmentsFollowGSM7AndUCS2Limits(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"an empty body is one segment", "", 1},
		{"160 GSM-7 characters fit one segment", strings.Repeat("a", 160), 1},
		{"161 GSM-7 characters need two of 153", strings.Repeat("a", 161), 2},
		{"306 GSM-7 characters fill two segments", strings.Repeat("a", 306), 2},
		{"an extension character counts twice", strings.Repeat("a", 159) + "€", 2},
		{"70 UCS-2 characters fit one segment", strings.Repeat("é", 69) + "ł", 1},
		{"71 UCS-2 characters need two of 67", strings.Repeat("ł", 71), 2},
		{"an emoji is two UCS-2 code units", strings.Repeat("a", 69) + "👍", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segments(tt.body); got != tt.want {
				t.Errorf("segments = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestResponseSelfCheckCatchesABrokenAnswer makes sure the fake's check of its own answers
// is live: an answer outside the schema must be caught.
func TestResponseSelfCheckCatchesABrokenAnswer(t *testing.T) {
	spec, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	account := "AC0123456789abcdef0123456789abcdef"
	now := time.Now()
	rec := &record{Message: Message{Sid: NewMessageSid(), To: "+12015550123", From: "+12015550100",
		Body: "Hi", Status: "queued", Direction: "outbound-api", DateCreated: now}, accountSid: account, dateUpdated: now}
	r := httptest.NewRequest("POST", "/2010-04-01/Accounts/"+account+"/Messages.json", nil)
	params := map[string]string{"AccountSid": account}

	good, _ := json.Marshal(rec.api())
	if err := spec.validateResponse(r, opCreate, params, 201, good); err != nil {
		t.Fatalf("a correct answer failed the check: %v", err)
	}
	for name, mutate := range map[string]func(*apiMessage){
		"a status outside the enum":       func(m *apiMessage) { m.Status = "lost" },
		"a date that is not RFC 2822":     func(m *apiMessage) { m.DateCreated = now.Format(time.RFC3339) },
		"a sid that is not a message sid": func(m *apiMessage) { m.Sid = "XX1" },
	} {
		m := rec.api()
		mutate(&m)
		bad, _ := json.Marshal(m)
		if err := spec.validateResponse(r, opCreate, params, 201, bad); err == nil {
			t.Errorf("%s passed the check", name)
		}
	}
	if err := spec.validateResponse(r, opCreate, params, 200, good); err == nil {
		t.Error("an undeclared status passed the check")
	}
}
