package adminapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const reminderBody = `{"phoneNumber":"(201) 555-0142","messageText":"See you tomorrow at 10"}`

func TestRemindersNeedAValidAdminToken(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	exp := start.Add(time.Hour).Unix()
	hs256 := func(claims jwt.MapClaims) string { return token(t, jwt.SigningMethodHS256, []byte(secret), claims) }
	tests := []struct {
		name, header string
	}{
		{"no Authorization header", ""},
		{"another scheme", "Basic ZnJvbnRfZGVzazpwdw=="},
		{"an empty bearer token", "Bearer "},
		{"garbage", "Bearer not.a.token"},
		{"an expired token", "Bearer " + hs256(jwt.MapClaims{"user_id": "front_desk", "exp": start.Add(-time.Second).Unix()})},
		{"a token without exp", "Bearer " + hs256(jwt.MapClaims{"user_id": "front_desk"})},
		{"a token signed with another key", "Bearer " + token(t, jwt.SigningMethodHS256, []byte("another-secret"), jwt.MapClaims{"user_id": "front_desk", "exp": exp})},
		{"an alg none token", "Bearer " + token(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, jwt.MapClaims{"user_id": "front_desk", "exp": exp})},
		{"an HS512 token with the right key", "Bearer " + token(t, jwt.SigningMethodHS512, []byte(secret), jwt.MapClaims{"user_id": "front_desk", "exp": exp})},
		{"an RS256 token", "Bearer " + token(t, jwt.SigningMethodRS256, rsaKey, jwt.MapClaims{"user_id": "front_desk", "exp": exp})},
		{"a patient's token", "Bearer " + hs256(jwt.MapClaims{"user_id": "12015550142", "exp": exp})},
		{"a server token (no user_id)", "Bearer " + hs256(jwt.MapClaims{"server": true, "exp": exp})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			rec := v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", tc.header)
			if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("got %d %s, want 401 with WWW-Authenticate", rec.Code, rec.Body)
			}
			if len(v.reminders.got) != 0 {
				t.Errorf("a reminder was sent")
			}
		})
	}
}

func TestTheLoginTokenIsTheBearerToken(t *testing.T) {
	v := newEnv(t)
	tok := tokenFromLogin(t, v)
	if rec := v.remind(tok, reminderBody); rec.Code != http.StatusOK {
		t.Errorf("status = %d %s", rec.Code, rec.Body)
	}
	v.now = start.Add(12*time.Hour + time.Second)
	if rec := v.remind(tok, reminderBody); rec.Code != http.StatusUnauthorized {
		t.Errorf("after TOKEN_TTL: %d", rec.Code)
	}
}

func tokenFromLogin(t *testing.T, v *env) string {
	t.Helper()
	rec := v.login("front_desk", password)
	var got loginAnswer
	if err := jsonDecode(rec, &got); err != nil || got.Token == "" {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	return got.Token
}
