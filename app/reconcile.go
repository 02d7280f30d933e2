package app

import (
	"net/http"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/twiliohook"
)

// ReconcileOptions configure NewReconciler.
type ReconcileOptions struct {
	DryRun   bool
	PageSize int // Twilio list page size; 0 for Twilio's largest (1000)
}

// NewReconciler builds the job of `smsbridge reconcile` from cfg: the Stream
// chat, inbound relay and status writer wired exactly as serve wires them
// (so a restored message is the one the webhook would have posted), plus
// Twilio's message log on the Sender's settings. Metrics are not kept: the
// job is short-lived and reports its own summary.
func NewReconciler(cfg config.Config, o ReconcileOptions) (*bridge.Reconciler, error) {
	sc, err := stream.NewClient(cfg.StreamAPIKey, string(cfg.StreamAPISecret))
	if err != nil {
		return nil, err
	}
	sc.BaseURL = cfg.StreamBaseURL
	sc.SetClient(&http.Client{Timeout: 5 * time.Second, Transport: newTransport()})
	chat := streamhook.NewChat(sc, cfg.SMSChannelType, nil)
	log := twiliohook.NewLog(twiliohook.SenderOptions{
		AccountSID:          cfg.TwilioAccountSID,
		AuthToken:           string(cfg.TwilioAuthToken),
		From:                cfg.TwilioFromNumber,
		MessagingServiceSID: cfg.TwilioMessagingServiceSID,
		BaseURL:             cfg.TwilioAPIBaseURL,
		Transport:           newTransport(),
	}, o.PageSize)
	return &bridge.Reconciler{
		Log:      log,
		Chat:     chat,
		Inbound:  &bridge.Inbound{Chat: chat, Admins: cfg.AdminIDs()},
		Statuses: &bridge.Statuses{Chat: chat},
		DryRun:   o.DryRun,
		Retry:    bridge.DefaultBackoff,
	}, nil
}
