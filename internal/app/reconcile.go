package app

import (
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/quota"
	"github.com/smsbridge/smsbridge/twiliohook"
)

// ReconcileOptions configure NewReconciler.
type ReconcileOptions struct {
	DryRun   bool
	PageSize int // Twilio list page size; 0 for Twilio's largest (1000)
}

// NewReconciler builds the job of `smsbridge reconcile` from cfg: the Stream
// chat, inbound relay and status writer (on the same coordination store)
// wired exactly as serve wires them
// (so a restored message is the one the webhook would have posted), plus
// Twilio's message log on the Sender's settings. Metrics are not kept: the
// job is short-lived and reports its own summary.
func NewReconciler(cfg config.Config, log zerolog.Logger, o ReconcileOptions) (*bridge.Reconciler, error) {
	chat, err := newChat(cfg, nil, quota.NewMemory())
	if err != nil {
		return nil, err
	}
	store, err := newStore(cfg, log, nil)
	if err != nil {
		return nil, err
	}
	// Its channel writes (a restored STOP) reach the replicas' caches.
	chat.CacheChannels(channelVersions(store), string(cfg.StreamAPISecret))
	smsLog := twiliohook.NewLog(twilioOptions(cfg, nil), clinicSenders(cfg), o.PageSize)
	return &bridge.Reconciler{
		Log:      smsLog,
		Chat:     chat,
		Inbound:  &bridge.Inbound{Chat: chat, Locations: locations(cfg), Admins: cfg.AdminIDs()},
		Statuses: &bridge.Statuses{Chat: chat, Ledger: store}, // the service's status order
		DryRun:   o.DryRun,
		Retry:    bridge.DefaultBackoff,
	}, nil
}

// clinicSenders are every location's numbers and Messaging Services, and
// the WhatsApp sender: one reconcile covers them all.
func clinicSenders(cfg config.Config) twiliohook.ClinicSenders {
	var s twiliohook.ClinicSenders
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for _, l := range cfg.Locations {
		for _, n := range l.Numbers {
			add(&s.Numbers, n)
		}
		add(&s.Services, l.MessagingServiceSID)
	}
	add(&s.Numbers, cfg.TwilioWhatsAppFrom)
	return s
}
