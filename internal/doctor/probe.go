package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/smsbridge/smsbridge/internal/netcause"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Check ids of the round trips (--probe).
const (
	IDProbeTwilio = "probe.twilio_status"
	IDProbeStream = "probe.stream_webhook"
)

// probeMessageSid is the made-up message a probe's status callback is
// about. Without a chat message id (mid) the bridge ignores it: nothing is
// stored or sent.
const probeMessageSid = "SM00000000000000000000000000000000"

// probeTwilio posts a Twilio-signed status callback to PUBLIC_URL/twilio-status,
// signed over the URL it is sent to, as Twilio signs the callback URL the
// bridge gives it.
func (d *Doctor) probeTwilio(ctx context.Context) Result {
	target := d.Settings.PublicURL + "/twilio-status"
	form := url.Values{"AccountSid": {d.Probe.AccountSID}, "MessageSid": {probeMessageSid},
		"SmsSid": {probeMessageSid}, "MessageStatus": {"sent"}, "SmsStatus": {"sent"}, "ApiVersion": {"2010-04-01"}}
	body := form.Encode()
	status, err := d.post(ctx, target, "application/x-www-form-urlencoded", []byte(body),
		map[string]string{"X-Twilio-Signature": d.Probe.SignTwilio(target, form), "User-Agent": "TwilioProxy/1.1"})
	return probeResult(IDProbeTwilio, "a Twilio-signed status callback to "+target, status, err,
		"the bridge checks Twilio's signature against PUBLIC_URL plus the path and query it receives: PUBLIC_URL must be the exact "+
			"https address Twilio calls, and a proxy in front must pass the path, query and X-Twilio-Signature through unchanged "+
			"(and TWILIO_AUTH_TOKEN must be this account's)")
}

// probeStream posts a Stream-signed event that is not a new message to
// PUBLIC_URL/stream-outgoing-sms; the bridge answers it 200 and does nothing.
func (d *Doctor) probeStream(ctx context.Context) Result {
	target := d.outboundURL()
	body := []byte(`{"type":"user.updated","user":{"id":"smsbridge-doctor"},"created_at":"2020-01-01T00:00:00Z"}`)
	status, err := d.post(ctx, target, "application/json", body,
		map[string]string{"X-Signature": d.Probe.SignStream(body), "X-Webhook-Id": "smsbridge-doctor-probe", "X-Webhook-Attempt": "1"})
	return probeResult(IDProbeStream, "a Stream-signed event to "+target, status, err,
		"Stream signs the body: a proxy in front must pass the body (uncompressed or with its Content-Encoding) and "+
			"X-Signature through unchanged (and STREAM_API_SECRET must be this app's)")
}

func (d *Doctor) post(ctx context.Context, target, contentType string, body []byte, headers map[string]string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, deadlines.DoctorProbe)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := d.Probe.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

func probeResult(id, what string, status int, err error, signatureHint string) Result {
	switch {
	case err != nil:
		return problem(id, StatusFail, what+" did not get through: "+errorKind(err),
			"check that PUBLIC_URL is reachable from here, as Twilio and Stream reach it")
	case status == http.StatusOK:
		return ok(id, what+" was answered 200")
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return problem(id, StatusFail, fmt.Sprintf("%s was answered %d: the bridge refused the signature", what, status), signatureHint)
	}
	return problem(id, StatusFail, fmt.Sprintf("%s was answered %d, not 200", what, status),
		"check that PUBLIC_URL leads to this bridge and that the proxy forwards POSTs to it")
}

// errorKind is an error as the output may show it: adapters return errors
// that name no number or secret; a URL error is cut to its cause.
func errorKind(err error) string {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return netcause.Describe(err)
	}
	return err.Error()
}
