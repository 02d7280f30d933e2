package twiliotest_test

import (
	"testing"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestTheAccountsNumbersAreListedAndTheirSMSWebhookChanged(t *testing.T) {
	s := newFake(t)
	s.AddNumber(twiliotest.IncomingNumber{PhoneNumber: "+12015550111", SmsURL: "https://old.example/sms"})
	added := s.AddNumber(twiliotest.IncomingNumber{PhoneNumber: clinic, SmsURL: "https://old.example/sms", SmsMethod: "GET"})
	api := newAPI(t, s, testToken)

	got, err := api.ListIncomingPhoneNumber(new(openapi.ListIncomingPhoneNumberParams).SetPhoneNumber(clinic))
	if err != nil || len(got) != 1 {
		t.Fatalf("list = %d numbers, %v; want the clinic's number", len(got), err)
	}
	n := got[0]
	if deref(n.Sid) != added.Sid || deref(n.SmsUrl) != "https://old.example/sms" || deref(n.SmsMethod) != "GET" || n.Capabilities == nil || !n.Capabilities.Sms {
		t.Errorf("listed %+v", n)
	}
	if _, err := api.UpdateIncomingPhoneNumber(added.Sid, new(openapi.UpdateIncomingPhoneNumberParams).
		SetSmsUrl("https://bridge.example/receive-sms").SetSmsMethod("POST")); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Number(clinic); after.SmsURL != "https://bridge.example/receive-sms" || after.SmsMethod != "POST" {
		t.Errorf("after the update: %+v", after)
	}
	if other, _ := s.Number("+12015550111"); other.SmsURL != "https://old.example/sms" {
		t.Errorf("another number changed: %+v", other)
	}
}

func TestAMessagingServicesInboundSettingsAndSendersAreReadAndChanged(t *testing.T) {
	s := newFake(t)
	s.AddNumber(twiliotest.IncomingNumber{PhoneNumber: clinic})
	s.AddService(twiliotest.MessagingService{Sid: testService, InboundRequestURL: "https://old.example/in", Numbers: []string{clinic}})
	api := messaging.NewApiServiceWithClient(newClient(t, s, testToken))

	svc, err := api.FetchService(testService)
	if err != nil || deref(svc.InboundRequestUrl) != "https://old.example/in" || deref(svc.UseInboundWebhookOnNumber) != false {
		t.Fatalf("fetch = %+v, %v", svc, err)
	}
	nums, err := api.ListPhoneNumber(testService, nil)
	if err != nil || len(nums) != 1 || deref(nums[0].PhoneNumber) != clinic {
		t.Fatalf("senders = %+v, %v", nums, err)
	}
	if _, err := api.UpdateService(testService, new(messaging.UpdateServiceParams).SetUseInboundWebhookOnNumber(true)); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Service(testService); !after.UseInboundWebhookOnNumber || after.InboundRequestURL != "https://old.example/in" {
		t.Errorf("after the update: %+v", after)
	}
	if _, err := api.FetchService("MGffffffffffffffffffffffffffffffff"); err == nil || restError(t, err).Status != 404 {
		t.Errorf("an unknown service: %v, want 404", err)
	}
}
