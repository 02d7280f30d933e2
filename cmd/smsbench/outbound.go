package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// replyHole stands for a reply's id in the message.new template: "reply-"
// and 12 characters, as replyID makes them.
const replyHole = "reply-zzzzzzzzzzzz"

// createdHole stands for a reply's created_at: a time whose RFC 3339 form
// has nine fraction digits, the width createdAt writes.
var createdHole = time.Date(2000, 1, 1, 0, 0, 0, 123456789, time.UTC)

// createdAt is t as Stream writes a message's created_at, at a fixed width.
func createdAt(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

func replyID(n uint64) string {
	return fmt.Sprintf("reply-%012d", n%1e12)
}

// outboundRequests returns a builder of message.new webhooks, first
// deliveries all, each for a new admin reply that it stores in the fake
// first: the bridge reads a reply back before sending it, and sends
// nothing for one already marked, so every request must be a new reply.
// The body comes from one template rendered by the fake, with the reply's
// id, its creation time (now: Stream sends message.new as the admin
// sends) and the patient's channel filled in, then signed.
func outboundRequests(w *world) (func() requestFunc, error) {
	tmplChannel := channelOf(patientNumber(0))
	w.stream.PutMessage(streamtest.Message{ID: replyHole, ChannelType: channelType,
		ChannelID: numberHole, Text: replyText, UserID: adminID, CreatedAt: createdHole})
	tmpl, ok := w.stream.MessageNewEvent(replyHole)
	created := createdAt(createdHole)
	if !ok || len(tmplChannel) != len(numberHole) || len(createdAt(time.Now())) != len(created) {
		return nil, fmt.Errorf("no message.new template")
	}
	idAt, chanAt, createdAtAt := holes(tmpl, replyHole), holes(tmpl, numberHole), holes(tmpl, created)
	if len(createdAtAt) == 0 {
		return nil, fmt.Errorf("the message.new template has no created_at")
	}
	return func() requestFunc {
		mac := hmac.New(sha256.New, []byte(streamSecret))
		var sum []byte
		return func(base string, n uint64) (*http.Request, error) {
			id, ch, now := replyID(n), channelOf(patientNumber(int(n%uint64(w.numbers)))), time.Now()
			w.stream.PutMessage(streamtest.Message{ID: id, ChannelType: channelType,
				ChannelID: ch, Text: replyText, UserID: adminID, CreatedAt: now})
			body := bytes.Clone(tmpl)
			fill(body, idAt, id)
			fill(body, chanAt, ch)
			fill(body, createdAtAt, createdAt(now))
			mac.Reset()
			mac.Write(body)
			sum = mac.Sum(sum[:0])
			req, err := http.NewRequest(http.MethodPost, base+"/stream-outgoing-sms", bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header = http.Header{
				"Content-Type":      {"application/json"},
				"X-Signature":       {hex.EncodeToString(sum)},
				"X-Webhook-Attempt": {"1"},
				"X-Webhook-Id":      {"wh-" + strconv.FormatUint(n, 10)},
			}
			return req, nil
		}
	}, nil
}
