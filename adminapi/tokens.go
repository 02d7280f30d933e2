package adminapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// tokenSkew is how far the clocks of a replica and of Stream may disagree.
// A token's iat is set this far in the past, because Stream refuses tokens
// "issued in the future"; for the same reason a token may run this much
// longer than TOKEN_TTL after its iat.
const tokenSkew = time.Minute

// tokenClaims are the claims of a login token: a Stream user token (user_id,
// iat, exp) with one claim of smsbridge's own, pwh, which Stream ignores.
type tokenClaims struct {
	UserID string `json:"user_id"`
	// PasswordTag is passwordTag of the admin's hash when the token was
	// issued: a changed or removed hash ends the admin's API tokens.
	PasswordTag string `json:"pwh"`
	jwt.RegisteredClaims
}

// passwordTag ties a token to one ADMIN_USERS hash without revealing it: the
// first 12 bytes of an HMAC of the hash keyed by the Stream secret, which
// only the bridge (and Stream) hold.
func passwordTag(secret []byte, hash string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("smsbridge admin password tag\x00"))
	mac.Write([]byte(hash))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:12])
}

// issueToken signs id's login token, valid until expires.
func (a *API) issueToken(id string, now, expires time.Time) (string, error) {
	claims := tokenClaims{
		UserID:      id,
		PasswordTag: a.creds.tag(id),
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now.Add(-tokenSkew)),
			ExpiresAt: jwt.NewNumericDate(expires),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(a.secret)
}

// tokenValid applies the rules a signature check does not: iat is required
// and the token lives at most TOKEN_TTL (plus skew) after it, the user is an
// admin now, and the admin's hash is the one the token was issued for.
func (a *API) tokenValid(c *tokenClaims) bool {
	if c.IssuedAt == nil || c.ExpiresAt == nil || !a.creds.isAdmin(c.UserID) {
		return false
	}
	if c.ExpiresAt.Sub(c.IssuedAt.Time) > a.ttl+tokenSkew {
		return false
	}
	want := a.creds.tag(c.UserID)
	return subtle.ConstantTimeCompare([]byte(c.PasswordTag), []byte(want)) == 1
}
