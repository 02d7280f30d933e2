package streamtest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestAClientWithTheWrongSecretIsRefused(t *testing.T) {
	srv, _ := newFake(t)
	c := newClient(t, srv, "not-the-secret")

	_, err := c.GetChannelType(context.Background(), smsType)
	se := streamError(t, err, 401, 5)
	if !strings.Contains(se.Message, "signature is not valid") {
		t.Errorf("message = %q", se.Message)
	}
	if srv.Calls(OpGetChannelType) != 1 {
		t.Errorf("Calls = %d, want the refused call counted", srv.Calls(OpGetChannelType))
	}
}

func TestRequestsWithoutServerCredentialsAreRefused(t *testing.T) {
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"server": true}).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		query  string
		header func(t *testing.T) http.Header
	}{
		{"without api_key", "", nil},
		{"with another app's api_key", "?api_key=other", nil},
		{"without Stream-Auth-Type", "?api_key=" + testKey, func(*testing.T) http.Header {
			return http.Header{"Stream-Auth-Type": {""}}
		}},
		{"with a Bearer token", "?api_key=" + testKey, func(t *testing.T) http.Header {
			return http.Header{"Authorization": {"Bearer " + serverToken(t, testSecret, jwt.MapClaims{"server": true})}}
		}},
		{"with a user token", "?api_key=" + testKey, func(t *testing.T) http.Header {
			return http.Header{"Authorization": {serverToken(t, testSecret, jwt.MapClaims{"user_id": "front_desk"})}}
		}},
		{"with a token signed HS512", "?api_key=" + testKey, func(*testing.T) http.Header {
			return http.Header{"Authorization": {hs512}}
		}},
		{"without a token", "?api_key=" + testKey, func(*testing.T) http.Header {
			return http.Header{"Authorization": {""}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newFake(t)
			srv.AddChannelType(smsType)
			var h http.Header
			if tt.header != nil {
				h = tt.header(t)
			}
			status, body := rawRequest(t, srv, http.MethodGet, "/channeltypes/sms"+tt.query, "", h)
			if status != 401 || body["code"] != 5.0 || body["StatusCode"] != 401.0 || body["more_info"] == "" {
				t.Errorf("answer = %d %v, want 401 code 5", status, body)
			}
		})
	}
}

func TestRequestsWithServerCredentialsAreServed(t *testing.T) {
	srv, _ := newFake(t)
	srv.AddChannelType(smsType)
	if status, body := rawRequest(t, srv, http.MethodGet, "/channeltypes/sms?api_key="+testKey, "", nil); status != 200 {
		t.Errorf("answer = %d %v, want 200", status, body)
	}
}
