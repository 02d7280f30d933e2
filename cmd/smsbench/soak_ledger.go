package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// soakReport is the ledger and the resource table.
type soakReport struct {
	lines    []ledgerLine
	samples  []sample
	slopes   []ledgerLine
	examples []string // what failed, to look up in the replicas' logs
}

type ledgerLine struct {
	name, measured string
	met            bool
}

func (r *soakReport) ok() bool {
	for _, l := range append(slices.Clone(r.lines), r.slopes...) {
		if !l.met {
			return false
		}
	}
	return len(r.lines) > 0
}

func (r *soakReport) write(w io.Writer) {
	fmt.Fprintln(w, "### Ledger")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| line | measured | |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, l := range append(slices.Clone(r.lines), r.slopes...) {
		mark := "met"
		if !l.met {
			mark = "**failed**"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", l.name, l.measured, mark)
	}
	for i, e := range r.examples {
		if i == 20 {
			fmt.Fprintf(w, "\n... and %d more", len(r.examples)-20)
			break
		}
		fmt.Fprintf(w, "\n- %s", e)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "### Resources (every 10 s; both replicas summed)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| at | RSS | goroutines | open fds | Redis keys |")
	fmt.Fprintln(w, "|--:|--:|--:|--:|--:|")
	for i, s := range r.samples {
		if len(r.samples) > 24 && i%(len(r.samples)/12) != 0 && i != len(r.samples)-1 {
			continue // a long run prints about a dozen rows
		}
		fmt.Fprintf(w, "| %v | %s | %.0f | %.0f | %.0f |\n", s.at.Round(time.Second), size(s.rss), s.goroutines, s.fds, s.keys)
	}
}

// ledger waits for the statuses to settle, then checks every line.
func (s *soak) ledger(ctx context.Context, l *loadState, samples []sample, windows []window, start time.Time) *soakReport {
	settle(ctx, s, 90*time.Second)
	r := &soakReport{samples: samples}
	add := func(name, measured string, met bool) { r.lines = append(r.lines, ledgerLine{name, measured, met}) }
	for _, err := range s.errs {
		add("harness", err.Error(), false)
	}
	// Every inbound text stored exactly once.
	stored, missing, dup := 0, 0, 0
	for i, sid := range l.inbound {
		m, ok := s.stream.Message("sms-" + sid)
		if !ok {
			missing++
			r.examples = append(r.examples, fmt.Sprintf("inbound %s missing (webhook answered 2xx: %v)", sid, l.inboundOK[i]))
			continue
		}
		stored++
		n := 0
		for _, o := range s.stream.Messages(m.ChannelType, m.ChannelID) {
			if o.Custom["sms_sid"] == sid {
				n++
			}
		}
		if n > 1 {
			dup++
		}
	}
	add("every inbound text stored exactly once", fmt.Sprintf("%d texts: %d stored, %d missing, %d twice", len(l.inbound), stored, missing, dup),
		missing == 0 && dup == 0 && len(l.inbound) > 0)
	// Every reply and reminder sent once, or marked failed with a reason.
	byText := map[string]int{}
	for _, m := range s.twilio.Messages() {
		byText[m.Body]++
	}
	once, failed, silent, twice := 0, 0, 0, 0
	var examples []string
	for _, it := range l.items {
		switch n := byText[it.text]; {
		case n == 1:
			once++
		case n > 1:
			twice++
			examples = append(examples, fmt.Sprintf("%s %s sent %d times (last answer %d)", it.kind, it.id, n, it.answered))
		case it.kind == "reply" && failedWithReason(s, it.id):
			failed++
		case it.kind == "reminder" && it.answered > 0 && it.answered < 500 && it.answered != http.StatusOK:
			failed++ // refused with a reason (an opted-out number), nothing sent
		default:
			silent++
			examples = append(examples, fmt.Sprintf("%s %s missing (last answer %d)", it.kind, it.id, it.answered))
		}
	}
	r.examples = append(r.examples, examples...)
	add("every reply and reminder sent as SMS exactly once, or marked failed with a reason",
		fmt.Sprintf("%d: %d sent once, %d failed with a reason, %d twice, %d silently missing", len(l.items), once, failed, twice, silent),
		twice == 0 && silent == 0 && once > 0)
	// Every message's final sms_status is Twilio's last status.
	checked, wrong := 0, 0
	for _, m := range s.twilio.Messages() {
		mid := midOf(m.StatusCallback)
		if mid == "" || m.ScheduleType != "" {
			continue
		}
		checked++
		if cm, ok := s.stream.Message(mid); !ok || cm.Custom["sms_status"] != m.Status {
			wrong++
			r.examples = append(r.examples, fmt.Sprintf("%s (%s) ends %v, Twilio says %s", mid, m.Sid, cm.Custom["sms_status"], m.Status))
		}
	}
	add("every message's final sms_status is the last status Twilio reported (no status lost, none backwards)",
		fmt.Sprintf("%d messages, %d differ", checked, wrong), wrong == 0 && checked > 0)
	// 5xx only inside fault windows; each redelivered to success.
	outside := 0
	for _, f := range l.answers.fivexx {
		if !slices.ContainsFunc(windows, func(w window) bool { return !f.at.Before(w.from) && !f.at.After(w.to) }) {
			outside++
			r.examples = append(r.examples, fmt.Sprintf("%s answered %d at %v, outside every fault window", f.route, f.status, f.at.Sub(start).Round(100*time.Millisecond)))
		}
	}
	notOK := 0
	for _, ok := range l.inboundOK {
		if !ok {
			notOK++
		}
	}
	add("5xx answers only inside fault windows", fmt.Sprintf("%d 5xx or no answer, %d outside %d windows", len(l.answers.fivexx), outside, len(windows)), outside == 0)
	add("every inbound text's webhook finally answered 2xx (Twilio's redeliveries)", fmt.Sprintf("%d of %d not", notOK, len(l.inboundOK)), notOK == 0)
	routeLatencies(l, add)
	r.slopes = slopes(samples)
	return r
}

func failedWithReason(s *soak, id string) bool {
	m, ok := s.stream.Message(id)
	return ok && m.Custom["sms_status"] == "failed" && m.Custom["sms_error"] != nil && m.Custom["sms_error"] != ""
}

// midOf is the mid parameter of a StatusCallback URL.
func midOf(u string) string {
	_, q, ok := strings.Cut(strings.SplitN(u, "#", 2)[0], "mid=")
	if !ok {
		return ""
	}
	q, _, _ = strings.Cut(q, "&")
	return q
}

// settle waits until every sent message's last status is on its chat
// message, or until max.
func settle(ctx context.Context, s *soak, max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(2 * time.Second)
		done := true
		for _, m := range s.twilio.Messages() {
			if mid := midOf(m.StatusCallback); mid != "" && m.ScheduleType == "" {
				if m.Status != "delivered" && m.Status != "undelivered" && m.Status != "failed" {
					done = false
					break
				}
				if cm, ok := s.stream.Message(mid); !ok || cm.Custom["sms_status"] != m.Status {
					done = false
					break
				}
			}
		}
		if done {
			return
		}
	}
}

// routeDeadlines are the callers' budgets (internal/deadlines' table).
var routeDeadlines = map[string]time.Duration{
	"POST /stream-outgoing-sms": 6 * time.Second, "POST /send-reminder": 10 * time.Second,
	"POST /twilio-status": 15 * time.Second,
}

func routeLatencies(l *loadState, add func(string, string, bool)) {
	for _, route := range []string{"POST /stream-outgoing-sms", "POST /send-reminder", "POST /twilio-status"} {
		ds := slices.Clone(l.answers.latency[route])
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		p50, p99 := ds[len(ds)/2], ds[len(ds)*99/100]
		add(fmt.Sprintf("%s p50 / p99 within %v", route, routeDeadlines[route]),
			fmt.Sprintf("%s / %s (%d answers)", p50.Round(time.Millisecond), p99.Round(time.Millisecond), len(ds)), p99 < routeDeadlines[route])
	}
}

// redisKeys counts the keys in the soak's Redis (0 while it is down).
func redisKeys(ctx context.Context, url string) float64 {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return 0
	}
	c := redis.NewClient(opts)
	defer c.Close()
	n, _ := c.DBSize(ctx).Result()
	return float64(n)
}
