package deadlines

import "time"

// Route is one route's worst case, as the test adds it up.
type Route struct {
	Path   string
	Caller time.Duration // how long the caller waits for the answer
	Budget time.Duration // the handler's context deadline
	// Steps are upstream budgets taken one after another inside Budget; they
	// must fit in it, or the last step (the write of the result) would be
	// cut short.
	Steps []time.Duration
	// Detached is work the handler waits for after Budget may have run out.
	Detached []time.Duration
}

// Worst is the longest the route can take before it starts its answer.
func (r Route) Worst() time.Duration {
	w := r.Budget
	for _, d := range r.Detached {
		w += d
	}
	return w
}

// Routes lists every route that calls an upstream service.
var Routes = []Route{
	{Path: "POST /receive-sms", Caller: TwilioCaller, Budget: InboundMessage},
	{Path: "POST /twilio-status", Caller: TwilioCaller, Budget: StatusCallback},
	{Path: "POST /stream-outgoing-sms", Caller: StreamCaller, Budget: ChatReply,
		Steps: []time.Duration{ReplyReadBack, ReplySend, ReplyMark}},
	{Path: "POST /send-reminder", Caller: DashboardCaller, Budget: Reminder,
		Detached: []time.Duration{ReminderLogLookup, ReminderMark}},
}
