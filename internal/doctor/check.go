package doctor

import (
	"context"
	"net/url"
	"strings"
)

// Status is a check's verdict.
type Status string

// Verdicts. Only StatusFail makes the run fail; a warning is a setting that
// works but costs something (lost retries, a login that creates a user).
const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusInfo Status = "info"
)

// Result is one check's outcome.
type Result struct {
	ID     string `json:"id"` // stable, e.g. "twilio.number.sms_url"
	Status Status `json:"status"`
	Found  string `json:"found"`
	Fix    string `json:"fix"` // what to do: a console path, or what --fix changes
	// Change says what --fix would change; empty when doctor cannot fix it.
	Change string `json:"-"`
	apply  func(context.Context) error
}

func ok(id, found string) Result { return Result{ID: id, Status: StatusOK, Found: found} }

func problem(id string, s Status, found, fix string) Result {
	return Result{ID: id, Status: s, Found: found, Fix: fix}
}

// fixable gives r the change --fix makes and how.
func (r Result) fixable(change string, apply func(context.Context) error) Result {
	r.Change, r.apply = change, apply
	if r.Fix == "" {
		r.Fix = "run `smsbridge doctor --fix` to " + change
	}
	return r
}

// Failed counts the failing results.
func Failed(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Status == StatusFail {
			n++
		}
	}
	return n
}

// Retry fragment the bridge's inbound URL carries: Twilio retries a 5xx up
// to 3 times (docs/contract.md §4.1). Twilio neither sends nor signs it.
const retryFragment = "rc=3&rp=5xx"

// urlIs reports whether got, without its fragment, is want, and whether the
// fragment asks for retries.
func urlIs(got, want string) (same, retries bool) {
	base, frag, _ := strings.Cut(got, "#")
	return strings.TrimSuffix(base, "/") == want, strings.Contains(frag, "rc=")
}

// shown is how a URL found in a console is printed: without its query,
// which may carry tokens of another system.
func shown(raw string) string {
	if raw == "" {
		return "nothing"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "an unparsable URL"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// last2 names a phone number by its last two digits, as logs do.
func last2(phone string) string {
	if len(phone) < 2 {
		return "the number"
	}
	return "the number ending " + phone[len(phone)-2:]
}
