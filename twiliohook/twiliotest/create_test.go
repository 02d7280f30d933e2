package twiliotest_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

var (
	smsSid = regexp.MustCompile(`^SM[0-9a-f]{32}$`)
	mmsSid = regexp.MustCompile(`^MM[0-9a-f]{32}$`)
)

func TestCreateMessageThroughTwilioGo(t *testing.T) {
	sendAt := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name        string
		params      func(p *openapi.CreateMessageParams)
		wantStatus  string
		wantFrom    any
		wantService any
		wantSid     *regexp.Regexp
		wantMedia   string
		wantSegs    string
	}{
		{
			name:       "a message from the clinic's number is queued",
			params:     func(p *openapi.CreateMessageParams) { p.SetFrom(clinic).SetBody("See you at 3pm") },
			wantStatus: "queued", wantFrom: clinic, wantService: nil, wantSid: smsSid, wantMedia: "0", wantSegs: "1",
		},
		{
			name:       "a message through a Messaging Service is accepted before a sender is picked",
			params:     func(p *openapi.CreateMessageParams) { p.SetMessagingServiceSid(testService).SetBody("See you at 3pm") },
			wantStatus: "accepted", wantFrom: nil, wantService: testService, wantSid: smsSid, wantMedia: "0", wantSegs: "0",
		},
		{
			name: "repeated MediaUrl parameters make an MMS",
			params: func(p *openapi.CreateMessageParams) {
				p.SetFrom(clinic).SetMediaUrl([]string{"https://cdn.example.com/a.png", "https://cdn.example.com/b.pdf"})
			},
			wantStatus: "queued", wantFrom: clinic, wantService: nil, wantSid: mmsSid, wantMedia: "2", wantSegs: "1",
		},
		{
			name: "SendAt with ScheduleType fixed and a Messaging Service schedules the message",
			params: func(p *openapi.CreateMessageParams) {
				p.SetMessagingServiceSid(testService).SetBody("Reminder").SetScheduleType("fixed").SetSendAt(sendAt)
			},
			wantStatus: "scheduled", wantFrom: nil, wantService: testService, wantSid: smsSid, wantMedia: "0", wantSegs: "0",
		},
		{
			name:       "a 1600-character body is the longest accepted",
			params:     func(p *openapi.CreateMessageParams) { p.SetFrom(clinic).SetBody(strings.Repeat("a", 1600)) },
			wantStatus: "queued", wantFrom: clinic, wantService: nil, wantSid: smsSid, wantMedia: "0", wantSegs: "11",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			p := (&openapi.CreateMessageParams{}).SetTo(patient).SetStatusCallback("https://bridge.example.com/twilio-status?mid=m1")
			tt.params(p)
			before := time.Now().Add(-time.Second)

			got, err := newAPI(t, fake, testToken).CreateMessage(p)
			if err != nil {
				t.Fatalf("CreateMessage: %v", err)
			}
			if !tt.wantSid.MatchString(*got.Sid) {
				t.Errorf("sid = %q, want %v", *got.Sid, tt.wantSid)
			}
			checks := []struct {
				field     string
				got, want any
			}{
				{"status", deref(got.Status), tt.wantStatus},
				{"from", deref(got.From), tt.wantFrom},
				{"messaging_service_sid", deref(got.MessagingServiceSid), tt.wantService},
				{"to", deref(got.To), patient},
				{"account_sid", deref(got.AccountSid), testAccount},
				{"direction", deref(got.Direction), "outbound-api"},
				{"api_version", deref(got.ApiVersion), "2010-04-01"},
				{"num_media", deref(got.NumMedia), tt.wantMedia},
				{"num_segments", deref(got.NumSegments), tt.wantSegs},
				{"error_code", deref(got.ErrorCode), nil},
				{"date_sent", deref(got.DateSent), nil},
				{"uri", deref(got.Uri), "/2010-04-01/Accounts/" + testAccount + "/Messages/" + *got.Sid + ".json"},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
				}
			}
			created, err := time.Parse(time.RFC1123Z, *got.DateCreated)
			if err != nil || created.Before(before.Truncate(time.Second)) || !strings.HasSuffix(*got.DateCreated, "+0000") {
				t.Errorf("date_created = %q (%v), want an RFC 2822 time in GMT, now", *got.DateCreated, err)
			}

			recorded := fake.Messages()
			if len(recorded) != 1 || recorded[0].Sid != *got.Sid {
				t.Fatalf("Messages() = %+v, want the one created", recorded)
			}
			m := recorded[0]
			if m.Status != tt.wantStatus || m.To != patient || m.StatusCallback != "https://bridge.example.com/twilio-status?mid=m1" {
				t.Errorf("recorded %+v", m)
			}
			if p.MediaUrl != nil && !slices.Equal(m.MediaURLs, *p.MediaUrl) {
				t.Errorf("recorded MediaURLs = %v, want %v", m.MediaURLs, *p.MediaUrl)
			}
			if p.SendAt != nil && (!m.SendAt.Equal(sendAt) || m.ScheduleType != "fixed") {
				t.Errorf("recorded SendAt %v ScheduleType %q, want %v fixed", m.SendAt, m.ScheduleType, sendAt)
			}
			if n := fake.Calls(); n != 1 {
				t.Errorf("Calls() = %d, want 1", n)
			}
			if got := fake.MessagesTo(patient); len(got) != 1 {
				t.Errorf("MessagesTo(patient) = %d messages, want 1", len(got))
			}
			if got := fake.MessagesTo("+12015550199"); len(got) != 0 {
				t.Errorf("MessagesTo(another number) = %d messages, want 0", len(got))
			}
		})
	}
}

func TestCreateMessageRefusalsCarryTwilioCodes(t *testing.T) {
	now := time.Now()
	base := func() *openapi.CreateMessageParams {
		return (&openapi.CreateMessageParams{}).SetTo(patient).SetBody("Hello")
	}
	tests := []struct {
		name   string
		params *openapi.CreateMessageParams
		status int
		code   int
	}{
		{"no From and no MessagingServiceSid is 21603", base(), 400, 21603},
		{"neither Body nor MediaUrl is 21602", (&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic), 400, 21602},
		{"a 1601-character body is 21617", base().SetFrom(clinic).SetBody(strings.Repeat("a", 1601)), 400, 21617},
		{"a To without country code is 21211", base().SetFrom(clinic).SetTo("2015550123"), 400, 21211},
		{"a StatusCallback host with an underscore is 21609", base().SetFrom(clinic).SetStatusCallback("https://my_bridge.example.com/s"), 400, 21609},
		{"scheduling without a Messaging Service is 35118", base().SetFrom(clinic).SetScheduleType("fixed").SetSendAt(now.Add(time.Hour)), 400, 35118},
		{"ScheduleType fixed without SendAt is 35111", base().SetMessagingServiceSid(testService).SetScheduleType("fixed"), 400, 35111},
		{"SendAt 10 minutes ahead is 35114", base().SetMessagingServiceSid(testService).SetScheduleType("fixed").SetSendAt(now.Add(10 * time.Minute)), 400, 35114},
		{"SendAt 36 days ahead is 35114", base().SetMessagingServiceSid(testService).SetScheduleType("fixed").SetSendAt(now.Add(36 * 24 * time.Hour)), 400, 35114},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			_, err := newAPI(t, fake, testToken).CreateMessage(tt.params)
			re := restError(t, err)
			if re.Status != tt.status || re.Code != tt.code || re.Message == "" {
				t.Errorf("error = %+v, want status %d code %d with a message", re, tt.status, tt.code)
			}
			if want := "https://www.twilio.com/docs/errors/" + strconv.Itoa(tt.code); re.MoreInfo != want {
				t.Errorf("more_info = %q, want %q", re.MoreInfo, want)
			}
			if len(fake.Messages()) != 0 || fake.Calls() != 1 {
				t.Errorf("Messages() = %d, Calls() = %d; want 0 and 1", len(fake.Messages()), fake.Calls())
			}
		})
	}
}

func TestWrongTokenIsRefusedWith20003(t *testing.T) {
	fake := newFake(t)
	_, err := newAPI(t, fake, "wrongtoken").CreateMessage((&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic).SetBody("Hi"))
	re := restError(t, err)
	if re.Status != 401 || re.Code != 20003 || re.Message != "Authenticate" || re.MoreInfo != "https://www.twilio.com/docs/errors/20003" {
		t.Errorf("error = %+v, want Twilio's 401 Authenticate", re)
	}
	if fake.Calls() != 1 || len(fake.Messages()) != 0 {
		t.Errorf("Calls() = %d, Messages() = %d; want the call counted and nothing sent", fake.Calls(), len(fake.Messages()))
	}
	fake.ResetCalls()
	if fake.Calls() != 0 {
		t.Errorf("Calls() after ResetCalls = %d", fake.Calls())
	}
}

func TestFailToAnswersEveryMessageToTheNumberWithTheScriptedError(t *testing.T) {
	fake := newFake(t)
	fake.FailTo(patient, twiliotest.Error{Code: 21610})
	api := newAPI(t, fake, testToken)
	for range 2 {
		_, err := api.CreateMessage((&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic).SetBody("Hi"))
		re := restError(t, err)
		if re.Status != 400 || re.Code != 21610 || re.Message != "Attempt to send to unsubscribed recipient" {
			t.Errorf("error = %+v, want 400 21610 with Twilio's message", re)
		}
	}
	if _, err := api.CreateMessage((&openapi.CreateMessageParams{}).SetTo("+12015550124").SetFrom(clinic).SetBody("Hi")); err != nil {
		t.Errorf("another number: %v", err)
	}
	fake.ClearFaults()
	if _, err := api.CreateMessage((&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic).SetBody("Hi")); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
	if fake.Calls() != 4 || len(fake.Messages()) != 2 {
		t.Errorf("Calls() = %d, Messages() = %d; want 4 and 2", fake.Calls(), len(fake.Messages()))
	}
}
