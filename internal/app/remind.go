package app

import (
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/adminapi"
	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
)

// reminders is the reminder path /send-reminder uses; `smsbridge remind`
// sends through the same one.
func (a *App) reminders() *bridge.Reminders {
	return &bridge.Reminders{
		Chat:         a.chat,
		Sender:       a.sms,
		Sent:         a.sms,
		Locations:    locations(a.cfg),
		Admins:       a.cfg.AdminIDs(),
		PublicURL:    a.cfg.PublicURL,
		CanSchedule:  a.sms.CanSchedule(),
		QuietHours:   quietHours(a.cfg),
		Statuses:     a.statuses,
		WhatsAppFrom: a.cfg.TwilioWhatsAppFrom,
	}
}

// Batch is what `smsbridge remind` sends with.
type Batch struct {
	*bridge.Batch
	// Reminder reads a row as /send-reminder reads a request: the number in
	// DEFAULT_REGION, the text typed or filled from a template, the send time.
	Reminder func(admin string, req adminapi.ReminderRequest) (bridge.Reminder, error)
}

// NewBatch builds what `smsbridge remind` sends a file with: the service's
// own reminder path on the same Stream app, Twilio account and coordination
// store, so a batch row is exactly a /send-reminder call (docs/batch.md).
// Status callbacks go to PUBLIC_URL, to the running service.
func NewBatch(cfg config.Config, log zerolog.Logger) (*Batch, error) {
	a, err := New(cfg, log)
	if err != nil {
		return nil, err
	}
	return &Batch{Batch: &bridge.Batch{Reminders: a.reminders(), Chat: a.chat, Store: batchStore{a.store},
		Keys: bridge.NewRowKeys([]byte(cfg.StreamAPISecret))}, Reminder: a.api.Reminder}, nil
}
