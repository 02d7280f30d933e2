package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/web"
)

// planHeader tells the relay which upstream calls to make, in order
// ("stream,twilio"), so that each scenario compares the bridge with a relay
// making the same number of calls to the same fakes.
const planHeader = "X-Smsbench-Upstream"

// relay is the least work any bridge must do: read the webhook, make the
// upstream calls with pooled connections, answer 200. It checks no
// signature, parses nothing, logs nothing and counts nothing, so its
// throughput is the ceiling that the fakes and this machine allow.
type relay struct {
	client      *http.Client
	streamURL   string // POST send-message, with api_key
	streamToken string // server-side JWT
	channel     string
	twilioURL   string
	twilioSID   string
	twilioToken string
	twilioForm  string
	seq         atomic.Uint64
}

// serveRelay serves the relay on ln until ctx ends. It reads the same
// configuration as the bridge, from the same environment.
func serveRelay(ctx context.Context, ln net.Listener) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"server": true}).
		SignedString([]byte(cfg.StreamAPISecret))
	if err != nil {
		return err
	}
	ch := os.Getenv(relayChanEnv)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 128 // as app.newTransport
	r := &relay{
		client:      &http.Client{Timeout: 5 * time.Second, Transport: t},
		streamURL:   cfg.StreamBaseURL + "/channels/" + cfg.SMSChannelType + "/" + ch + "/message?api_key=" + url.QueryEscape(cfg.StreamAPIKey),
		streamToken: token,
		channel:     ch,
		twilioURL:   cfg.TwilioAPIBaseURL + "/2010-04-01/Accounts/" + cfg.TwilioAccountSID + "/Messages.json",
		twilioSID:   cfg.TwilioAccountSID,
		twilioToken: string(cfg.TwilioAuthToken),
		twilioForm: url.Values{"To": {"+" + ch}, "From": {cfg.TwilioFromNumber},
			"Body": {replyText}}.Encode(),
	}
	srv := web.NewServer(ln.Addr().String(), r)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	drain, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(drain)
}

func (r *relay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	plan := req.Header.Get(planHeader)
	for step := range strings.SplitSeq(plan, ",") {
		var err error
		switch step {
		case "stream":
			err = r.postStream(req.Context())
		case "twilio":
			err = r.postTwilio(req.Context())
		case "": // no plan: a probe
		default:
			err = fmt.Errorf("unknown upstream %q", step)
		}
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// postStream sends one chat message, with a fresh id, as the patient.
func (r *relay) postStream(ctx context.Context) error {
	body := make([]byte, 0, 128)
	body = append(body, `{"message":{"id":"relay-`...)
	body = strconv.AppendUint(body, r.seq.Add(1), 10)
	body = append(body, `","text":"`+inboundText+`","user_id":"`...)
	body = append(body, r.channel...)
	body = append(body, `"}}`...)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.streamURL, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stream-Auth-Type", "jwt")
	req.Header.Set("Authorization", r.streamToken)
	return r.do(req)
}

// postTwilio creates one SMS.
func (r *relay) postTwilio(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.twilioURL, strings.NewReader(r.twilioForm))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(r.twilioSID, r.twilioToken)
	return r.do(req)
}

func (r *relay) do(req *http.Request) error {
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return errors.New(resp.Status)
	}
	return nil
}
