package app

import (
	"net/http"
	"net/url"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/doctor"
	"github.com/smsbridge/smsbridge/internal/quota"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/twiliohook"
)

// NewDoctor builds `smsbridge doctor`'s checks from cfg: the Twilio and
// Stream consoles on the same clients and addresses as serve, and with
// probe the round trips through PUBLIC_URL, signed with the service's own
// signing code. With REDIS_URL it reads Redis's eviction policy too.
func NewDoctor(cfg config.Config, probe bool) (*doctor.Doctor, error) {
	chat, err := newChat(cfg, nil, quota.NewMemory())
	if err != nil {
		return nil, err
	}
	d := &doctor.Doctor{
		Settings: DoctorSettings(cfg),
		Twilio:   twiliohook.NewConsole(twilioOptions(cfg, nil)),
		Stream:   chat.Console(),
	}
	if cfg.RedisURL != "" {
		r, err := coord.NewRedis(string(cfg.RedisURL))
		if err != nil {
			return nil, err
		}
		d.Redis = r
	}
	if probe {
		token, secret := string(cfg.TwilioAuthToken), string(cfg.StreamAPISecret)
		d.Probe = &doctor.Prober{
			Client: &http.Client{Timeout: deadlines.DoctorProbe, Transport: newTransport(),
				// A redirect is an answer to report, not to follow: Twilio does not follow one with the signature.
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
			AccountSID: cfg.TwilioAccountSID,
			SignTwilio: func(fullURL string, form url.Values) string { return twiliohook.Sign(token, fullURL, form) },
			SignStream: func(body []byte) string { return streamhook.Sign(secret, body) },
		}
	}
	return d, nil
}

// DoctorSettings are the parts of cfg doctor checks.
func DoctorSettings(cfg config.Config) doctor.Settings {
	admins := make([]doctor.Admin, len(cfg.Admins))
	for i, a := range cfg.Admins {
		admins[i] = doctor.Admin{ID: a.ID, Hash: []byte(a.PasswordHash)}
	}
	return doctor.Settings{
		PublicURL: cfg.PublicURL, Locations: doctorLocations(cfg), LocationsFile: cfg.LocationsFile != "", WhatsAppFrom: cfg.TwilioWhatsAppFrom,
		ChannelType: cfg.SMSChannelType, Admins: admins, AdminRoles: cfg.AdminRoles, MinHashCost: config.MinAdminHashCost,
		CORSOrigins: cfg.CORSAllowedOrigins, TrustedProxies: len(cfg.TrustedProxies),
	}
}

// doctorLocations are cfg's locations as doctor reads them.
func doctorLocations(cfg config.Config) []doctor.Location {
	out := make([]doctor.Location, len(cfg.Locations))
	for i, l := range cfg.Locations {
		out[i] = doctor.Location{ID: l.ID, Numbers: smsNumbers(l), ServiceSID: l.MessagingServiceSID, Admins: l.Admins}
	}
	return out
}

// smsNumbers are l's numbers but its WhatsApp senders, which have no phone
// number resource to check (the WhatsApp check covers them).
func smsNumbers(l config.Location) []string {
	var out []string
	for _, n := range l.Numbers {
		if !bridge.IsWhatsApp(n) {
			out = append(out, n)
		}
	}
	return out
}
