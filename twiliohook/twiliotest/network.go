package twiliotest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// codeUnsubscribed is Twilio's answer to a message for a phone that texted
// STOP ("Attempt to send to unsubscribed recipient").
const codeUnsubscribed = 21610

// defaultStep is how long a sent message stays in each status when
// NetworkOptions.Step is zero: long enough for a person to see it move.
const defaultStep = 300 * time.Millisecond

// NetworkOptions configure a Network.
type NetworkOptions struct {
	// Number is the clinic's Twilio number: phones text it (Text), and it is
	// the To of their incoming-message webhooks.
	Number string
	// Numbers are the clinic's other numbers, which phones text with TextTo;
	// their webhooks go to the same IncomingURL.
	Numbers []string
	// IncomingURL is the number's "A message comes in" webhook as set in
	// Twilio's console, connection overrides included
	// (https://bridge.example.org/receive-sms#rc=3&rp=5xx).
	IncomingURL string
	// WhatsAppNumber is the clinic's WhatsApp sender (whatsapp:+E164), the
	// To of the WhatsApp messages users send (Network.WhatsApp).
	WhatsAppNumber string
	// Step is the time between two statuses of a sent message; 0 means 300ms.
	Step time.Duration
	// Client sends the webhooks; nil means one with Twilio's 15 s timeout.
	Client *http.Client
	// Report, when set, is told how each webhook ended, for logs.
	Report func(WebhookResult)
}

// WebhookResult is how one webhook (after its retries) ended.
type WebhookResult struct {
	Kind     string // "incoming" or "status"
	Sid      string // the message's sid
	Status   string // for "status": the message status it reported
	Attempts int
	HTTP     int   // the last answer's status; 0 when none came
	Err      error // the last network error, if any
}

// Network is what lies beyond the fake's API: the phones and carriers. It
// plays Twilio's part towards the application: a phone's text is recorded
// and posted, signed, to IncomingURL; every message created through the API
// then moves through the statuses a carrier reports (queued, sent, then
// delivered, or undelivered for an Unreachable number), each posted, signed,
// to the message's StatusCallback. A phone that texts STOP to a clinic
// number is blocked as by Twilio's default opt-out handling (later messages
// to it from that number, or through a Messaging Service whose pool holds
// it, fail with 21610) until it texts START. Scheduled messages are not sent.
//
// A Server has at most one Network; Close it before the Server.
type Network struct {
	srv    *Server
	opts   NetworkOptions
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu          sync.Mutex
	closed      bool
	unreachable map[string]int         // number -> the error code its messages end with
	scheduled   map[string]*time.Timer // sid -> the timer that sends it at its SendAt
}

// NewNetwork attaches a Network to s.
func (s *Server) NewNetwork(o NetworkOptions) *Network {
	if o.Step <= 0 {
		o.Step = defaultStep
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: webhookTimeout}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &Network{srv: s, opts: o, ctx: ctx, cancel: cancel, unreachable: map[string]int{}, scheduled: map[string]*time.Timer{}}
	s.mu.Lock()
	s.network = n
	s.mu.Unlock()
	return n
}

// Close stops the deliveries in progress and detaches the Network.
func (n *Network) Close() {
	n.mu.Lock()
	n.closed = true
	for sid, t := range n.scheduled {
		t.Stop()
		delete(n.scheduled, sid)
	}
	n.mu.Unlock()
	n.cancel()
	n.wg.Wait()
	n.srv.mu.Lock()
	if n.srv.network == n {
		n.srv.network = nil
	}
	n.srv.mu.Unlock()
}

// Unreachable makes every later message to number end "undelivered" with
// code, as a carrier reports a phone that is off (30003) or unknown (30005).
func (n *Network) Unreachable(number string, code int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.unreachable[number] = code
}

// Text sends body from the phone number to the clinic's number (Number):
// TextTo with that number.
func (n *Network) Text(ctx context.Context, from, body string) (string, WebhookResult) {
	if isWhatsApp(from) {
		return n.WhatsApp(ctx, WhatsAppMessage{From: from, Body: body})
	}
	return n.TextTo(ctx, from, n.opts.Number, body)
}

// TextTo sends body from the phone number to the clinic number to, which
// must be Number or one of Numbers: the message is recorded (AddInbound) and
// its incoming-message webhook posted, signed, with the retries
// IncomingURL's overrides ask for. It returns the message sid and how the
// webhook ended. STOP and START apply to that clinic number, as Twilio's
// default opt-out handling does (see optOut).
func (n *Network) TextTo(ctx context.Context, from, to, body string) (string, WebhookResult) {
	if to != n.opts.Number && !slices.Contains(n.opts.Numbers, to) {
		return "", WebhookResult{Kind: "incoming", Err: fmt.Errorf("twiliotest: %s is not a number of the network", to)}
	}
	if isWhatsApp(from) {
		return n.whatsAppTo(ctx, to, WhatsAppMessage{From: from, Body: body})
	}
	switch optKeyword(body) {
	case "STOP":
		n.srv.optOut(from, to)
	case "START":
		n.srv.optIn(from, to)
	}
	sid := n.srv.AddInbound(Message{From: from, To: to, Body: body})
	form := InboundSMS(n.srv.opts.AccountSID, sid, from, to, body)
	res := n.post(ctx, n.opts.IncomingURL, form)
	res.Kind, res.Sid = "incoming", sid
	n.report(res)
	return sid, res
}

// optKeyword returns "STOP" or "START" when body is one of the keywords of
// Twilio's default opt-out handling, alone on the line in any case.
func optKeyword(body string) string {
	switch strings.ToUpper(strings.TrimSpace(body)) {
	case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT":
		return "STOP"
	case "START", "YES", "UNSTOP":
		return "START"
	}
	return ""
}

// messageCreatedLocked starts the carrier's part for a message just created
// through the API; s.mu is held, so that runs on its own goroutine.
func (s *Server) messageCreatedLocked(m Message) {
	if n := s.network; n != nil {
		n.deliver(m.clone())
	}
}

func (n *Network) deliver(m Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case n.closed:
		return
	case m.ScheduleType != "":
		// Twilio holds a scheduled message until its SendAt, then queues it.
		n.scheduled[m.Sid] = time.AfterFunc(time.Until(m.SendAt), func() { n.release(m.Sid) })
		return
	}
	n.wg.Add(1)
	go n.progress(m, n.unreachable[m.To])
}

// SendScheduledNow sends every scheduled message at once, as if their SendAt
// had come: a sandbox's way to skip ahead in time. It returns how many.
func (n *Network) SendScheduledNow() int {
	n.mu.Lock()
	var due []string
	for sid, t := range n.scheduled {
		if t.Stop() {
			due = append(due, sid)
		}
	}
	n.mu.Unlock()
	for _, sid := range due {
		n.release(sid)
	}
	return len(due)
}

// release sends a scheduled message whose time has come: it is queued, then
// walks through the carrier's statuses like any other. Lock order is the
// Server's then the Network's, so n.mu is not held across Server calls.
func (n *Network) release(sid string) {
	n.mu.Lock()
	_, ok := n.scheduled[sid]
	delete(n.scheduled, sid)
	ok = ok && !n.closed
	n.mu.Unlock()
	if !ok {
		return
	}
	m, ok := n.srv.Message(sid)
	if !ok || m.Status != "scheduled" {
		return // canceled meanwhile
	}
	n.srv.SetStatus(sid, "queued", 0)
	m.Status = "queued"
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.wg.Add(1)
	go n.progress(m, n.unreachable[m.To])
}

// progress walks a sent message through its statuses, one Step apart,
// posting a status callback for each, the first being its status at
// creation. code, when not 0, is the carrier's reason for not delivering.
func (n *Network) progress(m Message, code int) {
	defer n.wg.Done()
	steps := []carrierStep{{m.Status, 0}}
	if m.Status == "accepted" { // a Messaging Service picks a sender first
		steps = append(steps, carrierStep{"queued", 0})
	}
	steps = append(steps, carrierSteps(m, code)...)
	tick := time.NewTicker(n.opts.Step)
	defer tick.Stop()
	for i, st := range steps {
		if i > 0 {
			select {
			case <-tick.C:
			case <-n.ctx.Done():
				return
			}
			n.srv.SetStatus(m.Sid, st.status, st.code)
		}
		if m.StatusCallback != "" {
			res := n.post(n.ctx, m.StatusCallback, n.srv.StatusCallbackFor(m.Sid))
			res.Kind, res.Sid, res.Status = "status", m.Sid, st.status
			n.report(res)
		}
	}
}

// carrierStep is one status a carrier reports, with its error code.
type carrierStep struct {
	status string
	code   int
}

func (n *Network) report(res WebhookResult) {
	if n.opts.Report != nil {
		n.opts.Report(res)
	}
}

// Conversation returns the messages between the clinic and number, both
// directions, in the order they were recorded: what that phone's screen
// would show, once their statuses say they arrived.
func (s *Server) Conversation(number string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, r := range s.records {
		if r.To == number || r.From == number {
			out = append(out, r.Message.clone())
		}
	}
	return out
}
