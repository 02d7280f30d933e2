package app

import (
	"net/http"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/coord"
	"github.com/smsbridge/smsbridge/internal/deadlines"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/quota"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/twiliohook"
)

// newChat builds the Stream side from cfg: one stream-chat-go client with its
// own keep-alive pool, posting, marking and reading back messages with plain
// calls on that pool (streamhook/post.go), spending Stream's quota by
// priority with view (docs/quotas.md). m may be nil.
func newChat(cfg config.Config, m *metrics.Metrics, view quota.View) (*streamhook.Chat, error) {
	sc, err := stream.NewClient(cfg.StreamAPIKey, string(cfg.StreamAPISecret))
	if err != nil {
		return nil, err
	}
	sc.BaseURL = cfg.StreamBaseURL
	sc.SetClient(&http.Client{Timeout: deadlines.StreamCall, Transport: newTransport()})
	chat := streamhook.NewChat(sc, cfg.SMSChannelType, m).
		PostDirectly(cfg.StreamAPIKey, string(cfg.StreamAPISecret)).
		SpendByPriority(view)
	if cfg.StreamTeams {
		chat.UseTeams(adminTeams(locations(cfg)))
	}
	return chat, nil
}

// quotaView is where a replica keeps Stream's rate-limit windows: its memory,
// or with REDIS_URL its memory plus a count of the calls every replica
// sharing store has made in each window.
func quotaView(cfg config.Config, store coord.Store) quota.View {
	if cfg.RedisURL == "" {
		return quota.NewMemory()
	}
	return quota.NewShared(store)
}

// twilioOptions are the Twilio side's settings from cfg, each call with its
// own keep-alive pool. m may be nil.
func twilioOptions(cfg config.Config, m *metrics.Metrics) twiliohook.SenderOptions {
	from, service := defaultSender(cfg)
	return twiliohook.SenderOptions{
		AccountSID:          cfg.TwilioAccountSID,
		AuthToken:           string(cfg.TwilioAuthToken),
		From:                from,
		WhatsAppFrom:        cfg.TwilioWhatsAppFrom,
		MessagingServiceSID: service,
		BaseURL:             cfg.TwilioAPIBaseURL,
		Transport:           newTransport(),
		Metrics:             m,
	}
}

// defaultSender is the sender of messages whose conversation names none:
// TWILIO_FROM_NUMBER and TWILIO_MESSAGING_SERVICE_SID, or, where
// LOCATIONS_FILE leaves them unset, the first location's first number and
// its service.
func defaultSender(cfg config.Config) (number, service string) {
	number, service = cfg.TwilioFromNumber, cfg.TwilioMessagingServiceSID
	if number != "" || service != "" || len(cfg.Locations) == 0 {
		return number, service
	}
	first := cfg.Locations[0]
	if n := smsNumbers(first); len(n) > 0 {
		number = n[0]
	}
	return number, first.MessagingServiceSID
}

// newTransport is the connection pool for one vendor: keep-alive with enough
// idle connections per host for a busy replica, so steady traffic opens no
// new connections.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 55 * time.Second
	return t
}
