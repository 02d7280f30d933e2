package twiliohook

import (
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

func logMessage(sid, body string, created time.Time) openapi.ApiV2010Message {
	dir, date := "outbound-api", created.UTC().Format(time.RFC1123Z)
	return openapi.ApiV2010Message{Sid: &sid, Body: &body, Direction: &dir, DateCreated: &date}
}

func TestTheRetryOfASecondOKDoesNotAdoptTheFirstOK(t *testing.T) {
	first := time.Date(2030, 5, 6, 10, 0, 0, 0, time.UTC)
	// The admin wrote "OK" (sent as SM1), then "OK" again 3 s later; that
	// reply's first attempt got no answer from Twilio, and its retry asks
	// the log 2 s after.
	second := first.Add(3 * time.Second)
	retry := second.Add(2 * time.Second)
	for _, tc := range []struct {
		name    string
		log     []openapi.ApiV2010Message // newest first, as Twilio lists them
		wantSid string
	}{
		{"only the first OK is in the log: nothing to adopt", []openapi.ApiV2010Message{
			logMessage("SM1", "OK", first)}, ""},
		{"the second OK went out: it is adopted, not the first", []openapi.ApiV2010Message{
			logMessage("SM2", "OK", second), logMessage("SM1", "OK", first)}, "SM2"},
		{"a third OK after this retry began is not this reply's", []openapi.ApiV2010Message{
			logMessage("SM3", "OK", retry.Add(10*time.Second)), logMessage("SM1", "OK", first)}, ""},
		{"of two after the first attempt, the earlier is this reply's", []openapi.ApiV2010Message{
			logMessage("SM3", "OK", second.Add(time.Second)), logMessage("SM2", "OK", second)}, "SM2"},
		{"a send stamped a moment before the chat message (clocks differ) is adopted", []openapi.ApiV2010Message{
			logMessage("SM2", "OK", second.Add(-time.Second))}, "SM2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := pickSent(tc.log, "OK", second.Add(300*time.Millisecond), retry)
			if got := deref(m.Sid); ok != (tc.wantSid != "") || got != tc.wantSid {
				t.Errorf("adopted %q (%v), want %q", got, ok, tc.wantSid)
			}
		})
	}
}
