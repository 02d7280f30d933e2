package bridge_test

import (
	"context"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// smsLog is an SMSLog holding messages and media; errors queued in
// listErrs and mediaErrs are returned first.
type smsLog struct {
	msgs      []bridge.LoggedSMS
	media     map[string][]bridge.Media
	listErrs  []error
	mediaErrs []error
	mediaHits int
}

func (l *smsLog) Messages(_ context.Context, since time.Time) ([]bridge.LoggedSMS, error) {
	if len(l.listErrs) > 0 {
		err := l.listErrs[0]
		l.listErrs = l.listErrs[1:]
		return nil, err
	}
	var out []bridge.LoggedSMS
	for _, m := range l.msgs {
		if !m.SentAt.Before(since) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (l *smsLog) Media(_ context.Context, sid string) ([]bridge.Media, error) {
	l.mediaHits++
	if len(l.mediaErrs) > 0 {
		err := l.mediaErrs[0]
		l.mediaErrs = l.mediaErrs[1:]
		return nil, err
	}
	return l.media[sid], nil
}
