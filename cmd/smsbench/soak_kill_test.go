package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// TestAReplicaKilledBetweenTwiliosAcceptAndTheStreamMarkSendsOnce is the
// soak's kill -9 at its worst moment, run alone: Twilio has accepted the
// reply's SMS, the replica's mark of it is on its way to Stream, and the
// process dies. It lives here, not in e2e/, because it needs the real
// binary as a process to kill; it reuses the soak's build and replica
// machinery (soak_procs.go) with internal/redistest's redis-server. The
// surviving replica answers Stream's retry 503 while the dead one's send
// claim lives (deadlines.SendClaim), then finds the SMS in Twilio's log and
// adopts it; Twilio's callbacks then carry it to "delivered".
func TestAReplicaKilledBetweenTwiliosAcceptAndTheStreamMarkSendsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds smsbridge and runs two replicas")
	}
	rs := redistest.Start(t)
	dir := t.TempDir()
	began := time.Now()
	bin, err := buildBridge(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built smsbridge in %v", time.Since(began).Round(100*time.Millisecond))
	stream := streamtest.NewServer(streamtest.Options{APIKey: streamKey, APISecret: streamSecret, Fail: t.Errorf})
	twilio := twiliotest.NewServer(twiliotest.Options{AccountSID: accountSID, AuthToken: authToken, Fail: t.Errorf})
	t.Cleanup(stream.Close)
	t.Cleanup(twilio.Close)
	patient := patientNumber(23) // +12015550123
	ch := channelOf(patient)
	stream.AddChannelType(channelType)
	stream.PutUser(streamtest.User{ID: adminID, Name: adminID, Role: "admin"})
	stream.PutUser(streamtest.User{ID: ch, Name: patient, Role: "user"})
	stream.PutChannel(streamtest.Channel{Type: channelType, ID: ch, Members: []string{ch, adminID}, CreatedBy: adminID,
		Custom: map[string]any{"sms_phone": patient, "sms_opted_out": false}})

	env := []string{"PATH=" + os.Getenv("PATH"),
		"STREAM_API_KEY=" + streamKey, "STREAM_API_SECRET=" + streamSecret, "STREAM_BASE_URL=" + stream.URL(),
		"TWILIO_ACCOUNT_SID=" + accountSID, "TWILIO_AUTH_TOKEN=" + authToken, "TWILIO_API_BASE_URL=" + twilio.URL(),
		"TWILIO_FROM_NUMBER=" + clinicNumber, "PUBLIC_URL=" + publicURL, "ADMIN_USERS=" + adminID + ":" + adminHash,
		"SHUTDOWN_DELAY=0s", "LISTEN_HOST=127.0.0.1", "SMS_CHANNEL_TYPE=" + channelType, "LOG_FORMAT=json",
		"LOG_LEVEL=debug", "REDIS_URL=" + rs.URL()}
	var reps [2]*replica
	for i, name := range []string{"a", "b"} {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		log, err := os.Create(filepath.Join(dir, "replica-"+name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { log.Close() })
		reps[i] = &replica{name: "replica " + name, bin: bin, port: port, log: log, env: env}
		if err := reps[i].start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { reps[i].signal(syscall.SIGTERM, 10*time.Second) })
	}
	dying, survivor := reps[0], reps[1]

	const id, text = "kill-mark-1", "Your results are ready to collect."
	stream.PutMessage(streamtest.Message{ID: id, ChannelType: channelType, ChannelID: ch, Text: text, UserID: adminID,
		CreatedAt: time.Now()})
	body, _ := stream.MessageNewEvent(id)
	deliver := func(base string, attempt string) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/stream-outgoing-sms", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature", streamtest.Sign(streamSecret, body))
		req.Header.Set("X-Webhook-Id", "wh-"+id)
		req.Header.Set("X-Webhook-Attempt", attempt)
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	hold := stream.HoldMessage(streamtest.OpUpdateMessagePartial, id)
	first := make(chan error, 1)
	go func() { _, err := deliver(dying.base(), "1"); first <- err }()
	select {
	case <-hold.Reached():
	case err := <-first:
		t.Fatalf("the first delivery ended before marking the reply (%v)", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the first delivery's mark never reached Stream")
	}
	sent := twilio.MessagesTo(patient)
	if len(sent) != 1 {
		t.Fatalf("%d SMS at Twilio when the mark left, want 1", len(sent))
	}
	sid := sent[0].Sid
	dying.signal(syscall.SIGKILL, 5*time.Second)
	killed := time.Now()
	if err := <-first; err == nil {
		t.Fatal("the killed replica answered the first delivery")
	}
	select {
	case <-hold.Abandoned():
	case <-time.After(10 * time.Second):
		t.Fatal("the killed replica's mark is still held open")
	}
	hold.Release()
	if m, _ := stream.Message(id); m.Custom["sms_sid"] != nil {
		t.Fatalf("the killed replica's mark landed (%v): nothing was left to recover", m.Custom)
	}

	// Stream's retry of the same event; 503 while the dead claim lives.
	deadline := time.Now().Add(deadlines.SendClaim + 15*time.Second)
	var answers []int
	for {
		status, err := deliver(survivor.base(), "2")
		if err != nil {
			t.Fatalf("the survivor on Stream's retry: %v", err)
		}
		answers = append(answers, status)
		if status >= 200 && status < 300 {
			break
		}
		if status != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("Stream's retry answered %v, want 503s then 2xx within %v", answers, deadlines.SendClaim+15*time.Second)
		}
		time.Sleep(time.Second)
	}
	t.Logf("the survivor answered Stream's retry %d×503, then %d, %v after the kill",
		len(answers)-1, answers[len(answers)-1], time.Since(killed).Round(100*time.Millisecond))
	if m, _ := stream.Message(id); m.Custom["sms_sid"] != sid {
		t.Errorf("after the retry the reply is marked %v, want the SMS in Twilio's log (%s) adopted", m.Custom, sid)
	}

	for _, status := range []string{"sent", "delivered"} {
		twilio.SetStatus(sid, status, 0)
		req, err := twiliotest.NewSignedRequest(authToken, publicURL, survivor.base(), "/twilio-status?mid="+id, twilio.StatusCallbackFor(sid))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatalf("status %s: %v", status, err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("status callback %s answered %d", status, resp.StatusCode)
		}
	}
	if n := len(twilio.MessagesTo(patient)); n != 1 {
		t.Errorf("%d SMS sent to the patient, want 1", n)
	}
	m, _ := stream.Message(id)
	if m.Custom["sms_sid"] != sid || m.Custom["sms_status"] != "delivered" {
		t.Errorf("the reply ends marked %v, want sms_sid %s and sms_status delivered", m.Custom, sid)
	}
	for _, name := range []string{"a", "b"} {
		logs, _ := os.ReadFile(filepath.Join(dir, "replica-"+name+".log"))
		for _, secret := range []string{text, channelOf(patient), streamSecret, authToken} {
			if strings.Contains(string(logs), secret) {
				t.Errorf("replica %s logged %q", name, secret)
			}
		}
	}
}
