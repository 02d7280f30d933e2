package adminapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
)

type loginRequest struct {
	AdminID  string `json:"adminId"`
	Password string `json:"password"`
}

// loginResponse carries the fields the tutorial's dashboard reads (it
// connects to Stream as adminName with token and streamApiKey) and when the
// token expires.
type loginResponse struct {
	AdminName    string `json:"adminName"`
	Token        string `json:"token"`
	StreamAPIKey string `json:"streamApiKey"`
	ExpiresAt    string `json:"expiresAt"`
	// Locations are the locations the admin works at (docs/locations.md).
	Locations []locationAnswer `json:"locations"`
	// StreamBaseURL is only in the sandbox's answers: where its simulated
	// Stream client API is.
	StreamBaseURL string `json:"streamBaseUrl,omitempty"`
}

// errLogin is the one answer for an unknown id and a wrong password.
var errLogin = bridge.Errorf(bridge.ErrUnauthenticated, "invalid_credentials", "The admin id or password is wrong.")

// errBusy answers a login that found every bcrypt slot taken.
var errBusy = &bridge.Error{Kind: bridge.ErrUnavailable, Code: "busy",
	Message: "Too many logins at once; try again in a moment.", RetryAfter: time.Second}

// verify checks the password in one of the bcrypt slots, waiting for one at
// most deadlines.BcryptWait.
func (a *API) verify(ctx context.Context, id, password string) (bool, error) {
	wait := time.NewTimer(deadlines.BcryptWait)
	defer wait.Stop()
	select {
	case a.bcrypt <- struct{}{}:
		defer func() { <-a.bcrypt }()
		return a.creds.verify(id, password), nil
	case <-wait.C:
		return false, errBusy
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// Login handles POST /admin-login (docs/contract.md §4.4).
func (a *API) Login(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	id := bridge.NormalizeAdminID(req.AdminID)
	if id == "" || req.Password == "" {
		return bridge.Errorf(bridge.ErrInvalid, "missing_fields", "Send adminId and password.")
	}
	ctx := c.Request().Context()
	log := zerolog.Ctx(ctx)
	client := clientOf(c.RealIP())
	wait, err := a.limits.begin(ctx, id, client)
	if err != nil {
		return fmt.Errorf("login limits: %w", err)
	}
	if wait > 0 {
		log.Warn().Msg("admin login refused: too many failed attempts")
		return &bridge.Error{Kind: bridge.ErrRateLimited, Code: "rate_limited",
			Message: "Too many failed logins; try again later.", RetryAfter: wait}
	}
	ok, err := a.verify(ctx, id, req.Password)
	if err != nil {
		a.limits.giveBack(ctx, id, client)
		return err
	}
	if !ok {
		// The typed id is not logged: people type passwords into id fields.
		log.Info().Msg("admin login failed")
		return errLogin
	}
	a.limits.succeeded(ctx, id, client)

	now := a.now()
	expires := now.Add(a.ttl).Truncate(time.Second).UTC()
	if err := a.users.UpsertAdmin(ctx, id); err != nil {
		return fmt.Errorf("login of %s: %w", id, err)
	}
	token, err := a.issueToken(id, now, expires)
	if err != nil {
		return fmt.Errorf("token for %s: %w", id, err)
	}
	log.Info().Str("admin_id", id).Time("expires_at", expires).Msg("admin logged in")
	return c.JSON(http.StatusOK, loginResponse{
		AdminName:     id,
		Token:         token,
		StreamAPIKey:  a.apiKey,
		ExpiresAt:     expires.Format(time.RFC3339),
		Locations:     a.locationsOf(id),
		StreamBaseURL: a.streamBaseURL,
	})
}

// locationAnswer is one location in the login answer.
type locationAnswer struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Numbers []string `json:"numbers"`
}

// locationsOf are the locations admin works at, in LOCATIONS_FILE's order;
// an empty list for an admin no location lists.
func (a *API) locationsOf(admin string) []locationAnswer {
	out := []locationAnswer{}
	for _, l := range a.locations.Of(admin) {
		numbers := l.Numbers
		if numbers == nil {
			numbers = []string{}
		}
		out = append(out, locationAnswer{ID: l.ID, Name: l.Name, Numbers: numbers})
	}
	return out
}
