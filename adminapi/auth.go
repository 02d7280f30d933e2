package adminapi

import (
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/smsbridge/smsbridge/bridge"
)

// adminKey is where RequireAdmin leaves the caller's admin id in the echo
// context.
const adminKey = "adminapi.admin"

var (
	errNoToken = bridge.Errorf(bridge.ErrUnauthenticated, "missing_token",
		"Send the token from /admin-login as Authorization: Bearer <token>.")
	errBadToken = bridge.Errorf(bridge.ErrUnauthenticated, "invalid_token",
		"The token is not valid or has expired; log in again.")
)

// RequireAdmin lets a request through only with a valid bearer token
// (docs/contract.md §4.5): HS256 and nothing else, signed with the Stream
// secret, iat, an exp claim that has not passed and is at most TOKEN_TTL
// after iat, a user_id that is an ADMIN_USERS id now (removing an admin from
// the configuration locks them out of the API at the next start), and a pwh
// claim that matches the admin's current hash (changing the password ends
// the admin's API tokens at the next start). The token is Stream's user token, so
// the dashboard needs only the one it already has.
func (a *API) RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := a.authenticate(c.Request().Header.Get(echo.HeaderAuthorization))
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="smsbridge"`)
			return err
		}
		c.Set(adminKey, id)
		return next(c)
	}
}

func (a *API) authenticate(header string) (string, error) {
	scheme, raw, _ := strings.Cut(header, " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return "", errNoToken
	}
	var claims tokenClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return a.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(a.now),
	)
	if err != nil || !a.tokenValid(&claims) {
		return "", errBadToken
	}
	return claims.UserID, nil
}

// adminID is the id RequireAdmin authenticated.
func adminID(c echo.Context) string {
	id, _ := c.Get(adminKey).(string)
	return id
}
