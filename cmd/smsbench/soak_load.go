package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// The soak's load: steady, mixed and bounded (one request of each kind at a
// time, at fixed paces), recording everything the ledger checks.

// answerLog records every answer the replicas gave, per route.
type answerLog struct {
	mu      sync.Mutex
	latency map[string][]time.Duration
	fivexx  []fiveXX
}

type fiveXX struct {
	route  string
	status int
	at     time.Time
}

func (l *answerLog) add(route string, status int, d time.Duration, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.latency == nil {
		l.latency = map[string][]time.Duration{}
	}
	if status < 500 && status > 0 {
		l.latency[route] = append(l.latency[route], d)
	}
	if (status >= 500 || status == 0) && route != "duplicate delivery" {
		l.fivexx = append(l.fivexx, fiveXX{route: route, status: status, at: at})
	}
}

// sentItem is one reply or reminder the load asked for, with the unique
// text that finds its SMS in Twilio's records.
type sentItem struct {
	kind, id, text string
	answered       int // the last answer's status
}

type loadState struct {
	s         *soak
	answers   answerLog
	mu        sync.Mutex
	inbound   []string // sids of inbound texts
	inboundOK []bool   // Twilio's webhook finally answered 2xx
	items     []*sentItem
	token     string
	seq       int
}

func (l *loadState) next() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	return l.seq
}

// do sends req, timing it under route.
func (l *loadState) do(route string, req *http.Request) int {
	start := time.Now()
	resp, err := l.s.client.Do(req)
	status := 0
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	l.answers.add(route, status, time.Since(start), time.Now())
	return status
}

// every runs fn each period until ctx ends.
func every(ctx context.Context, wg *sync.WaitGroup, period time.Duration, fn func(ctx context.Context)) {
	wg.Go(func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fn(ctx)
			}
		}
	})
}

// inboundText is one patient's text through Twilio's network (which
// redelivers on 5xx, as Twilio does with the #rc=3&rp=5xx overrides).
func (l *loadState) inboundText(ctx context.Context) {
	n := l.next()
	from := patientNumber(rand.IntN(soakPatients))
	if n%50 == 0 {
		from = patientNumber(soakPatients + n) // the occasional first contact
	}
	// Started texts finish (with Twilio's redeliveries) after the load ends.
	sid, res := l.s.network.Text(context.WithoutCancel(ctx), from, fmt.Sprintf("Inbound %d: see you on Tuesday.", n))
	l.answers.add("POST /receive-sms", res.HTTP, 0, time.Now())
	l.mu.Lock()
	l.inbound = append(l.inbound, sid)
	l.inboundOK = append(l.inboundOK, res.HTTP >= 200 && res.HTTP < 300)
	l.mu.Unlock()
}

// stopStart has one of a few patients text STOP, and later START.
func (l *loadState) stopStart(ctx context.Context) {
	n := l.next()
	body := "STOP"
	if n%2 == 0 {
		body = "START"
	}
	from := patientNumber(rand.IntN(soakOptOuters))
	sid, res := l.s.network.Text(context.WithoutCancel(ctx), from, body)
	l.mu.Lock()
	l.inbound = append(l.inbound, sid)
	l.inboundOK = append(l.inboundOK, res.HTTP >= 200 && res.HTTP < 300)
	l.mu.Unlock()
}

// reply is an admin's chat message, delivered as Stream does (up to 3
// attempts on 408, 429 and 5xx, spread over seconds), sometimes also at
// once to both replicas.
func (l *loadState) reply(ctx context.Context) {
	n := l.next()
	id := "soak-reply-" + strconv.Itoa(n)
	text := fmt.Sprintf("Reply %d: your results are ready.", n)
	ch := channelOf(patientNumber(rand.IntN(soakPatients)))
	l.s.stream.PutMessage(streamtest.Message{ID: id, ChannelType: channelType, ChannelID: ch, Text: text, UserID: adminID})
	item := &sentItem{kind: "reply", id: id, text: text}
	l.mu.Lock()
	l.items = append(l.items, item)
	l.mu.Unlock()
	body, _ := l.s.stream.MessageNewEvent(id)
	if n%7 == 0 { // a duplicate delivery to each replica at once
		var wg sync.WaitGroup
		for _, r := range l.s.replicas {
			// Stream's own duplicate: 503 while the other delivery holds
			// the claim is the answer asked for, so it is timed apart.
			wg.Go(func() { l.do("duplicate delivery", l.streamRequest(r.base(), body, 1)) })
		}
		wg.Wait()
	}
	for attempt := 1; attempt <= 3 && (attempt == 1 || ctx.Err() == nil); attempt++ {
		item.answered = l.do("POST /stream-outgoing-sms", l.streamRequest(l.s.lb.addr, body, attempt))
		if item.answered != http.StatusRequestTimeout && item.answered != http.StatusTooManyRequests && item.answered < 500 && item.answered != 0 {
			return
		}
		time.Sleep(time.Duration(attempt*attempt) * 2 * time.Second) // 2 s, then 8 s

	}
}

func (l *loadState) streamRequest(base string, body []byte, attempt int) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base+"/stream-outgoing-sms", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", streamtest.Sign(streamSecret, body))
	req.Header.Set("X-Webhook-Attempt", strconv.Itoa(attempt))
	return req
}

// reminder is POST /send-reminder with an Idempotency-Key, replayed once,
// and retried with the same key until it is answered or the soak ends; one
// in five is scheduled (Twilio's 15-minute minimum and more).
func (l *loadState) reminder(ctx context.Context) {
	n := l.next()
	key := "soak-key-" + strconv.Itoa(n)
	text := fmt.Sprintf("Reminder %d: your appointment is on Tuesday.", n)
	body := map[string]any{"phoneNumber": patientNumber(soakOptOuters + rand.IntN(soakPatients-soakOptOuters)), "messageText": text}
	if n%5 == 0 {
		body["sendAt"] = time.Now().Add(20 * time.Minute).UTC().Format(time.RFC3339)
	}
	raw, _ := json.Marshal(body)
	item := &sentItem{kind: "reminder", id: key, text: text}
	l.mu.Lock()
	l.items = append(l.items, item)
	l.mu.Unlock()
	for try := 0; try < 6 && (try < 2 || ctx.Err() == nil); try++ {
		req, _ := http.NewRequest(http.MethodPost, l.s.lb.addr+"/send-reminder", bytes.NewReader(raw))
		req.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + l.token},
			"Idempotency-Key": {key}}
		item.answered = l.do("POST /send-reminder", req)
		if item.answered == http.StatusOK && try == 0 {
			continue // the replay: must not send again
		}
		if item.answered > 0 && item.answered < 500 {
			return
		}
		time.Sleep(time.Second)
	}
}

// staleStatus replays an old "sent" callback for a message Twilio already
// moved past, to one replica or the other: out of order, it must change
// nothing.
func (l *loadState) staleStatus(context.Context) {
	msgs := l.s.twilio.Messages()
	for i := len(msgs) - 1; i >= 0 && i >= len(msgs)-20; i-- {
		m := msgs[i]
		if m.Status != "delivered" || m.StatusCallback == "" {
			continue
		}
		pathAndQuery := strings.TrimPrefix(strings.SplitN(m.StatusCallback, "#", 2)[0], l.s.lb.addr)
		req, err := twiliotest.NewSignedRequest(authToken, l.s.lb.addr, l.s.lb.addr, pathAndQuery,
			twiliotest.StatusCallback(accountSID, m.Sid, "sent", 0))
		if err == nil {
			l.do("POST /twilio-status", req)
		}
		return
	}
}
