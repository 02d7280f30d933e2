package adminapi

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/metrics"
)

// Users is what login needs from the chat service (Stream); streamhook.Chat
// implements it.
type Users interface {
	// UpsertAdmin creates or updates the admin's chat user with role admin.
	UpsertAdmin(ctx context.Context, id string) error
	// CreateToken returns a chat user token for id that expires at expires.
	CreateToken(id string, expires time.Time) (string, error)
}

// ReminderSender sends one reminder; bridge.Reminders implements it.
type ReminderSender interface {
	Send(ctx context.Context, r bridge.Reminder) (bridge.ReminderResult, error)
}

// Options configure New.
type Options struct {
	// Admins maps normalised admin ids to their bcrypt hashes (ADMIN_USERS).
	Admins       map[string]string
	Users        Users
	Reminders    ReminderSender
	StreamAPIKey string
	// TokenSecret is the Stream API secret: Stream user tokens are signed
	// with it (by Users.CreateToken), and bearer tokens are checked with it.
	TokenSecret []byte
	TokenTTL    time.Duration
	Region      string // DEFAULT_REGION, for numbers typed without +country
	Metrics     *metrics.Metrics
	Now         func() time.Time // nil: time.Now
}

// API holds the dashboard API's handlers. Its only state is the in-memory
// login limiter, which is per replica.
type API struct {
	creds     *credentials
	limits    *loginLimits
	users     Users
	reminders ReminderSender
	apiKey    string
	secret    []byte
	ttl       time.Duration
	region    string
	metrics   *metrics.Metrics
	now       func() time.Time
}

// New builds the API. It hashes a dummy password at the admins' highest
// bcrypt cost, so it takes as long as one login.
func New(o Options) *API {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &API{
		creds:     newCredentials(o.Admins),
		limits:    newLoginLimits(),
		users:     o.Users,
		reminders: o.Reminders,
		apiKey:    o.StreamAPIKey,
		secret:    o.TokenSecret,
		ttl:       o.TokenTTL,
		region:    o.Region,
		metrics:   o.Metrics,
		now:       now,
	}
}
