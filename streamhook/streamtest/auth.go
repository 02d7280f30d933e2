package streamtest

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/golang-jwt/jwt/v5"
)

// authenticate checks a request the way Stream checks server-side calls:
// the api_key query parameter, "Stream-Auth-Type: jwt" and a raw JWT (no
// "Bearer") in Authorization, signed HS256 with the app secret and carrying
// "server": true, which is what stream-chat-go's NewClient produces.
//
// Stream answers every authentication problem with 401; the fake uses code 5
// for all of them. The signature message is the one Stream sends.
func (s *Server) authenticate(r *http.Request) *apiError {
	key := r.URL.Query().Get("api_key")
	if key == "" {
		return authError("api_key is missing from the query string")
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.opts.APIKey)) != 1 {
		return authError("api_key not valid")
	}
	if got := r.Header.Get("Stream-Auth-Type"); got != "jwt" {
		return authError("Stream-Auth-Type header must be \"jwt\" for server-side requests, got %q", got)
	}
	raw := r.Header.Get("Authorization")
	if raw == "" {
		return authError("JWTAuth error: Authorization header is missing")
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) {
		return []byte(s.opts.APISecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return authError("JWTAuth error: signature is not valid. Make sure the token is created using the secret for API key %q", s.opts.APIKey)
	case err != nil:
		return authError("JWTAuth error: %v", err)
	}
	if server, _ := claims["server"].(bool); !server {
		return authError("JWTAuth error: token is not a server-side token (claim \"server\": true is missing)")
	}
	return nil
}
