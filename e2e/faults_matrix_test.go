package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// flow is the webhook sequence that makes the bridge call an operation.
type flow int

const (
	inboundKnown   flow = iota // a known patient's SMS: Twilio's webhook with its retries
	inboundFirst               // a new number's first SMS (creates user and channel)
	inboundStop                // a known patient texts STOP (records the opt-out)
	outboundReply              // an admin's chat reply: Stream's webhook with its retries, then Twilio's status callback
	outboundRetry              // an admin's reply whose first SMS went out but Twilio's answer was lost, so retries read the message
	outboundUnsent             // an admin's reply whose first send Twilio refused with 503, so retries read the message
)

// unsentKey is the expected row of the outboundUnsent flow (its operation,
// get message, has a row of its own already).
const unsentKey = "unsent: " + streamtest.OpGetMessage

// operation is a row of the matrix: one upstream call the bridge makes.
type operation struct {
	name   string // as docs/reliability.md shows it
	stream string // the streamtest operation; "" for Twilio's CreateMessage
	flow   flow
}

var operations = []operation{
	{"Stream send message (an SMS from a known patient)", streamtest.OpSendMessage, inboundKnown},
	{"Stream upsert users (a new number's first SMS)", streamtest.OpUpsertUsers, inboundFirst},
	{"Stream query channel (a new number's first SMS)", streamtest.OpQueryChannel, inboundFirst},
	{"Stream update channel partial (a patient texts STOP)", streamtest.OpUpdateChannelPartial, inboundStop},
	{"Stream get message (the retry of a reply whose SMS went out)", streamtest.OpGetMessage, outboundRetry},
	{"Stream get message (the retry of a reply Twilio failed with 503)", streamtest.OpGetMessage, outboundUnsent},
	{"Stream update message partial (an admin's reply)", streamtest.OpUpdateMessagePartial, outboundReply},
	{"Twilio create message (an admin's reply)", "", outboundReply},
}

// faultKind is a column: how the operation fails. Delays are longer than
// any budget of the bridge (5 s for a Stream call, 2.5 s for a Twilio send).
type faultKind struct {
	name     string
	stream   streamtest.Fault
	twilio   twiliotest.Fault
	applied  bool // the upstream did the work; only the answer was lost
	waitHint bool // Stream said when its window turns (expectedWaitHint)
}

// noRateLimitHeaders makes streamtest answer a 429 without X-RateLimit-*
// (it adds them unless a test sets them; a blank Limit stops its defaults).
var noRateLimitHeaders = http.Header{"X-RateLimit-Limit": {" "}, "X-RateLimit-Remaining": nil, "X-RateLimit-Reset": nil}

var faultKinds = []faultKind{
	{name: "500", stream: streamtest.Fault{Status: 500}, twilio: twiliotest.Fault{Status: 500}},
	{name: "503", stream: streamtest.Fault{Status: 503}, twilio: twiliotest.Fault{Status: 503}},
	{name: "429", stream: streamtest.Fault{Status: 429, Header: noRateLimitHeaders},
		twilio: twiliotest.Fault{Status: 429}},
	// Stream's X-RateLimit-Reset says when the window turns, and Stream
	// keeps to it: a call that meets the end of a window finds the next one
	// open a second or two later. A window closed for longer than the
	// caller redelivers is the "every call" row, and e2e/burst_test.go.
	{name: "429 + wait hint", stream: streamtest.Fault{Status: 429, ResetIn: 2 * time.Second},
		twilio: twiliotest.Fault{Status: 429, Header: http.Header{"Retry-After": {"30"}}}, waitHint: true},
	{name: "timeout", stream: streamtest.Fault{Delay: 20 * time.Second}, twilio: twiliotest.Fault{Delay: 10 * time.Second}},
	{name: "reset", stream: streamtest.Fault{Reset: true}, twilio: twiliotest.Fault{Reset: true}},
	// Twilio's fake applies only faults with a Status or Reset, so the lost
	// answer is a reset after the bridge gave up.
	{name: "late answer", stream: streamtest.Fault{Apply: true, Delay: 20 * time.Second},
		twilio: twiliotest.Fault{Apply: true, Reset: true, Delay: 10 * time.Second}, applied: true},
}

// lasting says for how long the fault lasts: the operation's first call
// only, or every call until the vendor stops redelivering.
type lasting string

const (
	once   lasting = "first call"
	always lasting = "every call"
)

var lastings = []lasting{once, always}

// outcome is what a cell asserts: the answers of the webhook sequence
// (delivery.pattern), how many messages ended stored (inbound) or SMS sent
// (outbound), and the final state: "opted out" / "not opted out" for STOP,
// "marked" (the reply carries the one SMS's sid and status, no error) or
// "not sent" (no sid; "pending" while Stream retries, "unconfirmed" after its
// last attempt; an error saying so). The outboundUnsent flow tells
// "unconfirmed" (what the last attempt must leave) from the rest.
type outcome struct {
	answers string
	count   int
	state   string
}

func (o outcome) String() string {
	s := fmt.Sprintf("%s · %d", o.answers, o.count)
	if o.state != "" {
		s += " · " + o.state
	}
	return s
}

// expected holds, per row and lasting, the outcome for faults where the
// work was not done and for the late answer (work done, answer lost).
var expected = map[string]map[lasting][2]outcome{
	streamtest.OpSendMessage: {
		once:   {{"503 → 200", 1, ""}, {"503 → 200", 1, ""}},
		always: {{"503 …", 0, ""}, {"503 …", 1, ""}},
	},
	streamtest.OpUpsertUsers: {
		once:   {{"503 → 200", 1, ""}, {"503 → 200", 1, ""}},
		always: {{"503 …", 0, ""}, {"503 …", 0, ""}},
	},
	streamtest.OpQueryChannel: {
		once:   {{"503 → 200", 1, ""}, {"503 → 200", 1, ""}},
		always: {{"503 …", 0, ""}, {"503 → 200", 1, ""}},
	},
	streamtest.OpUpdateChannelPartial: {
		once:   {{"503 → 200", 1, "opted out"}, {"503 → 200", 1, "opted out"}},
		always: {{"503 …", 1, "not opted out"}, {"503 …", 1, "opted out"}},
	},
	streamtest.OpGetMessage: {
		once:   {{"503 → 200", 1, "marked"}, {"503 → 200", 1, "marked"}},
		always: {{"503 …", 1, "marked"}, {"503 …", 1, "marked"}},
	},
	streamtest.OpUpdateMessagePartial: {
		once:   {{"200", 1, "marked"}, {"200", 1, "marked"}},
		always: {{"200", 1, "marked"}, {"200", 1, "marked"}},
	},
	unsentKey: { // issue 14: nothing sent, and the last attempt says so
		once:   {{"503 → 200", 1, "marked"}, {"503 → 200", 1, "marked"}},
		always: {{"503 …", 0, "unconfirmed"}, {"503 …", 0, "unconfirmed"}},
	},
	"": { // Twilio create message
		once:   {{"503 → 200", 1, "marked"}, {"503 → 200", 1, "marked"}},
		always: {{"503 …", 0, "not sent"}, {"503 → 200", 1, "marked"}},
	},
}

// expectedWaitHint holds the cells where Stream's 429 with its window's
// reset ends otherwise than the other faults, because the bridge believes
// Stream: the window stays closed until the reset (2-3 s ahead), so
//   - an inbound SMS waits for it inside Twilio's 15 s and is stored at once;
//   - a reply's read-back has 1 s (deadlines.ReplyReadBack), too little to
//     wait, and Stream's retries come while the window is still closed, so
//     the bridge answers them 503 without calling Stream: a reply that went
//     out is marked by its status callback, one that did not ends
//     unconfirmed (not sent; send it again).
var expectedWaitHint = map[string]map[lasting]outcome{
	streamtest.OpSendMessage:          {once: {"200", 1, ""}},
	streamtest.OpUpsertUsers:          {once: {"200", 1, ""}},
	streamtest.OpQueryChannel:         {once: {"200", 1, ""}},
	streamtest.OpUpdateChannelPartial: {once: {"200", 1, "opted out"}},
	streamtest.OpGetMessage:           {once: {"503 …", 1, "marked"}},
	unsentKey:                         {once: {"503 …", 0, "unconfirmed"}},
}

// cell is one scenario of the matrix.
type cell struct {
	op    operation
	fault faultKind
	last  lasting
}

func (c cell) want() outcome {
	i := 0
	if c.fault.applied {
		i = 1
	}
	key := c.op.stream
	if c.op.flow == outboundUnsent {
		key = unsentKey
	}
	if o, ok := expectedWaitHint[key][c.last]; ok && c.fault.waitHint {
		return o
	}
	return expected[key][c.last][i]
}

func (c cell) name() string {
	return fmt.Sprintf("%s fails with %s on the %s", c.op.name, c.fault.name, c.last)
}

func cells() []cell {
	var out []cell
	for _, op := range operations {
		for _, last := range lastings {
			for _, f := range faultKinds {
				out = append(out, cell{op, f, last})
			}
		}
	}
	return out
}

// Markers of the generated block in docs/reliability.md.
const (
	matrixStart = "<!-- fault-matrix:start -->"
	matrixEnd   = "<!-- fault-matrix:end -->"
)

// renderMatrix is docs/reliability.md's table, from the definitions above.
func renderMatrix() string {
	var b strings.Builder
	b.WriteString(matrixStart + "\n")
	b.WriteString("| operation (what calls it) | fault lasts |")
	for _, f := range faultKinds {
		b.WriteString(" " + f.name + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(faultKinds)) + "\n")
	for _, op := range operations {
		for _, last := range lastings {
			fmt.Fprintf(&b, "| %s | %s |", op.name, last)
			for _, f := range faultKinds {
				b.WriteString(" " + cell{op, f, last}.want().String() + " |")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString(matrixEnd)
	return b.String()
}
