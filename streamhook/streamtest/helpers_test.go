package streamtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	stream "github.com/GetStream/stream-chat-go/v6"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/golang-jwt/jwt/v5"
)

const (
	testKey    = "streamtest-key"
	testSecret = "streamtest-secret"
	smsType    = "sms"
	patient    = "12015550123" // +1 201-555-0123, fictional
	admin      = "front_desk"
)

// newFake starts a fake whose violations fail the test, and a real
// stream-chat-go client pointed at it. The client's transport also checks
// every response against the spec, so the fake's own answers are held to
// Stream's wire format.
func newFake(t *testing.T) (*Server, *stream.Client) {
	t.Helper()
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: t.Errorf})
	t.Cleanup(srv.Close)
	return srv, newClient(t, srv, testSecret)
}

func newClient(t *testing.T, srv *Server, secret string) *stream.Client {
	t.Helper()
	c, err := stream.NewClient(testKey, secret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = srv.URL()
	c.HTTP.Transport = &responseValidator{t: t, next: c.HTTP.Transport}
	return c
}

// seedSMS creates the sms channel type, the patient, the admin and the
// patient's channel through the API, as the bridge does on first contact.
func seedSMS(t *testing.T, c *stream.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateChannelType(ctx, stream.NewChannelType(smsType)); err != nil {
		t.Fatalf("create channel type: %v", err)
	}
	_, err := c.UpsertUsers(ctx,
		&stream.User{ID: patient, Role: "user", Name: "+1 201-555-0123"},
		&stream.User{ID: admin, Role: "admin", Name: "Front desk"})
	if err != nil {
		t.Fatalf("upsert users: %v", err)
	}
	_, err = c.CreateChannel(ctx, smsType, patient, admin, &stream.ChannelRequest{
		Members:   []string{patient, admin},
		ExtraData: map[string]any{"sms_phone": "+12015550123", "sms_opted_out": false},
	})
	if err != nil {
		t.Fatalf("create channel: %v", err)
	}
}

// streamError asserts err is a stream.Error with the given status and code.
func streamError(t *testing.T, err error, status, code int) stream.Error {
	t.Helper()
	var se stream.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want a stream.Error", err, err)
	}
	if se.StatusCode != status || se.Code != code {
		t.Fatalf("error = %d code %d %q, want %d code %d", se.StatusCode, se.Code, se.Message, status, code)
	}
	return se
}

// responseValidator validates every response of the fake against the
// operation's response schema in the spec, after folding the v1 custom
// fields into "custom" (see normalise.go). Error statuses the spec does not
// list for an operation are checked against the APIError schema.
type responseValidator struct {
	t    *testing.T
	next http.RoundTripper
}

func (v *responseValidator) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	if verr := validateResponse(req, resp, body); verr != nil {
		v.t.Errorf("response to %s %s does not match the spec: %v\n%s", req.Method, req.URL.Path, verr, body)
	}
	return resp, nil
}

func validateResponse(req *http.Request, resp *http.Response, body []byte) error {
	sp := mustSpec()
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return checkAgainst(sp.schemas("APIError")[0], body)
	}
	ref := route.Operation.Responses.Status(resp.StatusCode)
	if ref == nil {
		if resp.StatusCode < 400 {
			return errors.New("status not declared for the operation")
		}
		return checkAgainst(sp.schemas("APIError")[0], body)
	}
	schema := ref.Value.Content.Get("application/json").Schema.Value
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	normalised, _ := json.Marshal(foldCustom(doc, schema))
	return openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(normalised)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}},
	})
}

func checkAgainst(schema *openapi3.Schema, body []byte) error {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return err
	}
	return schema.VisitJSON(doc, openapi3.MultiErrors())
}

// failRecorder stands in for t.Errorf where a test expects the fake to
// report a problem.
type failRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (f *failRecorder) Fail(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func (f *failRecorder) messages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.msgs...)
}

// serverToken is the token stream-chat-go's NewClient makes.
func serverToken(t *testing.T, secret string, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// rawRequest sends a request as stream-chat-go would, but with a body and
// headers of the test's choosing, and decodes the answer.
func rawRequest(t *testing.T, srv *Server, method, path, body string, header http.Header) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stream-Auth-Type", "jwt")
	req.Header.Set("Authorization", serverToken(t, testSecret, jwt.MapClaims{"server": true}))
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: undecodable answer: %v", method, path, err)
	}
	return resp.StatusCode, out
}
