package adminapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// loginClaims logs in as front_desk and returns the token's claims, so a
// test can re-sign them changed with the real secret (what someone holding
// the Stream secret, or a leaked old token, could present).
func loginClaims(t *testing.T, v *env) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tokenFromLogin(t, v), claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func TestATokenMustEndWithinTOKENTTLOfItsIssueTime(t *testing.T) {
	v := newEnv(t)
	base := loginClaims(t, v)
	iat := int64(base["iat"].(float64))
	ttl := int64((12 * time.Hour).Seconds())
	with := func(change func(jwt.MapClaims)) string {
		c := jwt.MapClaims{}
		for k, val := range base {
			c[k] = val
		}
		change(c)
		return token(t, jwt.SigningMethodHS256, []byte(secret), c)
	}
	for _, tc := range []struct {
		name  string
		token string
		want  int
	}{
		{"the login token itself is accepted", with(func(jwt.MapClaims) {}), http.StatusOK},
		{"exp at TOKEN_TTL plus one minute of skew is accepted", with(func(c jwt.MapClaims) { c["exp"] = iat + ttl + 60 }), http.StatusOK},
		{"exp one second later is refused", with(func(c jwt.MapClaims) { c["exp"] = iat + ttl + 61 }), http.StatusUnauthorized},
		{"a ten-year exp is refused", with(func(c jwt.MapClaims) { c["exp"] = start.AddDate(10, 0, 0).Unix() }), http.StatusUnauthorized},
		{"a token without iat is refused", with(func(c jwt.MapClaims) { delete(c, "iat") }), http.StatusUnauthorized},
		{"a token issued in the future is refused", with(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = start.Add(time.Hour).Unix(), start.Add(2*time.Hour).Unix()
		}), http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if rec := v.remind(tc.token, reminderBody); rec.Code != tc.want {
				t.Errorf("status = %d %s, want %d", rec.Code, rec.Body, tc.want)
			}
		})
	}
}

func TestChangingAnAdminsPasswordEndsTheirAPITokensAtTheNextStart(t *testing.T) {
	before := newEnv(t)
	tok := tokenFromLogin(t, before)
	// The same configuration after a restart still accepts the token.
	if rec := newEnv(t).remind(tok, reminderBody); rec.Code != http.StatusOK {
		t.Fatalf("same hash after a restart: %d %s", rec.Code, rec.Body)
	}
	// bcrypt of "a-new-password-for-the-desk" at cost 10.
	const newHash = "$2a$10$AqvgDX1rT2Ss8W6A.doMCu0phodN7h.a9fMrl9YfLQ9N9wnZU44A6"
	after := newEnvWith(t, map[string]string{"front_desk": newHash, "dr_lee": adminHash})
	if rec := after.remind(tok, reminderBody); rec.Code != http.StatusUnauthorized {
		t.Errorf("after the password change: %d %s, want 401", rec.Code, rec.Body)
	}
}
