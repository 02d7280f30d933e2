package adminapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/bridge"
)

type loginAnswer struct {
	AdminName, Token, StreamAPIKey, ExpiresAt string
}

func TestLoginReturnsAStreamTokenForTheNormalisedID(t *testing.T) {
	v := newEnv(t)
	rec := v.login("Front Desk", password)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d %s", rec.Code, rec.Body)
	}
	var got loginAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	exp := start.Add(12 * time.Hour)
	if got.AdminName != "front_desk" || got.StreamAPIKey != "test-key" || got.ExpiresAt != exp.Format(time.RFC3339) {
		t.Errorf("answer = %+v", got)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(got.Token, claims, func(*jwt.Token) (any, error) { return []byte(secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return start }))
	if err != nil || claims["user_id"] != "front_desk" || claims["exp"] != float64(exp.Unix()) {
		t.Errorf("token claims = %v, %v", claims, err)
	}
	if !slices.Equal(v.users.upserts, []string{"front_desk"}) {
		t.Errorf("upserts = %v, want one of front_desk", v.users.upserts)
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers = %v", rec.Header())
	}
}

func TestWrongPasswordAndUnknownIDGetTheSameAnswer(t *testing.T) {
	v := newEnv(t)
	wrong := v.login("front_desk", "not-the-password")
	unknown := v.login("nobody", password)
	if wrong.Code != http.StatusUnauthorized || unknown.Code != wrong.Code || unknown.Body.String() != wrong.Body.String() {
		t.Errorf("wrong password: %d %s; unknown id: %d %s", wrong.Code, wrong.Body, unknown.Code, unknown.Body)
	}
	if len(v.users.upserts) != 0 {
		t.Errorf("failed logins touched Stream: %v", v.users.upserts)
	}
}

func TestTheSixthFailureForOneIDIsRateLimitedFor15Minutes(t *testing.T) {
	v := newEnv(t)
	for i := range 5 {
		if rec := v.login("front_desk", "guess-"+strconv.Itoa(i)); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	v.now = v.now.Add(5 * time.Minute)
	rec := v.login("Front Desk", password) // even the right password, under another spelling
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "600" {
		t.Fatalf("6th attempt: %d Retry-After=%q, want 429 600", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := v.login("dr_lee", password); rec.Code != http.StatusOK {
		t.Errorf("another id from the same client: %d", rec.Code)
	}
	v.now = start.Add(15 * time.Minute)
	if rec := v.login("front_desk", password); rec.Code != http.StatusOK {
		t.Errorf("after the window: %d", rec.Code)
	}
}

func TestASuccessfulLoginClearsTheIDsFailures(t *testing.T) {
	v := newEnv(t)
	for range 4 {
		v.login("front_desk", "guess")
	}
	if rec := v.login("front_desk", password); rec.Code != http.StatusOK {
		t.Fatalf("login: %d", rec.Code)
	}
	for i := range 5 {
		if rec := v.login("front_desk", "guess"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d after a success: %d", i+1, rec.Code)
		}
	}
}

func TestTheTwentyFirstFailureFromOneClientIsRateLimitedWhateverItSends(t *testing.T) {
	v := newEnv(t)
	for i := range 20 {
		// X-Forwarded-For from an untrusted peer must not make a new client.
		rec := v.login("user"+strconv.Itoa(i), "guess", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	rec := v.login("front_desk", password, "X-Forwarded-For", "198.51.100.99")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("21st attempt: %d Retry-After=%q, want 429", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestMalformedLoginsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, wantCode string
		wantStatus                        int
	}{
		{"a body that is not JSON", "application/json", `adminId=front_desk`, "bad_json", 400},
		{"a form instead of JSON is 415", "application/x-www-form-urlencoded", `adminId=front_desk&password=x`, "unsupported_media_type", 415},
		{"text/plain (a cross-site form) is 415", "text/plain", `{"adminId":"a","password":"b"}`, "unsupported_media_type", 415},
		{"two JSON objects", "application/json", `{"adminId":"a","password":"b"}{}`, "bad_json", 400},
		{"a JSON array", "application/json", `[]`, "bad_json", 400},
		{"no password (the tutorial's dashboard before the change)", "application/json", `{"adminId":"front_desk"}`, "missing_fields", 400},
		{"an id of only spaces", "application/json", `{"adminId":"   ","password":"x"}`, "missing_fields", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			rec := v.do(http.MethodPost, "/admin-login", tc.body, "Content-Type", tc.contentType)
			var body struct{ Code string }
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != tc.wantStatus || body.Code != tc.wantCode {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestStreamFailingAtLoginIsReportedWithItsKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"an outage is 503", fmt.Errorf("stream upsert_users: %w", bridge.ErrUnavailable), http.StatusServiceUnavailable},
		{"a refusal is 502", fmt.Errorf("stream upsert_users: %w", bridge.ErrUpstream), http.StatusBadGateway},
		{"anything else is 500", errors.New("boom"), http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			v.users.err = tc.err
			if rec := v.login("front_desk", password); rec.Code != tc.want {
				t.Errorf("status = %d, want %d", rec.Code, tc.want)
			}
		})
	}
}

func TestOnlyTheSandboxsLoginAnswerNamesAStreamBaseURL(t *testing.T) {
	v := newEnv(t)
	var got map[string]any
	if rec := v.login("front_desk", password); jsonDecode(rec, &got) != nil || got["token"] == nil {
		t.Fatalf("login = %d %s", rec.Code, rec.Body)
	}
	if _, ok := got["streamBaseUrl"]; ok {
		t.Errorf("serve's login answer carries streamBaseUrl: %v", got)
	}
	v.api.AdvertiseStreamBaseURL("http://127.0.0.1:41234")
	rec := v.login("front_desk", password)
	v.check(http.MethodPost, "/admin-login", rec)
	if jsonDecode(rec, &got) != nil || got["streamBaseUrl"] != "http://127.0.0.1:41234" {
		t.Errorf("sandbox login = %s", rec.Body)
	}
}
