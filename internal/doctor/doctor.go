package doctor

import (
	"context"
	"net/http"
	"net/url"
)

// Twilio is what the checks read and change in the Twilio account
// (twiliohook.Console implements it with twilio-go).
type Twilio interface {
	// Numbers lists every number of the account with its SMS settings.
	Numbers(ctx context.Context) ([]Number, error)
	// Number finds phone among the account's numbers; ok is false when the
	// account does not hold it.
	Number(ctx context.Context, phone string) (n Number, ok bool, err error)
	Service(ctx context.Context, sid string) (Service, error)
	// ServiceNumbers lists the E.164 numbers in a service's sender pool.
	ServiceNumbers(ctx context.Context, sid string) ([]string, error)
	// SetNumberWebhook sets a number's "a message comes in" URL and method.
	SetNumberWebhook(ctx context.Context, sid, url, method string) error
	// SetServiceInbound sets a service's inbound request URL and method.
	SetServiceInbound(ctx context.Context, sid, url, method string) error
	// WhatsAppSender finds the account's WhatsApp sender senderID
	// (whatsapp:+E164); ok is false when the account does not hold it.
	WhatsAppSender(ctx context.Context, senderID string) (s WhatsAppSender, ok bool, err error)
}

// WhatsAppSender is a WhatsApp sender's webhook settings.
type WhatsAppSender struct {
	Sid, SenderID               string
	CallbackURL, CallbackMethod string
	FallbackURL                 string
}

// Number is a Twilio phone number's SMS settings.
type Number struct {
	Sid, Phone        string
	SMS               bool // can send and receive SMS
	SmsURL, SmsMethod string
	FallbackURL       string
}

// Service is a Messaging Service's inbound settings.
type Service struct {
	Sid                       string
	InboundURL, InboundMethod string
	FallbackURL               string
	UseNumberWebhook          bool // "Defer to sender's webhook"
}

// Stream is what the checks read and change in the Stream app
// (streamhook.Console implements it with stream-chat-go).
type Stream interface {
	App(ctx context.Context) (App, error)
	SetWebhookURL(ctx context.Context, url string) error
	ChannelTypeExists(ctx context.Context, name string) (bool, error)
	CreateChannelType(ctx context.Context, name string) error
	// UserRoles returns the role of each id that exists.
	UserRoles(ctx context.Context, ids []string) (map[string]string, error)
}

// App is the Stream app's settings the checks read.
type App struct {
	WebhookURL         string
	AuthChecksDisabled bool
}

// Settings are the bridge's own settings the checks need (from its
// configuration; no secrets).
type Settings struct {
	PublicURL string // https base URL, no trailing slash
	// Locations are the clinic's locations, in LOCATIONS_FILE's order;
	// without the file, the one made of TWILIO_FROM_NUMBER and
	// TWILIO_MESSAGING_SERVICE_SID.
	Locations []Location
	// LocationsFile is true when the locations come from LOCATIONS_FILE:
	// the results then name the location and the file, and the checks of
	// locations' numbers and admins are listed even when all is well.
	LocationsFile  bool
	WhatsAppFrom   string // TWILIO_WHATSAPP_FROM; empty: no WhatsApp sender of its own
	ChannelType    string
	Admins         []Admin
	AdminRoles     []string
	MinHashCost    int // the lowest bcrypt cost ADMIN_USERS may use
	CORSOrigins    []string
	TrustedProxies int // how many TRUSTED_PROXIES prefixes are set
}

// Location is one location's senders and admins.
type Location struct {
	ID         string
	Numbers    []string // E.164
	ServiceSID string   // its Messaging Service, or empty
	Admins     []string // who works there; nil: every admin
}

// Admin is one ADMIN_USERS entry.
type Admin struct {
	ID   string
	Hash []byte // bcrypt
}

// Prober sends the probe requests, signed as the vendors sign them.
type Prober struct {
	Client     *http.Client
	AccountSID string                                       // Twilio puts it in every callback
	SignTwilio func(fullURL string, form url.Values) string // twiliohook.Sign with the auth token
	SignStream func(body []byte) string                     // streamhook.Sign with the API secret
}

// Doctor runs the checks.
type Doctor struct {
	Settings Settings
	Twilio   Twilio
	Stream   Stream
	Probe    *Prober // nil: no round trip (the default without --probe)
	// Redis is the coordination store under REDIS_URL; nil without one.
	Redis Redis
}

// Check runs every check, in the order the output lists them.
func (d *Doctor) Check(ctx context.Context) []Result {
	var rs []Result
	rs = append(rs, d.twilioChecks(ctx)...)
	rs = append(rs, d.streamChecks(ctx)...)
	rs = append(rs, d.bridgeChecks()...)
	if d.Redis != nil {
		rs = append(rs, d.redisCheck(ctx))
	}
	if d.Probe != nil {
		rs = append(rs, d.probeTwilio(ctx), d.probeStream(ctx))
	}
	return rs
}

// Changes lists what Fix would change for rs, each change once.
func Changes(rs []Result) []Result {
	var out []Result
	seen := map[string]bool{}
	for _, r := range rs {
		if r.apply != nil && r.Status != StatusOK && !seen[r.Change] {
			seen[r.Change] = true
			out = append(out, r)
		}
	}
	return out
}

// Fix makes the changes, each once, and returns the first error of each
// change that failed, by change.
func Fix(ctx context.Context, rs []Result) map[string]error {
	errs := map[string]error{}
	for _, r := range Changes(rs) {
		if err := r.apply(ctx); err != nil {
			errs[r.Change] = err
		}
	}
	return errs
}
