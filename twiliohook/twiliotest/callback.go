package twiliotest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Twilio's webhook connection defaults ("Webhook connection overrides"):
// one retry (rc=1), on connection failures only (rp=ct), at most 5 retries,
// and 15 s to answer, which is also the most all attempts may take (tt).
const (
	defaultRetries = 1
	maxRetries     = 5
	webhookTimeout = 15 * time.Second
	retryWait      = 100 * time.Millisecond
)

// overrides are the connection overrides of a webhook URL's fragment.
type overrides struct {
	retries int
	policy  map[string]bool // "4xx", "5xx", "ct", "rt", "all"
	total   time.Duration   // tt: all attempts, retries included
}

// splitOverrides returns the URL Twilio requests (no fragment) and the
// overrides its fragment sets, with Twilio's defaults for the rest.
func splitOverrides(raw string) (string, overrides) {
	target, fragment, _ := strings.Cut(raw, "#")
	o := overrides{retries: defaultRetries, policy: map[string]bool{"ct": true}, total: webhookTimeout}
	f, _ := url.ParseQuery(fragment)
	if ms, err := strconv.Atoi(f.Get("tt")); err == nil {
		o.total = min(max(time.Duration(ms)*time.Millisecond, 100*time.Millisecond), webhookTimeout)
	}
	if n, err := strconv.Atoi(f.Get("rc")); err == nil {
		o.retries = min(max(n, 0), maxRetries)
	}
	if rp := f.Get("rp"); rp != "" {
		o.policy = map[string]bool{}
		for _, p := range strings.Split(rp, ",") {
			o.policy[strings.TrimSpace(p)] = true
		}
	}
	return target, o
}

// retry reports whether an attempt that ended with status or err is tried
// again under the policy: "ct" covers failures to connect, "rt" answers
// that did not come in time.
func (o overrides) retry(status int, err error) bool {
	if o.policy["all"] {
		return err != nil || status >= 400
	}
	var ne net.Error
	switch {
	case err != nil && errors.As(err, &ne) && ne.Timeout():
		return o.policy["rt"]
	case err != nil:
		return o.policy["ct"]
	case status >= 500:
		return o.policy["5xx"]
	case status >= 400:
		return o.policy["4xx"]
	}
	return false
}

// post sends form to rawURL as Twilio sends a webhook: a signed
// form POST (NewSignedRequest), retried as the URL's overrides say, all
// attempts within the total time (tt, 15 s by default).
func (n *Network) post(ctx context.Context, rawURL string, form url.Values) WebhookResult {
	target, o := splitOverrides(rawURL)
	ctx, cancel := context.WithTimeout(ctx, o.total)
	defer cancel()
	u, err := url.Parse(target)
	if err != nil {
		return WebhookResult{Err: err}
	}
	base := u.Scheme + "://" + u.Host
	var res WebhookResult
	for res.Attempts <= o.retries {
		res.Attempts++
		res.HTTP, res.Err = n.postOnce(ctx, base, u.RequestURI(), form)
		if !o.retry(res.HTTP, res.Err) || res.Attempts > o.retries {
			break
		}
		select {
		case <-time.After(retryWait):
		case <-ctx.Done():
			return res
		}
	}
	return res
}

func (n *Network) postOnce(ctx context.Context, base, pathAndQuery string, form url.Values) (int, error) {
	req, err := NewSignedRequest(n.srv.opts.AuthToken, base, base, pathAndQuery, form)
	if err != nil {
		return 0, err
	}
	resp, err := n.opts.Client.Do(req.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
