// Package config reads smsbridge's configuration from the environment
// (docs/contract.md §2). It is the only package that reads the environment.
// It may import bridge for the rules that values must follow, templates to
// read REMINDER_TEMPLATES at start-up and quiethours to read QUIET_HOURS,
// and nothing else of smsbridge.
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
	TwilioMessagingServiceSID string
	PublicURL                 string // https base URL, no trailing slash
	Admins                    []Admin

	Port           int
	ListenHost     string // interface to bind; empty = all
	DefaultRegion  string
	SMSChannelType string
	AdminRoles     []string
	TokenTTL       time.Duration
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

// env is what envconfig reads. Every field is a string so that reading never
// fails half-way: Load validates them all and names every bad variable.
type env struct {
	StreamAPIKey              string `envconfig:"STREAM_API_KEY"`
	StreamAPISecret           string `envconfig:"STREAM_API_SECRET"`
	TwilioAccountSID          string `envconfig:"TWILIO_ACCOUNT_SID"`
	TwilioAuthToken           string `envconfig:"TWILIO_AUTH_TOKEN"`
	TwilioSIDAlias            string `envconfig:"TWILIO_SID"`
	TwilioTokenAlias          string `envconfig:"TWILIO_TOKEN"`
	TwilioFromNumber          string `envconfig:"TWILIO_FROM_NUMBER"`
	TwilioMessagingServiceSID string `envconfig:"TWILIO_MESSAGING_SERVICE_SID"`
	PublicURL                 string `envconfig:"PUBLIC_URL"`
	AdminUsers                string `envconfig:"ADMIN_USERS"`
	Port                      string `envconfig:"PORT" default:"8080"`
	ListenHost                string `envconfig:"LISTEN_HOST"`
	DefaultRegion             string `envconfig:"DEFAULT_REGION" default:"US"`
	SMSChannelType            string `envconfig:"SMS_CHANNEL_TYPE" default:"sms"`
	AdminRoles                string `envconfig:"ADMIN_ROLES" default:"admin"`
	TokenTTL                  string `envconfig:"TOKEN_TTL" default:"12h"`
	ReminderReplyWindow       string `envconfig:"REMINDER_REPLY_WINDOW" default:"168h"`
	CORSAllowedOrigins        string `envconfig:"CORS_ALLOWED_ORIGINS"`
	ShutdownDelay             string `envconfig:"SHUTDOWN_DELAY" default:"5s"`
	MetricsAddr               string `envconfig:"METRICS_ADDR"`
	TrustedProxies            string `envconfig:"TRUSTED_PROXIES"`
	LogLevel                  string `envconfig:"LOG_LEVEL" default:"info"`
	LogFormat                 string `envconfig:"LOG_FORMAT" default:"json"`
	StreamBaseURL             string `envconfig:"STREAM_BASE_URL" default:"https://chat.stream-io-api.com"`
	RedisURL                  string `envconfig:"REDIS_URL"`
	TwilioAPIBaseURL          string `envconfig:"TWILIO_API_BASE_URL" default:"https://api.twilio.com"`
	ReminderTemplates         string `envconfig:"REMINDER_TEMPLATES"`
	QuietHours                string `envconfig:"QUIET_HOURS"`
	QuietHoursTZ              string `envconfig:"QUIET_HOURS_TZ"`
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
