package twiliotest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

const (
	testAccount = "AC0123456789abcdef0123456789abcdef"
	testToken   = "0123456789abcdef0123456789abcdef"
	testService = "MG0123456789abcdef0123456789abcdef"
	clinic      = "+12015550100" // the clinic's Twilio number
	patient     = "+12015550123"
)

// newFake starts a fake whose spec violations fail the test.
func newFake(t *testing.T) *twiliotest.Server {
	t.Helper()
	s := twiliotest.NewServer(twiliotest.Options{AccountSID: testAccount, AuthToken: testToken, Fail: t.Errorf})
	t.Cleanup(s.Close)
	return s
}

// recorder collects what the fake reports, for tests that expect violations.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recorder) reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// newRecordingFake starts a fake whose reports go to a recorder instead of the test.
func newRecordingFake(t *testing.T) (*twiliotest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	s := twiliotest.NewServer(twiliotest.Options{AccountSID: testAccount, AuthToken: testToken, Fail: rec.Fail})
	t.Cleanup(s.Close)
	return s, rec
}

// toFake sends what twilio-go addresses to api.twilio.com (and messaging.twilio.com) to the
// fake instead.
type toFake struct{ target *url.URL }

func (rt toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "api.twilio.com" && r.URL.Host != "messaging.twilio.com" {
		return nil, fmt.Errorf("unexpected request to %s", r.URL.Host)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = rt.target.Scheme, rt.target.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// newAPI is the real twilio-go API client, pointed at the fake, authenticating with token.
func newAPI(t *testing.T, s *twiliotest.Server, token string) *openapi.ApiService {
	return openapi.NewApiServiceWithClient(newClient(t, s, token))
}

// newClient is twilio-go's client, pointed at the fake, authenticating with token.
func newClient(t *testing.T, s *twiliotest.Server, token string) *client.Client {
	t.Helper()
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := &client.Client{
		Credentials: client.NewCredentials(testAccount, token),
		HTTPClient:  &http.Client{Transport: toFake{u}, Timeout: 5 * time.Second},
	}
	c.SetAccountSid(testAccount)
	return c
}

// restError unwraps the *client.TwilioRestError twilio-go returns for an error answer.
func restError(t *testing.T, err error) *client.TwilioRestError {
	t.Helper()
	var re *client.TwilioRestError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v (%T), want a *client.TwilioRestError", err, err)
	}
	return re
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
