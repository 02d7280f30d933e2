package streamclient

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/golang-jwt/jwt/v5"
)

// Stream's error codes for the client side (getstream.io/chat/docs/api_errors_response).
const (
	codeInput         = 4
	codeAuth          = 5
	codeTokenExpired  = 40
	codeNotAllowed    = 17
	codeNotFound      = 16
	codeTokenNotValid = 43
)

// apiError is Stream's error body, on REST answers and in the WebSocket's
// error frame.
type apiError struct {
	Code       int    `json:"code"`
	Message    string `json:"message"`
	StatusCode int    `json:"StatusCode"`
	MoreInfo   string `json:"more_info"`
}

func (e *apiError) Error() string { return e.Message }

func newError(status, code int, msg string) *apiError {
	return &apiError{Code: code, Message: msg, StatusCode: status, MoreInfo: "https://getstream.io/chat/docs/api_errors_response"}
}

// authenticate checks a client's credentials as Stream does: the app's
// api_key, and a user token (HS256, signed with the app secret, not
// expired) whose user_id is the user the client says it is (userID; empty:
// any). It returns the token's user.
func (s *Server) authenticate(apiKey, token, authType, userID string) (string, *apiError) {
	if subtle.ConstantTimeCompare([]byte(apiKey), []byte(s.opts.APIKey)) != 1 {
		return "", newError(http.StatusUnauthorized, codeAuth, "api_key not valid")
	}
	if authType != "jwt" {
		return "", newError(http.StatusUnauthorized, codeAuth, `stream-auth-type must be "jwt"`)
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) {
		return []byte(s.opts.APISecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", newError(http.StatusUnauthorized, codeTokenExpired, "JWTAuth error: token has expired")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "", newError(http.StatusUnauthorized, codeTokenNotValid,
			"JWTAuth error: signature is not valid. Make sure the token is created using the secret for API key \""+s.opts.APIKey+"\"")
	case err != nil:
		return "", newError(http.StatusUnauthorized, codeTokenNotValid, "JWTAuth error: token is not valid")
	}
	sub, _ := claims["user_id"].(string)
	if sub == "" {
		return "", newError(http.StatusUnauthorized, codeTokenNotValid, "JWTAuth error: the token has no user_id")
	}
	if userID != "" && userID != sub {
		return "", newError(http.StatusUnauthorized, codeTokenNotValid, "JWTAuth error: token user_id does not match the user_id parameter")
	}
	return sub, nil
}
