package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// dieAfterSending does what a replica did before it died: it claimed chat
// reply id in the shared store and handed the SMS to Twilio, and never
// marked the message. claimLeft stands for the rest of its claim's TTL.
func (r *replicas) dieAfterSending(id, text string, claimLeft time.Duration) {
	r.t.Helper()
	store, err := coord.NewRedis(r.redis.URL())
	if err != nil {
		r.t.Fatal(err)
	}
	defer store.Close()
	if ok, err := store.Claim(context.Background(), "send:"+id, claimLeft); err != nil || !ok {
		r.t.Fatalf("claim as the dead replica: %v %v", ok, err)
	}
	form := url.Values{"To": {patient}, "From": {clinicNumber}, "Body": {text},
		"StatusCallback": {publicURL + "/twilio-status?mid=" + id}}
	req, err := http.NewRequest(http.MethodPost, r.twilio.URL()+"/2010-04-01/Accounts/"+twilioSID+"/Messages.json",
		strings.NewReader(form.Encode()))
	if err != nil {
		r.t.Fatal(err)
	}
	req.SetBasicAuth(twilioSID, twilioToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if got := r.do(req); got.Status != http.StatusCreated {
		r.t.Fatalf("the dead replica's send: %d %s", got.Status, got.Body)
	}
}

func TestADeadReplicasClaimExpiresAndTwiliosLogDecides(t *testing.T) {
	r := startReplicas(t)
	r.withPatient()
	const text = "Your results are ready to collect"
	r.write(adminReply("orphan-1", text))
	r.dieAfterSending("orphan-1", text, time.Second)
	client := &http.Client{Timeout: streamTotal}

	if s := r.deliverAt(client, r.base(1), "orphan-1", 2); s != http.StatusServiceUnavailable {
		t.Errorf("Stream's retry while the dead replica's claim holds: %d, want 503", s)
	}
	time.Sleep(1200 * time.Millisecond) // the claim expires
	if s := r.deliverAt(client, r.base(1), "orphan-1", 3); s != http.StatusOK {
		t.Errorf("Stream's last retry after the claim expired: %d, want 200", s)
	}
	sent := r.twilio.MessagesTo(patient)
	if len(sent) != 1 {
		t.Fatalf("%d SMS sent, want only the dead replica's", len(sent))
	}
	if m, _ := r.stream.Message("orphan-1"); m.Custom["sms_sid"] != sent[0].Sid {
		t.Errorf("reply marks = %v, want the dead replica's SMS (%s) adopted", m.Custom, sent[0].Sid)
	}
}

func TestADuplicateFirstDeliveryAfterASendWhoseMarkFailedSendsNothing(t *testing.T) {
	r := startReplicas(t)
	r.withPatient()
	const text = "We open at 8am tomorrow"
	r.stream.PutUser(streamtest.User{ID: "front_desk", Role: "admin", Name: "front_desk"})
	r.stream.PutMessage(streamtest.Message{ID: "unmarked-1", ChannelType: "sms", ChannelID: "12015550123",
		Text: text, UserID: "front_desk", CreatedAt: time.Now().Add(-time.Minute)})
	r.secret(text)
	client := &http.Client{Timeout: streamTotal}

	r.stream.FailNext(streamtest.OpUpdateMessagePartial, 1, streamtest.Fault{Status: http.StatusInternalServerError})
	if s := r.deliverAt(client, r.base(0), "unmarked-1", 1); s != http.StatusOK {
		t.Fatalf("first delivery: %d, want 200 (sent, the mark left to the status callback)", s)
	}
	if m, _ := r.stream.Message("unmarked-1"); m.Custom["sms_sid"] != nil {
		t.Fatalf("the mark was written after all (%v): the test did not make it fail", m.Custom)
	}
	if s := r.deliverAt(client, r.base(1), "unmarked-1", 1); s != http.StatusOK && s != http.StatusServiceUnavailable {
		t.Errorf("a replayed first delivery on the other replica: %d, want 200 or 503", s)
	}
	// Later, with the claim gone (expired, or Redis emptied), a replay of the
	// first delivery still finds the SMS in Twilio's log.
	store, err := coord.NewRedis(r.redis.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, k := range []string{"send:unmarked-1", "status:unmarked-1"} {
		_ = store.Release(context.Background(), k)
	}
	if s := r.deliverAt(client, r.base(1), "unmarked-1", 1); s != http.StatusOK {
		t.Errorf("a replayed first delivery after the claim expired: %d, want 200", s)
	}
	sent := r.twilio.MessagesTo(patient)
	if len(sent) != 1 {
		t.Fatalf("%d SMS sent, want 1", len(sent))
	}
	if m, _ := r.stream.Message("unmarked-1"); m.Custom["sms_sid"] != sent[0].Sid {
		t.Errorf("reply marks = %v, want the SMS adopted (%s)", m.Custom, sent[0].Sid)
	}
}
