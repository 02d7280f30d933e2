package twiliotest_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func hello() *openapi.CreateMessageParams {
	return (&openapi.CreateMessageParams{}).SetTo(patient).SetFrom(clinic).SetBody("Hello")
}

func TestFailNext503ThenSuccess(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusServiceUnavailable})
	api := newAPI(t, fake, testToken)

	_, err := api.CreateMessage(hello())
	if re := restError(t, err); re.Status != 503 || re.Code != 20503 {
		t.Errorf("first call: %+v, want 503 with code 20503", re)
	}
	if len(fake.Messages()) != 0 {
		t.Errorf("a failed call created a message")
	}
	if _, err := api.CreateMessage(hello()); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if fake.Calls() != 2 || len(fake.Messages()) != 1 {
		t.Errorf("Calls() = %d, Messages() = %d; want 2 and 1", fake.Calls(), len(fake.Messages()))
	}
}

func TestFault429CarriesItsHeaders(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"7"}}})
	resp := postForm(t, fake, url.Values{"To": {patient}, "From": {clinic}, "Body": {"Hi"}})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("answer %d with Retry-After %q, want 429 with 7", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if re := decodeError(t, resp); re.Code != 20429 {
		t.Errorf("code = %d, want 20429", re.Code)
	}
}

func TestAppliedFaultCreatesTheMessageAndLosesTheAnswer(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusInternalServerError, Apply: true})
	_, err := newAPI(t, fake, testToken).CreateMessage(hello())
	if re := restError(t, err); re.Status != 500 || re.Code != 20500 {
		t.Errorf("error = %+v, want 500 20500", re)
	}
	if got := fake.Messages(); len(got) != 1 || got[0].To != patient {
		t.Errorf("Messages() = %+v, want the message created despite the 500", got)
	}
}

func TestResetFaultClosesTheConnectionWithoutAnswer(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Reset: true})
	_, err := newAPI(t, fake, testToken).CreateMessage(hello())
	var re *client.TwilioRestError
	if err == nil || errors.As(err, &re) {
		t.Fatalf("error = %v, want a transport error", err)
	}
	if len(fake.Messages()) != 0 || fake.Calls() != 1 {
		t.Errorf("Messages() = %d, Calls() = %d; want 0 and 1", len(fake.Messages()), fake.Calls())
	}
}

func TestDelayEndsWhenTheClientGivesUp(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusServiceUnavailable, Delay: time.Minute})
	req, err := http.NewRequest(http.MethodPost, fake.URL()+"/2010-04-01/Accounts/"+testAccount+"/Messages.json",
		strings.NewReader(url.Values{"To": {patient}, "From": {clinic}, "Body": {"Hi"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(testAccount, testToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	_, err = (&http.Client{Timeout: 200 * time.Millisecond}).Do(req)
	if err == nil {
		t.Fatal("the delayed call answered before the client's timeout")
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the client waited %v", time.Since(start))
	}
	closed := make(chan struct{})
	go func() { fake.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on the delayed request")
	}
}

func TestDelayOnlyFaultSlowsTheCallDown(t *testing.T) {
	fake := newFake(t)
	fake.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Delay: 100 * time.Millisecond})
	start := time.Now()
	if _, err := newAPI(t, fake, testToken).CreateMessage(hello()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("answered after %v, want at least the delay", d)
	}
	fake.FailNext(twiliotest.OpCreateMessage, 3, twiliotest.Fault{Status: 500})
	fake.ClearFaults()
	if _, err := newAPI(t, fake, testToken).CreateMessage(hello()); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}
