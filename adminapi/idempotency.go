package adminapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/web"
)

// Answers is the coordination store as idempotent requests use it: a claim
// while the first request works, then its answer for
// deadlines.IdempotentAnswer. coord.Store implements it.
type Answers interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, key string) error
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// maxIdempotencyKey bounds the Idempotency-Key header (IETF httpapi draft:
// a short opaque string, typically a UUID).
const maxIdempotencyKey = 255

// storedAnswer is what is kept of a reminder's answer: no number and no
// text, only what the answer needs besides the request itself, and a
// keyed hash of the request, so the same key with another request is
// refused instead of answered with the first one's result.
type storedAnswer struct {
	Fingerprint string `json:"fp"`
	HTTP        int    `json:"http"`
	Sid         string `json:"sid,omitempty"`
	Status      string `json:"status,omitempty"`
	SendAt      string `json:"sendAt,omitempty"`
	ChannelID   string `json:"ch,omitempty"`
	Location    string `json:"loc,omitempty"`
	Code        string `json:"code,omitempty"`
	Error       string `json:"error,omitempty"`
}

// idempotency is one request's key, as the store knows it.
type idempotency struct {
	key, fingerprint string
}

// idempotencyOf reads the Idempotency-Key header: nil without one.
func (a *API) idempotencyOf(c echo.Context, admin string, req ReminderRequest) (*idempotency, error) {
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		return nil, nil
	}
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		return nil, bridge.Errorf(bridge.ErrInvalid, "invalid_idempotency_key",
			"Idempotency-Key must be 1 to %d printable ASCII characters, such as a UUID.", maxIdempotencyKey)
	}
	mac := hmac.New(sha256.New, a.secret)
	for _, part := range fingerprintParts(admin, req) {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return &idempotency{key: "idempotency:" + digest(admin+"\x00"+key), fingerprint: hex.EncodeToString(mac.Sum(nil))}, nil
}

// replay answers with the stored answer when there is one; done reports
// whether it did (or refused a reused key).
func (a *API) replay(ctx context.Context, c echo.Context, k *idempotency, rem bridge.Reminder) (done bool, err error) {
	raw, ok, err := a.answers.Get(ctx, k.key)
	if err != nil {
		return true, errStoreUnavailable
	}
	if !ok {
		return false, nil
	}
	var s storedAnswer
	if json.Unmarshal(raw, &s) != nil {
		return false, nil
	}
	if !hmac.Equal([]byte(s.Fingerprint), []byte(k.fingerprint)) {
		return true, bridge.Errorf(bridge.ErrUnprocessable, "idempotency_key_reused",
			"This Idempotency-Key was used for another reminder; use a new key for a new reminder.")
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	if s.HTTP != http.StatusOK {
		return true, c.JSON(s.HTTP, web.ErrorBody{Error: s.Error, Code: s.Code})
	}
	res := bridge.ReminderResult{Sid: s.Sid, Status: s.Status, ChannelID: s.ChannelID, Location: s.Location}
	res.SendAt, _ = time.Parse(time.RFC3339, s.SendAt)
	if res.ChannelID == "" { // stored before locations: the patient's own channel
		res.ChannelID = rem.To.ChannelID()
	}
	return true, c.JSON(http.StatusOK, answer(rem, res))
}

// errStoreUnavailable answers a request whose Idempotency-Key cannot be
// looked up: this replica's memory does not hold it and Redis cannot be read,
// so its first answer may be there. Sending could send it twice.
var errStoreUnavailable = &bridge.Error{Kind: bridge.ErrUnavailable, Code: "store_unavailable",
	Message: "The coordination store cannot say whether this Idempotency-Key was already used; " +
		"nothing was sent. Send it again in a moment with the same key.",
	RetryAfter: 5 * time.Second}

// claim takes the key while this request sends; a concurrent request with
// the same key gets 409 and tries again.
func (a *API) claim(ctx context.Context, k *idempotency) (release func(), err error) {
	ok, err := a.answers.Claim(ctx, k.key+":working", deadlines.IdempotentWork)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &bridge.Error{Kind: bridge.ErrConflict, Code: "idempotency_in_progress",
			Message:    "A reminder with this Idempotency-Key is being sent; ask again in a moment for its answer.",
			RetryAfter: time.Second}
	}
	return func() { _ = a.answers.Release(context.WithoutCancel(ctx), k.key+":working") }, nil
}

// remember stores the answer to res/err under k. Transient failures (5xx
// other than a refusal) are not stored: the request may be tried again. Nor
// are quiet-hours refusals: they depend on the time, and the same request
// is welcome once quiet hours are over. Nor is any refusal that came before
// the reminder had a chat message (res.MessageID empty: text_too_long,
// invalid_text...): nothing was written or sent, the rules refuse the same
// request the same way again, and storing each would let one admin fill
// the store with refusals under fresh keys (issue 27).
func (a *API) remember(ctx context.Context, k *idempotency, res bridge.ReminderResult, sendErr error) {
	if sendErr != nil && res.MessageID == "" {
		return
	}
	s := storedAnswer{Fingerprint: k.fingerprint, HTTP: http.StatusOK, Sid: res.Sid, Status: res.Status,
		ChannelID: res.ChannelID, Location: res.Location}
	if !res.SendAt.IsZero() {
		s.SendAt = res.SendAt.UTC().Format(time.RFC3339)
	}
	if sendErr != nil {
		var body web.ErrorBody
		s.HTTP, body = web.ToStatus(sendErr)
		s.Code, s.Error, s.Sid, s.Status, s.SendAt, s.ChannelID, s.Location = body.Code, body.Error, "", "", "", "", ""
		quiet := body.NextAllowedAt != "" || errors.Is(sendErr, bridge.ErrQuietHours)
		if (s.HTTP >= 500 && s.HTTP != http.StatusBadGateway) || quiet {
			return
		}
	}
	raw, _ := json.Marshal(s)
	_ = a.answers.Put(context.WithoutCancel(ctx), k.key, raw, deadlines.IdempotentAnswer)
}

// fingerprintParts are the request's fields in a fixed order. Fields added
// after the first version are appended only when set, so the fingerprint of
// a plain-text request stays what earlier versions stored.
func fingerprintParts(admin string, req ReminderRequest) []string {
	parts := []string{admin, req.PhoneNumber, req.MessageText, req.SendAt}
	if req.WhenAllowed {
		parts = append(parts, "whenAllowed")
	}
	if req.Medium == bridge.MediumWhatsApp {
		parts = append(parts, "whatsapp")
	}
	if req.Location != "" {
		parts = append(parts, "location", req.Location)
	}
	if req.Template == "" {
		return parts
	}
	parts = append(parts, "template", req.Template)
	names := make([]string, 0, len(req.Params))
	for name := range req.Params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		parts = append(parts, name, req.Params[name])
	}
	return parts
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
