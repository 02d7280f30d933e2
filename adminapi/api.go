package adminapi

import (
	"context"
	"runtime"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/templates"
)

// Users is what login needs from the chat service (Stream); streamhook.Chat
// implements it. The token itself is signed here (tokens.go): it carries a
// claim Stream's own token maker cannot add.
type Users interface {
	// UpsertAdmin creates or updates the admin's chat user with role admin.
	UpsertAdmin(ctx context.Context, id string) error
}

// ReminderSender sends one reminder; bridge.Reminders implements it.
type ReminderSender interface {
	Send(ctx context.Context, r bridge.Reminder) (bridge.ReminderResult, error)
}

// Templates is what reminders need of the clinic's templates;
// *templates.Set implements it.
type Templates interface {
	// Resolve gives a reminder's text from typed text or a template.
	Resolve(messageText, name string, params map[string]string) (string, error)
	List() []templates.Template
	// WhatsAppContent gives a template's approved WhatsApp version with
	// params as numbered variables; ok is false when it has none.
	WhatsAppContent(name string, params map[string]string) (sid string, vars map[string]string, ok bool)
}

// Options configure New.
type Options struct {
	// Admins maps normalised admin ids to their bcrypt hashes (ADMIN_USERS).
	Admins    map[string]string
	Users     Users
	Reminders ReminderSender
	// Templates are the clinic's reminder templates (REMINDER_TEMPLATES);
	// nil: none.
	Templates    Templates
	StreamAPIKey string
	// TokenSecret is the Stream API secret: Stream user tokens are signed
	// with it, and bearer tokens are checked with it.
	TokenSecret []byte
	TokenTTL    time.Duration
	Region      string // DEFAULT_REGION, for numbers typed without +country
	Metrics     *metrics.Metrics
	Now         func() time.Time // nil: time.Now
	// Locations are the clinic's sites (LOCATIONS_FILE), each listing the
	// admins who work there: a login names an admin's, a reminder goes for
	// one of them. Empty: every admin works at one location, "default".
	Locations bridge.Locations
	// Store holds login counts, idempotent answers and the per-admin
	// allowances: the coordination store, shared by every replica with
	// REDIS_URL. Nil: this process's memory.
	Store Store
	// ReminderRate and PreviewRate are each admin's allowance of
	// /send-reminder and /sms-preview calls; zero: DefaultReminderRate,
	// DefaultPreviewRate.
	ReminderRate, PreviewRate coord.Rate
}

// Store is the coordination store as the API uses it; coord.Store
// implements it.
type Store interface {
	Counters
	Answers
	Rates
}

// API holds the dashboard API's handlers. Its state (login counts,
// idempotent answers) is in the coordination store.
type API struct {
	creds                       *credentials
	limits                      *loginLimits
	answers                     Answers
	rates                       Rates
	reminderLimit, previewLimit limit
	bcrypt                      chan struct{} // slots for bcrypt comparisons
	users                       Users
	reminders                   ReminderSender
	templates                   Templates
	locations                   bridge.Locations
	apiKey                      string
	secret                      []byte
	ttl                         time.Duration
	region                      string
	metrics                     *metrics.Metrics
	now                         func() time.Time
	// streamBaseURL is the simulated Stream client API's base URL, sent
	// with every login in the sandbox only (AdvertiseStreamBaseURL).
	streamBaseURL string
}

// AdvertiseStreamBaseURL makes every login answer carry streamBaseUrl, the
// base URL a dashboard passes to client.setBaseURL. Only the sandbox calls
// it, before serving: serve's dashboards talk to Stream itself.
func (a *API) AdvertiseStreamBaseURL(u string) { a.streamBaseURL = u }

// New builds the API. It hashes a dummy password at the admins' highest
// bcrypt cost, so it takes as long as one login.
func New(o Options) *API {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.Templates == nil {
		o.Templates = (*templates.Set)(nil) // no templates: every name is unknown
	}
	store := o.Store
	if store == nil {
		store = coord.NewMemoryBounded(coord.DefaultMaxPerNamespace, now)
	}
	return &API{
		creds:         newCredentials(o.Admins, o.TokenSecret),
		limits:        newLoginLimits(store, o.TokenSecret),
		answers:       store,
		rates:         store,
		reminderLimit: limit{"reminders", orDefault(o.ReminderRate, DefaultReminderRate)},
		previewLimit:  limit{"previews", orDefault(o.PreviewRate, DefaultPreviewRate)},
		bcrypt:        make(chan struct{}, bcryptSlots()),
		users:         o.Users,
		reminders:     o.Reminders,
		templates:     o.Templates,
		locations:     o.Locations,
		apiKey:        o.StreamAPIKey,
		secret:        o.TokenSecret,
		ttl:           o.TokenTTL,
		region:        o.Region,
		metrics:       o.Metrics,
		now:           now,
	}
}

func orDefault(r, def coord.Rate) coord.Rate {
	if r.PerMinute < 1 || r.Burst < 1 {
		return def
	}
	return r
}

// bcryptSlots is how many bcrypt comparisons run at once: one per core, so
// logins keep the CPU busy without starving the webhooks.
func bcryptSlots() int { return max(1, runtime.GOMAXPROCS(0)) }
