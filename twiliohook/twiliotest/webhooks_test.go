package twiliotest_test

import (
	"regexp"
	"testing"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestInboundSMSHasTwiliosParameters(t *testing.T) {
	sid := twiliotest.NewMessageSid()
	f := twiliotest.InboundSMS(testAccount, sid, patient, clinic, "Yes")
	want := map[string]string{
		"AccountSid": testAccount, "ApiVersion": "2010-04-01", "Body": "Yes", "From": patient, "To": clinic,
		"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "SmsStatus": "received",
		"NumMedia": "0", "NumSegments": "1", "FromCountry": "US", "ToCountry": "US",
		"FromCity": "", "FromState": "", "FromZip": "", "ToCity": "", "ToState": "", "ToZip": "",
	}
	if len(f) != len(want) {
		t.Errorf("form has %d parameters, want %d: %v", len(f), len(want), f)
	}
	for k, v := range want {
		if got, ok := f[k]; !ok || got[0] != v {
			t.Errorf("%s = %v, want %q", k, got, v)
		}
	}
}

func TestStatusCallbackCarriesErrorCodeOnlyWhenSet(t *testing.T) {
	sid := twiliotest.NewMessageSid()
	ok := twiliotest.StatusCallback(testAccount, sid, "delivered", 0)
	if ok.Has("ErrorCode") || ok.Get("MessageStatus") != "delivered" || ok.Get("SmsStatus") != "delivered" ||
		ok.Get("MessageSid") != sid || ok.Get("SmsSid") != sid || ok.Get("AccountSid") != testAccount || ok.Get("ApiVersion") != "2010-04-01" {
		t.Errorf("delivered callback = %v", ok)
	}
	if failed := twiliotest.StatusCallback(testAccount, sid, "failed", 30007); failed.Get("ErrorCode") != "30007" {
		t.Errorf("failed callback = %v", failed)
	}
}

func TestStatusCallbackForARecordedMessage(t *testing.T) {
	fake := newFake(t)
	m, err := newAPI(t, fake, testToken).CreateMessage(
		(&openapi.CreateMessageParams{}).SetTo(patient).SetMessagingServiceSid(testService).SetBody("Hi"))
	if err != nil {
		t.Fatal(err)
	}
	fake.SetStatus(*m.Sid, "failed", 30007)
	f := fake.StatusCallbackFor(*m.Sid)
	if f.Get("MessageStatus") != "failed" || f.Get("ErrorCode") != "30007" || f.Get("To") != patient ||
		f.Get("MessagingServiceSid") != testService || f.Has("From") {
		t.Errorf("callback = %v", f)
	}
}

func TestNewSidsHaveTwiliosShape(t *testing.T) {
	for prefix, newSid := range map[string]func() string{"SM": twiliotest.NewMessageSid, "ME": twiliotest.NewMediaSid} {
		a, b := newSid(), newSid()
		if !regexp.MustCompile(`^`+prefix+`[0-9a-f]{32}$`).MatchString(a) || a == b {
			t.Errorf("%s sids %q, %q", prefix, a, b)
		}
	}
}
