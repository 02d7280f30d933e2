package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// replicas is two bridge instances behind one (pretend) load balancer,
// sharing the fakes and, unless started without it, one real redis-server.
type replicas struct {
	*apiHarness
	redis *redistest.Server // nil without REDIS_URL
	opts  []option          // every instance's environment
}

// startReplicas starts redis-server and two instances using it. The
// loopback peer is a trusted proxy, so tests choose the client address
// with X-Forwarded-For as a load balancer would set it.
func startReplicas(t *testing.T) *replicas {
	t.Helper()
	rs := redistest.Start(t)
	opts := []option{withEnv("REDIS_URL", rs.URL()), withEnv("TRUSTED_PROXIES", "127.0.0.1/32"),
		withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash)}
	r := &replicas{apiHarness: startAPI(t, opts...), redis: rs, opts: opts}
	r.startInstance(opts...)
	return r
}

// startAlone is one instance without REDIS_URL: the in-process store.
func startAlone(t *testing.T) *replicas {
	t.Helper()
	return &replicas{apiHarness: startAPI(t, withEnv("TRUSTED_PROXIES", "127.0.0.1/32"))}
}

// base is the instance that serves request i, round robin.
func (r *replicas) base(i int) string { return r.urls[i%len(r.urls)] }

// withPatient lets the patient text first, so their channel exists.
func (r *replicas) withPatient() {
	r.t.Helper()
	assertTwiMLOK(r.t, r.receiveSMS(sms{Sid: twiliotest.NewMessageSid(), From: patient, Body: "Hi, this is the patient"}))
}

// post sends body to base+path with headers and returns status and body.
// It never stops the test, so goroutines may call it.
func postTo(client *http.Client, base, path, contentType string, body []byte, header http.Header) (int, string, http.Header) {
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error(), nil
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error(), nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// deliverAt posts message id's signed message.new webhook to base, as
// Stream's attempt-th delivery, and returns the answer's status.
func (r *replicas) deliverAt(client *http.Client, base, id string, attempt int) int {
	body, ok := r.stream.MessageNewEvent(id)
	if !ok {
		return 0
	}
	status, _, _ := postTo(client, base, "/stream-outgoing-sms", "application/json", body, http.Header{
		"X-Webhook-Id": {"wh-" + id}, "X-Webhook-Attempt": {strconv.Itoa(attempt)},
		"X-Signature": {streamtest.Sign(streamSecret, body)},
	})
	return status
}

// statusAt posts Twilio's signed status callback for chat message mid and
// sid to base, as Twilio does once the SMS moves, and returns the status.
func (r *replicas) statusAt(client *http.Client, base, mid, sid, status string) int {
	form := twiliotest.StatusCallback(twilioSID, sid, status, 0)
	form.Set("To", patient)
	form.Set("From", clinicNumber)
	req, err := twiliotest.NewSignedRequest(twilioToken, publicURL, base, "/twilio-status?mid="+url.QueryEscape(mid), form)
	if err != nil {
		return 0
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// loginFrom tries id and password at base from client address ip.
func (r *replicas) loginFrom(base, id, password, ip string) response {
	r.t.Helper()
	raw := []byte(`{"adminId":"` + id + `","password":"` + password + `"}`)
	status, body, header := postTo(http.DefaultClient, base, "/admin-login", "application/json", raw,
		http.Header{"X-Forwarded-For": {ip}})
	res := response{Status: status, Header: header, Body: body}
	if err := r.spec.Check(http.MethodPost, "/admin-login", status, header, []byte(body)); err != nil {
		r.t.Error(err)
	}
	return res
}

// storeUp reads the smsbridge_coordination_store_up gauge from base.
func storeUp(t *testing.T, base string) string {
	t.Helper()
	return metricOf(t, base, "smsbridge_coordination_store_up")
}

// writeErrors reads smsbridge_coordination_store_write_errors_total from base.
func writeErrors(t *testing.T, base string) string {
	t.Helper()
	return metricOf(t, base, "smsbridge_coordination_store_write_errors_total")
}

// metricOf reads the unlabelled metric name from base's /metrics.
func metricOf(t *testing.T, base, name string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return "(absent)"
}
