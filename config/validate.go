package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/crypto/bcrypt"

	"github.com/smsbridge/smsbridge/bridge"
)

// problems collects "NAME (reason)" entries; reasons never quote values.
type problems []string

func (p *problems) add(name, reason string) { *p = append(*p, name+" ("+reason+")") }

func (e env) validate() (Config, error) {
	var bad problems
	c := Config{
		StreamAPIKey:              strings.TrimSpace(e.StreamAPIKey),
		StreamAPISecret:           Secret(strings.TrimSpace(e.StreamAPISecret)),
		TwilioFromNumber:          strings.TrimSpace(e.TwilioFromNumber),
		TwilioWhatsAppFrom:        strings.TrimSpace(e.TwilioWhatsAppFrom),
		TwilioMessagingServiceSID: strings.TrimSpace(e.TwilioMessagingServiceSID),
		SMSChannelType:            strings.TrimSpace(e.SMSChannelType),
		LogFormat:                 strings.ToLower(strings.TrimSpace(e.LogFormat)),
		LogLevel:                  strings.ToLower(strings.TrimSpace(e.LogLevel)),
	}
	c.TwilioAccountSID = e.alias(&c, "TWILIO_ACCOUNT_SID", e.TwilioAccountSID, "TWILIO_SID", e.TwilioSIDAlias)
	c.TwilioAuthToken = Secret(e.alias(&c, "TWILIO_AUTH_TOKEN", e.TwilioAuthToken, "TWILIO_TOKEN", e.TwilioTokenAlias))

	required := []struct{ name, value string }{
		{"STREAM_API_KEY", c.StreamAPIKey},
		{"STREAM_API_SECRET", string(c.StreamAPISecret)},
		{"TWILIO_ACCOUNT_SID", c.TwilioAccountSID},
		{"TWILIO_AUTH_TOKEN", string(c.TwilioAuthToken)},
	}
	for _, r := range required {
		if r.value == "" {
			bad.add(r.name, "missing")
		}
	}
	if c.TwilioAccountSID != "" && !strings.HasPrefix(c.TwilioAccountSID, "AC") {
		bad.add("TWILIO_ACCOUNT_SID", "must start with AC")
	}
	switch {
	case bridge.IsWhatsApp(c.TwilioFromNumber):
		bad.add("TWILIO_FROM_NUMBER", "an SMS number; a WhatsApp sender goes in TWILIO_WHATSAPP_FROM, in LOCATIONS_FILE, or in the Messaging Service")
	case c.TwilioFromNumber == "" && c.TwilioMessagingServiceSID == "" && strings.TrimSpace(e.LocationsFile) == "":
		bad.add("TWILIO_FROM_NUMBER", "set it, TWILIO_MESSAGING_SERVICE_SID or LOCATIONS_FILE")
	case c.TwilioFromNumber != "" && !e164(c.TwilioFromNumber):
		bad.add("TWILIO_FROM_NUMBER", "not a valid number in E.164 form such as +12015550100")
	}
	if w := c.TwilioWhatsAppFrom; w != "" && !whatsAppSender(w) {
		bad.add("TWILIO_WHATSAPP_FROM", "not whatsapp: followed by an E.164 number, such as whatsapp:+12015550100")
	}
	if c.TwilioMessagingServiceSID != "" && !strings.HasPrefix(c.TwilioMessagingServiceSID, "MG") {
		bad.add("TWILIO_MESSAGING_SERVICE_SID", "must start with MG")
	}
	var err error
	if c.PublicURL, err = publicURL(e.PublicURL); err != nil {
		bad.add("PUBLIC_URL", err.Error())
	}
	if c.Admins, err = parseAdmins(e.AdminUsers); err != nil {
		bad.add("ADMIN_USERS", err.Error())
	}
	if c.Port, err = strconv.Atoi(strings.TrimSpace(e.Port)); err != nil || c.Port < 1 || c.Port > 65535 {
		bad.add("PORT", "not a port number")
	}
	if c.ListenHost = strings.TrimSpace(e.ListenHost); c.ListenHost != "" && !validHost(c.ListenHost) {
		bad.add("LISTEN_HOST", "not an IP address or host name")
	}
	c.DefaultRegion = strings.ToUpper(strings.TrimSpace(e.DefaultRegion))
	if !phonenumbers.GetSupportedRegions()[c.DefaultRegion] {
		bad.add("DEFAULT_REGION", "not a region code such as US or GB")
	}
	if c.SMSChannelType == "" {
		bad.add("SMS_CHANNEL_TYPE", "empty")
	}
	if c.StreamTeams, err = strconv.ParseBool(strings.TrimSpace(e.StreamTeams)); err != nil {
		bad.add("STREAM_TEAMS", "true or false")
	}
	if c.AdminRoles = list(e.AdminRoles); len(c.AdminRoles) == 0 {
		bad.add("ADMIN_ROLES", "empty")
	}
	if c.TokenTTL, err = time.ParseDuration(strings.TrimSpace(e.TokenTTL)); err != nil || c.TokenTTL < time.Minute {
		bad.add("TOKEN_TTL", "not a duration of at least 1m, such as 12h")
	}
	if c.ReminderReplyWindow, err = time.ParseDuration(strings.TrimSpace(e.ReminderReplyWindow)); err != nil ||
		c.ReminderReplyWindow < time.Minute {
		bad.add("REMINDER_REPLY_WINDOW", "not a duration of at least 1m, such as 168h")
	}
	if c.ShutdownDelay, err = time.ParseDuration(strings.TrimSpace(e.ShutdownDelay)); err != nil ||
		c.ShutdownDelay < 0 || c.ShutdownDelay > MaxShutdownDelay {
		bad.add("SHUTDOWN_DELAY", "not a duration from 0s to 20s, such as 5s")
	}
	if c.MetricsAddr, err = listenAddr(e.MetricsAddr); err != nil {
		bad.add("METRICS_ADDR", err.Error())
	}
	if c.CORSAllowedOrigins, err = origins(e.CORSAllowedOrigins); err != nil {
		bad.add("CORS_ALLOWED_ORIGINS", err.Error())
	}
	if c.TrustedProxies, err = prefixes(e.TrustedProxies); err != nil {
		bad.add("TRUSTED_PROXIES", err.Error())
	}
	switch c.LogLevel {
	case "trace", "debug", "info", "warn", "error":
	default:
		bad.add("LOG_LEVEL", "one of debug, info, warn, error")
	}
	if c.LogFormat != "json" && c.LogFormat != "console" {
		bad.add("LOG_FORMAT", "json or console")
	}
	if c.RedisURL = Secret(strings.TrimSpace(e.RedisURL)); c.RedisURL != "" && !redisURL(string(c.RedisURL)) {
		bad.add("REDIS_URL", "not a redis:// or rediss:// URL such as redis://redis:6379/0")
	}
	if c.StreamBaseURL, err = baseURL(e.StreamBaseURL); err != nil {
		bad.add("STREAM_BASE_URL", err.Error())
	}
	if c.TwilioAPIBaseURL, err = baseURL(e.TwilioAPIBaseURL); err != nil {
		bad.add("TWILIO_API_BASE_URL", err.Error())
	}
	e.reminders(&c, &bad)
	e.locations(&c, &bad)
	e.limits(&c, &bad)
	if len(bad) > 0 {
		return Config{}, errors.New("invalid configuration: " + strings.Join(bad, ", "))
	}
	return c, nil
}

// alias returns the value of name, or of the tutorial's alias with a warning.
func (e env) alias(c *Config, name, value, aliasName, aliasValue string) string {
	value, aliasValue = strings.TrimSpace(value), strings.TrimSpace(aliasValue)
	if value == "" && aliasValue != "" {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s is deprecated: rename it to %s", aliasName, name))
		return aliasValue
	}
	return value
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func publicURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("missing")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "":
		return "", errors.New("not an absolute URL without query")
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		return "", errors.New("must be https (http only for localhost)")
	case strings.HasSuffix(s, "/"):
		return "", errors.New("must not end with /")
	}
	return s, nil
}

func baseURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", errors.New("not an http(s) URL")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", errors.New("must be https (http only for localhost)")
	}
	return s, nil
}

func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && u.Port() == ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func parseAdmins(s string) ([]Admin, error) {
	entries := list(s)
	if len(entries) == 0 {
		return nil, errors.New("missing")
	}
	seen := map[string]bool{}
	admins := make([]Admin, 0, len(entries))
	for i, entry := range entries {
		id, hash, ok := strings.Cut(entry, ":")
		id = bridge.NormalizeAdminID(id)
		if !ok || id == "" {
			return nil, fmt.Errorf("entry %d is not id:bcrypt-hash", i+1)
		}
		cost, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return nil, fmt.Errorf("entry %d has no bcrypt hash (make one with `smsbridge hash-password`)", i+1)
		}
		if cost < MinAdminHashCost {
			return nil, fmt.Errorf("entry %d has a bcrypt cost of %d, below the minimum of %d (make a new hash with `smsbridge hash-password`)",
				i+1, cost, MinAdminHashCost)
		}
		if seen[id] {
			return nil, fmt.Errorf("entry %d repeats an id", i+1)
		}
		seen[id] = true
		admins = append(admins, Admin{ID: id, PasswordHash: Secret(hash)})
	}
	return admins, nil
}

// CheckOrigin reports whether s is a browser origin CORS can match
// (scheme and host, no path): the rule CORS_ALLOWED_ORIGINS entries follow,
// for flags that add one.
func CheckOrigin(s string) error {
	if strings.Contains(s, ",") {
		return fmt.Errorf("%q is more than one origin", s)
	}
	_, err := origins(s)
	return err
}

// MaxShutdownDelay keeps the delay plus the drain (deadlines.ShutdownGrace)
// inside Kubernetes' default 30 s termination grace period.
const MaxShutdownDelay = 20 * time.Second

// listenAddr checks an optional host:port to listen on (host may be empty
// for all interfaces).
func listenAddr(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", errors.New("not host:port, such as 127.0.0.1:9090 or :9090")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", errors.New("the port is not 1-65535")
	}
	if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, "/ ") {
		return "", errors.New("the host is not an address or name")
	}
	return s, nil
}

// MinAdminHashCost is the lowest bcrypt cost ADMIN_USERS accepts: below it a
// stolen hash is cheap to guess from (cost 4 is 64 times faster than 10).
const MinAdminHashCost = 10

func origins(s string) ([]string, error) {
	out := list(s)
	for i, o := range out {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("entry %d is not an origin such as https://dashboard.example.org", i+1)
		}
		out[i] = strings.TrimSuffix(o, "/")
	}
	return out, nil
}

func prefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for i, f := range list(s) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			addr, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("entry %d is not a CIDR such as 10.0.0.0/8", i+1)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// e164 reports whether s is a valid number written in E.164: "+", the
// country code and the number, nothing else (Twilio's From format).
func e164(s string) bool {
	p, err := bridge.ParsePhone(s, "ZZ")
	return err == nil && p.Raw() == s
}

// whatsAppSender reports whether s is a WhatsApp sender as Twilio writes it:
// "whatsapp:" (lower case) and a valid E.164 number.
func whatsAppSender(s string) bool {
	n, ok := strings.CutPrefix(s, "whatsapp:")
	return ok && e164(n)
}

// redisURL reports whether s is a Redis URL: redis:// or rediss:// (TLS),
// a host, and at most a database number as its path.
func redisURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return false
	}
	db := strings.TrimPrefix(u.Path, "/")
	_, err = strconv.Atoi(db)
	return db == "" || err == nil
}
