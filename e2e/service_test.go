package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestLogsNameEachRelayButHoldNoPatientData(t *testing.T) {
	h := start(t)
	sid := twiliotest.NewMessageSid()
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: sid, From: patient, Body: "My test results came back positive"}))
	h.post("/receive-sms", "application/x-www-form-urlencoded", []byte("From=%2B12015550123&Body=forged+text+here"), nil)

	logs := h.logs.String()
	for _, want := range []string{`"message":"inbound sms relayed"`, sid, `"outcome":"first"`, "+1••••••••23", `"route":"/receive-sms"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	for _, leak := range []string{"2015550123", "positive", "forged", twilioToken, streamSecret, "X-Twilio-Signature", "signature\":\""} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q", leak)
		}
	}
}

func TestReadyOnlyAfterTheChannelTypeCheckPasses(t *testing.T) {
	h := start(t)
	// A second instance against a Stream that refuses the channel-type calls.
	h.stream.FailAlways(streamtest.OpGetChannelType, streamtest.Fault{Status: 503})
	base, _ := h.launch(false)
	deadline := time.Now().Add(700 * time.Millisecond)
	for time.Now().Before(deadline) {
		if got := status(t, base+"/readyz"); got != http.StatusServiceUnavailable {
			t.Fatalf("/readyz = %d while Stream refuses, want 503", got)
		}
		if got := status(t, base+"/healthz"); got != http.StatusOK {
			t.Fatalf("/healthz = %d, want 200 (the process serves)", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.stream.ClearFaults()
	h.waitReady(base) // retried in the background
}

func TestTheChannelTypeIsCreatedWhenMissing(t *testing.T) {
	h := start(t, withEnv("SMS_CHANNEL_TYPE", "clinic_sms"))
	if !h.stream.ChannelTypeExists("clinic_sms") {
		t.Fatal("channel type clinic_sms not created")
	}
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "into a custom type"}))
	if n := len(h.stream.Messages("clinic_sms", "12015550123")); n != 1 {
		t.Errorf("messages in clinic_sms = %d", n)
	}
}

func TestShutdownTurnsNotReadyAndLetsInFlightRequestsFinish(t *testing.T) {
	h := start(t)
	base, stop := h.launch(true)
	assertTwiMLOK(t, h.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "creates the channel"}))

	h.stream.FailNext(streamtest.OpSendMessage, 1, streamtest.Fault{Delay: 1500 * time.Millisecond})
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/receive-sms",
		h.form(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "in flight during shutdown"}))
	if err != nil {
		t.Fatal(err)
	}
	answer := make(chan response, 1)
	go func() { answer <- h.do(req) }()
	time.Sleep(300 * time.Millisecond) // the request is now waiting on Stream

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	if r := <-answer; r.Status != http.StatusOK {
		t.Errorf("in-flight request = %d, want 200", r.Status)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve returned %v, want nil (exit 0)", err)
	}
	if n := len(h.stream.Messages("sms", "12015550123")); n != 2 {
		t.Errorf("messages = %d, want 2", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if resp, err := http.DefaultClient.Do(r); err == nil {
		resp.Body.Close()
		t.Error("server still answers after shutdown")
	}
}

func TestUnknownPathsAnswer404JSON(t *testing.T) {
	h := start(t)
	r := h.post("/nope", "application/json", []byte(`{}`), nil)
	if r.Status != http.StatusNotFound || !strings.Contains(r.Body, `"code":"not_found"`) {
		t.Errorf("got %d %s", r.Status, r.Body)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
