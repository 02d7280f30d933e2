package doctor

import (
	"context"
	"slices"
	"strings"

	"github.com/smsbridge/smsbridge/internal/deadlines"
)

// Check ids of the Stream side.
const (
	IDStreamWebhook     = "stream.webhook_url"
	IDStreamAuthChecks  = "stream.auth_checks"
	IDStreamChannelType = "stream.channel_type"
	IDStreamAdmins      = "stream.admin_users"
)

func (d *Doctor) streamChecks(ctx context.Context) []Result {
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	app, err := d.Stream.App(call)
	cancel()
	var rs []Result
	if err != nil {
		rs = append(rs, unreachable(IDStreamWebhook, "Stream", err), unreachable(IDStreamAuthChecks, "Stream", err))
	} else {
		rs = append(rs, d.webhookCheck(app), authChecksCheck(app))
	}
	return append(rs, d.channelTypeCheck(ctx), d.adminsCheck(ctx))
}

// outboundURL is where Stream must push chat messages.
func (d *Doctor) outboundURL() string { return d.Settings.PublicURL + "/stream-outgoing-sms" }

func (d *Doctor) webhookCheck(app App) Result {
	want := d.outboundURL()
	if same, _ := urlIs(app.WebhookURL, want); same {
		return ok(IDStreamWebhook, "Stream pushes chat messages to "+shown(app.WebhookURL))
	}
	found := "Stream pushes chat messages to " + shown(app.WebhookURL) + ", not to " + want
	if app.WebhookURL == "" {
		found = "Stream's webhook URL is not set"
	}
	return problem(IDStreamWebhook, StatusFail, found+": replies typed in the dashboard are never texted", "").
		fixable("set Stream's webhook URL to "+want, func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
			defer cancel()
			return d.Stream.SetWebhookURL(ctx, want)
		})
}

// authChecksCheck fails when Stream's auth checks are off: anyone with the
// API key could then act as any user. doctor never turns them back on by
// itself, as clients built against the setting may stop working.
func authChecksCheck(app App) Result {
	if !app.AuthChecksDisabled {
		return ok(IDStreamAuthChecks, "Stream checks user tokens")
	}
	return problem(IDStreamAuthChecks, StatusFail, "Stream's auth checks are disabled: anyone with the API key can act as any user",
		"Stream dashboard → the app → Chat Messaging → Overview → Authentication: turn \"Disable Auth Checks\" off (doctor does not change it)")
}

func (d *Doctor) channelTypeCheck(ctx context.Context) Result {
	name := d.Settings.ChannelType
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	exists, err := d.Stream.ChannelTypeExists(call, name)
	cancel()
	switch {
	case err != nil:
		return unreachable(IDStreamChannelType, "Stream", err)
	case exists:
		return ok(IDStreamChannelType, "the channel type "+name+" exists")
	}
	return problem(IDStreamChannelType, StatusFail, "the channel type "+name+" (SMS_CHANNEL_TYPE) does not exist: the first text fails", "").
		fixable("create the channel type "+name, func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
			defer cancel()
			return d.Stream.CreateChannelType(ctx, name)
		})
}

// adminsCheck warns about ADMIN_USERS ids that are not Stream users with a
// role in ADMIN_ROLES: the first login creates or updates them.
func (d *Doctor) adminsCheck(ctx context.Context) Result {
	ids := make([]string, len(d.Settings.Admins))
	for i, a := range d.Settings.Admins {
		ids[i] = a.ID
	}
	call, cancel := context.WithTimeout(ctx, deadlines.DoctorCall)
	roles, err := d.Stream.UserRoles(call, ids)
	cancel()
	if err != nil {
		return unreachable(IDStreamAdmins, "Stream", err)
	}
	var missing, wrongRole []string
	for _, id := range ids {
		role, ok := roles[id]
		switch {
		case !ok:
			missing = append(missing, id)
		case !slices.Contains(d.Settings.AdminRoles, role):
			wrongRole = append(wrongRole, id+" ("+role+")")
		}
	}
	if len(missing)+len(wrongRole) == 0 {
		return ok(IDStreamAdmins, "every ADMIN_USERS id is a Stream user with a role in ADMIN_ROLES")
	}
	var found []string
	if len(missing) > 0 {
		found = append(found, "not in Stream: "+strings.Join(missing, ", "))
	}
	if len(wrongRole) > 0 {
		found = append(found, "role not in ADMIN_ROLES: "+strings.Join(wrongRole, ", "))
	}
	return problem(IDStreamAdmins, StatusWarn, strings.Join(found, "; "),
		"nothing to do if expected: an admin's first login creates the user with the role admin; replies by a user whose role is not in ADMIN_ROLES are not texted")
}
