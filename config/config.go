// Package config reads smsbridge's configuration from the environment
// (docs/contract.md §2). It is the only package that reads the environment.
// It may import bridge for the rules that values must follow, templates to
// read REMINDER_TEMPLATES at start-up, quiethours to read QUIET_HOURS and
// yamlfile to read LOCATIONS_FILE, and nothing else of smsbridge.
package config

import (
	"net/netip"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/smsbridge/smsbridge/internal/quiethours"
	"github.com/smsbridge/smsbridge/internal/templates"
)

// Config is the validated configuration.
type Config struct {
	StreamAPIKey              string
	StreamAPISecret           Secret
	TwilioAccountSID          string
	TwilioAuthToken           Secret
	TwilioFromNumber          string
	TwilioWhatsAppFrom        string // whatsapp:+E164: the WhatsApp sender, when not in a Messaging Service
	TwilioMessagingServiceSID string
	PublicURL                 string // https base URL, no trailing slash
	Admins                    []Admin

	Port           int
	ListenHost     string // interface to bind; empty = all
	DefaultRegion  string
	SMSChannelType string
	// StreamTeams turns on Stream's multi-tenancy: a channel's team is its
	// location, an admin's teams are theirs (docs/locations.md).
	StreamTeams bool
	AdminRoles  []string
	TokenTTL    time.Duration
	// ReminderReplyWindow is how long after a reminder went out a keyword
	// reply (C, R...) still answers it (docs/replies.md).
	ReminderReplyWindow time.Duration
	// ShutdownDelay is how long, after SIGTERM, the service keeps serving
	// with /readyz answering 503 before it closes its listener, so a load
	// balancer sees the 503 and stops sending first.
	ShutdownDelay time.Duration
	// MetricsAddr, when set, is the only address /metrics is served on.
	MetricsAddr        string
	CORSAllowedOrigins []string
	TrustedProxies     []netip.Prefix
	LogLevel           string
	LogFormat          string // "json" or "console"
	StreamBaseURL      string
	RedisURL           Secret // empty: in-process coordination; it may hold a password
	TwilioAPIBaseURL   string
	// Templates are the reminder templates read from the REMINDER_TEMPLATES
	// file at start-up; nil without one.
	Templates *templates.Set
	// QuietHours are QUIET_HOURS with QUIET_HOURS_TZ; nil when off.
	QuietHours *quiethours.Hours
	// Locations are the clinic's sites, in LOCATIONS_FILE's order; always
	// at least one. Without the file: DefaultLocationID, made of
	// TWILIO_FROM_NUMBER, TWILIO_MESSAGING_SERVICE_SID and every admin.
	Locations []Location
	// LocationsFile is LOCATIONS_FILE's path; empty without the file.
	LocationsFile string
	// ReminderRate and PreviewRate are each admin's allowance of
	// /send-reminder and /sms-preview calls, shared by every replica.
	ReminderRate Rate
	PreviewRate  Rate

	// Warnings are things start-up should log (deprecated aliases in use).
	Warnings []string
}

// Admin is one ADMIN_USERS entry.
type Admin struct {
	ID           string // normalised: spaces -> "_", lower case
	PasswordHash Secret // bcrypt
}

// AdminIDs returns the admins' ids in configuration order.
func (c Config) AdminIDs() []string {
	ids := make([]string, len(c.Admins))
	for i, a := range c.Admins {
		ids[i] = a.ID
	}
	return ids
}

// Secret is a string that never prints: fmt, JSON and log encoders see
// "[redacted]". Convert with string(s) where the value is needed.
type Secret string

func (Secret) String() string               { return "[redacted]" }
func (Secret) GoString() string             { return "[redacted]" }
func (Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// env is what envconfig reads, and the one list of settings: docs/configuration.md
// and .env.example are generated from these tags (Settings), and a test fails
// when they are stale. Every field is a string so that reading never fails
// half-way: Load validates them all and names every bad variable.
//
// Adding a setting is adding a field here (envconfig: the name; default;
// need: "yes", or what may replace it; desc: one line of meaning; alias: the
// setting an old name stands for), using it in validate, and regenerating
// with UPDATE_DOCS=1 go test ./docs (CONTRIBUTING.md).
type env struct {
	StreamAPIKey              string `envconfig:"STREAM_API_KEY" need:"yes" desc:"Stream app key (Stream dashboard > your app > App Access Keys)"`
	StreamAPISecret           string `envconfig:"STREAM_API_SECRET" need:"yes" desc:"Stream app secret: signs server calls and user tokens, verifies Stream webhooks"`
	TwilioAccountSID          string `envconfig:"TWILIO_ACCOUNT_SID" need:"yes" desc:"Twilio account SID (AC..., Twilio console > Account Info)"`
	TwilioAuthToken           string `envconfig:"TWILIO_AUTH_TOKEN" need:"yes" desc:"Twilio auth token: authenticates API calls, verifies Twilio webhooks"`
	TwilioSIDAlias            string `envconfig:"TWILIO_SID" alias:"TWILIO_ACCOUNT_SID" desc:"the tutorial's name for TWILIO_ACCOUNT_SID, accepted with a warning"`
	TwilioTokenAlias          string `envconfig:"TWILIO_TOKEN" alias:"TWILIO_AUTH_TOKEN" desc:"the tutorial's name for TWILIO_AUTH_TOKEN, accepted with a warning"`
	TwilioFromNumber          string `envconfig:"TWILIO_FROM_NUMBER" need:"this, TWILIO_MESSAGING_SERVICE_SID or LOCATIONS_FILE" desc:"the sender: a Twilio number in E.164, e.g. +12015550100 (checked at start-up)"`
	TwilioWhatsAppFrom        string `envconfig:"TWILIO_WHATSAPP_FROM" desc:"the WhatsApp sender, whatsapp:+E164, when it is not in the Messaging Service's sender pool (docs/whatsapp.md)"`
	TwilioMessagingServiceSID string `envconfig:"TWILIO_MESSAGING_SERVICE_SID" need:"this, TWILIO_FROM_NUMBER or LOCATIONS_FILE" desc:"the sender: a Messaging Service (MG...); wins when both are set; scheduled reminders need it"`
	PublicURL                 string `envconfig:"PUBLIC_URL" need:"yes" desc:"the https base URL Twilio and Stream call, no trailing slash (http only for localhost); Twilio signs it plus the path"`
	AdminUsers                string `envconfig:"ADMIN_USERS" need:"yes" desc:"dashboard admins: comma-separated id:bcrypt-hash pairs (smsbridge hash-password makes a hash; cost 10 or more; single-quote the value, hashes hold $)"`
	Port                      string `envconfig:"PORT" default:"8080" desc:"listen port"`
	ListenHost                string `envconfig:"LISTEN_HOST" desc:"interface to bind, e.g. 127.0.0.1; empty: all interfaces (what a container needs)"`
	DefaultRegion             string `envconfig:"DEFAULT_REGION" default:"US" desc:"region (ISO code) of phone numbers typed without +country"`
	SMSChannelType            string `envconfig:"SMS_CHANNEL_TYPE" default:"sms" desc:"Stream channel type of patient conversations (created at start-up)"`
	StreamTeams               string `envconfig:"STREAM_TEAMS" default:"false" desc:"true: a channel's Stream team is its location and each admin's teams are their locations, so Stream keeps each site's desk to its own chats (needs multi-tenancy on in the Stream app; docs/locations.md)"`
	AdminRoles                string `envconfig:"ADMIN_ROLES" default:"admin" desc:"Stream roles whose chat messages are sent to patients as SMS, comma-separated"`
	TokenTTL                  string `envconfig:"TOKEN_TTL" default:"12h" desc:"lifetime of the dashboard token /admin-login returns"`
	ReminderReplyWindow       string `envconfig:"REMINDER_REPLY_WINDOW" default:"168h" desc:"how long after a reminder a C/R reply still answers it (docs/replies.md)"`
	CORSAllowedOrigins        string `envconfig:"CORS_ALLOWED_ORIGINS" desc:"origins allowed to call the JSON API from a browser (the dashboard), comma-separated; empty: no CORS headers"`
	ShutdownDelay             string `envconfig:"SHUTDOWN_DELAY" default:"5s" desc:"after SIGTERM, keep serving with /readyz 503 this long before closing the listener (0s-20s)"`
	MetricsAddr               string `envconfig:"METRICS_ADDR" desc:"serve /metrics only on this address (127.0.0.1:9090, or :9090 for a cluster-internal port); empty: on the main port"`
	TrustedProxies            string `envconfig:"TRUSTED_PROXIES" desc:"CIDRs of reverse proxies allowed to set X-Forwarded-For; empty: none, the TCP peer is the client"`
	LogLevel                  string `envconfig:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	LogFormat                 string `envconfig:"LOG_FORMAT" default:"json" desc:"json (one object per line) or console (for people)"`
	StreamBaseURL             string `envconfig:"STREAM_BASE_URL" default:"https://chat.stream-io-api.com" desc:"Stream's API base URL: for regional endpoints and local fakes"`
	RedisURL                  string `envconfig:"REDIS_URL" desc:"the coordination store replicas share, redis://[:password@]host:port/db (rediss:// for TLS); empty: this process's memory (docs/replicas.md)"`
	TwilioAPIBaseURL          string `envconfig:"TWILIO_API_BASE_URL" default:"https://api.twilio.com" desc:"Twilio's API base URL: for regional endpoints and local fakes"`
	ReminderTemplates         string `envconfig:"REMINDER_TEMPLATES" desc:"path of the reminder templates' YAML file; a bad file stops start-up naming the problem; empty: no templates (docs/reminders.md)"`
	QuietHours                string `envconfig:"QUIET_HOURS" desc:"reminders are not sent inside this daily window of the patient's local time, e.g. 20:00-08:00; empty: off (docs/reminders.md)"`
	LocationsFile             string `envconfig:"LOCATIONS_FILE" desc:"path of the locations' YAML file: clinic sites with their own numbers and admins; a bad file stops start-up naming the location and field; empty: one location of TWILIO_FROM_NUMBER (docs/locations.md)"`
	QuietHoursTZ              string `envconfig:"QUIET_HOURS_TZ" desc:"IANA zone for numbers that give no time zone, e.g. America/Chicago; empty: UTC"`
	RemindersPerMinute        string `envconfig:"REMINDERS_PER_MINUTE" default:"60" desc:"/send-reminder calls one admin may make a minute, across all replicas; past it 429 with Retry-After (smsbridge remind paces itself, docs/security.md)"`
	ReminderBurst             string `envconfig:"REMINDER_BURST" default:"20" desc:"/send-reminder calls one admin may make at once after a quiet spell, within REMINDERS_PER_MINUTE"`
	PreviewsPerMinute         string `envconfig:"PREVIEWS_PER_MINUTE" default:"600" desc:"/sms-preview calls one admin may make a minute, across all replicas; past it 429 with Retry-After"`
	PreviewBurst              string `envconfig:"PREVIEW_BURST" default:"60" desc:"/sms-preview calls one admin may make at once after a quiet spell, within PREVIEWS_PER_MINUTE"`
}

// Load reads and validates the environment. The error, when not nil, names
// every missing or malformed variable on one line and never a value.
func Load() (Config, error) {
	var e env
	if err := envconfig.Process("", &e); err != nil {
		// Only string fields: this cannot fail on a value, only on the struct.
		return Config{}, err
	}
	return e.validate()
}

// Port reads PORT alone, for `smsbridge healthcheck`, which must work when the
// rest of the configuration is absent.
func Port() string {
	var e struct {
		Port string `envconfig:"PORT" default:"8080"`
	}
	if err := envconfig.Process("", &e); err != nil || strings.TrimSpace(e.Port) == "" {
		return "8080"
	}
	return strings.TrimSpace(e.Port)
}
