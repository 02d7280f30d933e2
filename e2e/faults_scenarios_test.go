package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// cellResult is what running a cell produced.
type cellResult struct {
	got      outcome
	problems []string
	took     time.Duration
	slowest  time.Duration // the slowest answer the bridge gave
}

// runCell plays c in a world of its own and returns its outcome. Besides
// the outcome it checks, as problems: every answer came within the
// caller's deadline, failures are 503 with the JSON error shape, the chat
// never claims more than happened, the fakes saw only valid calls and the
// logs hold no patient data.
func runCell(cfg config.Config, c cell) (r cellResult) {
	began := time.Now()
	w, err := newWorld(cfg)
	if err != nil {
		return cellResult{problems: []string{err.Error()}}
	}
	if c.op.flow == outboundReply || c.op.flow == outboundRetry || c.op.flow == outboundUnsent {
		r.got = w.outboundScenario(c)
	} else {
		r.got = w.inboundScenario(c)
	}
	w.close()
	r.problems, r.took, r.slowest = w.failures(), time.Since(began), w.slowest
	return r
}

// inject sets c's fault on its operation, for its first call or for good.
func (w *world) inject(c cell) {
	switch {
	case c.op.stream != "" && c.last == once:
		w.stream.FailNext(c.op.stream, 1, c.fault.stream)
	case c.op.stream != "":
		w.stream.FailAlways(c.op.stream, c.fault.stream)
	case c.last == once:
		w.twilio.FailNext(twiliotest.OpCreateMessage, 1, c.fault.twilio)
	default:
		w.twilio.FailNext(twiliotest.OpCreateMessage, 100, c.fault.twilio) // more calls than any redelivery makes
	}
}

// recovered ends every fault: the upstreams are back.
func (w *world) recovered() {
	w.stream.ClearFaults()
	w.twilio.ClearFaults()
}

func (w *world) inboundScenario(c cell) outcome {
	const number = "+12015550123"
	channel := strings.TrimPrefix(number, "+")
	if c.op.flow == inboundFirst {
		w.secret(channel)
	} else {
		w.seedPatient(number)
	}
	body := "Please call me back about my visit"
	if c.op.flow == inboundStop {
		body = "STOP"
	} else {
		w.secret(body)
	}
	sid := twiliotest.NewMessageSid()
	w.inject(c)
	d, cut := w.deliverSMS(twiliotest.InboundSMS(twilioSID, sid, number, clinicNumber, body))
	w.recovered()
	w.checkAnswers("/receive-sms", d, cut, twilioTotal)
	w.stop()

	msgs := w.stream.Messages("sms", channel)
	stored := 0
	for _, m := range msgs {
		if m.ID == "sms-"+sid && m.Custom["sms_direction"] == "inbound" && m.Custom["sms_sid"] == sid {
			stored++
		}
	}
	if len(msgs) != stored {
		w.fail("channel holds %d messages, %d of them the SMS", len(msgs), stored)
	}
	if d.answered(http.StatusOK) && stored != 1 {
		w.fail("answered 200 but %d messages are stored", stored)
	}
	out := outcome{answers: d.pattern(), count: stored}
	if c.op.flow == inboundStop {
		ch, _ := w.stream.Channel("sms", channel)
		out.state = "not opted out"
		if ch.Custom["sms_opted_out"] == true {
			out.state = "opted out"
		}
	}
	return out
}

func (w *world) outboundScenario(c cell) outcome {
	channel := w.seedPatient(patient)
	text := "Your appointment moved to Monday at nine"
	w.secret(text)
	w.stream.PutMessage(streamtest.Message{ID: "reply-1", ChannelType: "sms", ChannelID: channel, Text: text, UserID: "front_desk"})
	if c.op.flow == outboundRetry {
		// The first attempt's SMS goes out but its answer is lost, so the
		// retries must read the message before deciding anything.
		w.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Apply: true, Reset: true, Delay: 10 * time.Second})
	}
	if c.op.flow == outboundUnsent {
		// The first attempt's send is refused for now: nothing goes out and
		// the reply is "pending … retrying" while the retries cannot read.
		w.twilio.FailNext(twiliotest.OpCreateMessage, 1, twiliotest.Fault{Status: http.StatusServiceUnavailable})
	}
	w.inject(c)
	d, cut := w.deliverEvent("reply-1")
	w.recovered()
	w.checkAnswers("/stream-outgoing-sms", d, cut, outboundDeadline)

	sent := w.twilio.MessagesTo(patient)
	w.checkTruth("after the webhook", sent)
	for _, s := range sent { // Twilio's callback once the SMS is on its way
		if x := w.statusCallback("reply-1", s.Sid, "sent"); x.status != http.StatusOK {
			w.fail("status callback: %d %v", x.status, x.err)
		}
	}
	w.stop()
	w.checkTruth("after the status callback", sent)
	state := w.replyState(sent)
	if m, _ := w.stream.Message("reply-1"); c.op.flow == outboundUnsent && state == "not sent" && m.Custom["sms_status"] == "unconfirmed" {
		state = "unconfirmed"
	}
	return outcome{answers: d.pattern(), count: len(sent), state: state}
}

// checkTruth fails when the reply's marks claim more than Twilio holds.
func (w *world) checkTruth(when string, sent []twiliotest.Message) {
	m, _ := w.stream.Message("reply-1")
	sid, _ := m.Custom["sms_sid"].(string)
	status, _ := m.Custom["sms_status"].(string)
	switch {
	case len(sent) > 1:
		w.fail("%s: the reply was sent %d times", when, len(sent))
	case len(sent) == 0 && (sid != "" || sentStatus(status)):
		w.fail("%s: nothing was sent but the reply is marked sid %q status %q", when, sid, status)
	case len(sent) == 1 && sid != "" && sid != sent[0].Sid:
		w.fail("%s: the reply is marked with sid %q, the SMS is %s", when, sid, sent[0].Sid)
	}
}

// replyState classifies the reply's final marks (see outcome).
func (w *world) replyState(sent []twiliotest.Message) string {
	m, _ := w.stream.Message("reply-1")
	sid, _ := m.Custom["sms_sid"].(string)
	status, _ := m.Custom["sms_status"].(string)
	reason, hasReason := m.Custom["sms_error"].(string)
	switch {
	case len(sent) == 1 && sid == sent[0].Sid && status == "sent" && !hasReason && m.Custom["sms_direction"] == "outbound":
		return "marked"
	case len(sent) == 0 && sid == "" && (status == "pending" || status == "unconfirmed" || status == "failed") && reason != "":
		return "not sent"
	}
	return fmt.Sprintf("sid %q, status %q, error %q", sid, status, reason)
}

// sentStatus reports whether status says the SMS left.
func sentStatus(status string) bool {
	switch status {
	case "accepted", "scheduled", "queued", "sending", "sent", "delivered", "read":
		return true
	}
	return false
}

// checkAnswers fails for an attempt the bridge did not answer within
// deadline, and for a failure that is not a JSON 503.
func (w *world) checkAnswers(route string, d delivery, cut []bool, deadline time.Duration) {
	for i, x := range d {
		if x.status != 0 {
			w.slowest = max(w.slowest, x.took)
		}
		switch {
		case cut[i]:
		case x.status == 0:
			w.fail("%s attempt %d: no answer after %v", route, i+1, x.took.Round(time.Millisecond))
		case x.took > deadline:
			w.fail("%s attempt %d: answered after %v, deadline %v", route, i+1, x.took.Round(time.Millisecond), deadline)
		}
		if x.status >= 400 {
			var e struct{ Error, Code string }
			if json.Unmarshal([]byte(x.body), &e) != nil || e.Error == "" || e.Code == "" {
				w.fail("%s attempt %d: %d without the JSON error shape", route, i+1, x.status)
			}
			if x.status != http.StatusServiceUnavailable {
				w.fail("%s attempt %d: %d (code %s), want 503 for a failure a retry may fix", route, i+1, x.status, e.Code)
			}
		}
	}
}

// answered reports whether any attempt got status.
func (d delivery) answered(status int) bool {
	for _, x := range d {
		if x.status == status {
			return true
		}
	}
	return false
}
