package streamhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/doctor"
)

// Console reads and changes the Stream app's settings for `smsbridge
// doctor`, through the Chat's client, so its errors say as little as the
// Chat's do (errors.go).
type Console struct{ c *Chat }

var _ doctor.Stream = (*Console)(nil)

// Console returns the app settings view of c's app.
func (c *Chat) Console() *Console { return &Console{c: c} }

// App reads the app's webhook URL and whether auth checks are off.
// stream-chat-go v6 does not read the app's event hooks (event_hooks), so a
// webhook set up only as an event hook is not seen.
func (k *Console) App(ctx context.Context) (doctor.App, error) {
	var app doctor.App
	err := k.c.call(ctx, "get_app", func(ctx context.Context) error {
		resp, err := k.c.client.GetAppSettings(ctx)
		if err == nil && resp.App != nil {
			if resp.App.WebhookURL != nil {
				app.WebhookURL = *resp.App.WebhookURL
			}
			app.AuthChecksDisabled = resp.App.DisableAuth != nil && *resp.App.DisableAuth
		}
		return err
	})
	return app, err
}

// errNoDirectCalls: the Console was built on a Chat without PostDirectly.
var errNoDirectCalls = errors.New("streamhook: the console changes settings with plain calls: build its Chat with PostDirectly")

// SetWebhookURL sets the app's webhook URL, and nothing else: the PATCH
// /app body is {"webhook_url": url}. stream-chat-go's UpdateAppSettings
// cannot send that: its AppSettings marshals name, organization,
// push_notifications and revoke_tokens_issued_before without omitempty, and
// Stream sets every field a PATCH carries, so it would blank the app's name,
// turn push off and undo an app-wide token revocation (null is what the
// SDK's RevokeTokens(nil) sends to lift one). So the body is written here and
// sent on the poster's connection and server token (post.go).
func (k *Console) SetWebhookURL(ctx context.Context, url string) error {
	if k.c.direct == nil {
		return errNoDirectCalls
	}
	body, err := json.Marshal(map[string]string{"webhook_url": url})
	if err != nil {
		return err
	}
	return k.c.call(ctx, "update_app", func(ctx context.Context) error {
		return k.c.direct.send(ctx, http.MethodPatch, "/app", body)
	})
}

// ChannelTypeExists reports whether the channel type name exists.
func (k *Console) ChannelTypeExists(ctx context.Context, name string) (bool, error) {
	err := k.c.call(ctx, "get_channel_type", func(ctx context.Context) error {
		_, err := k.c.client.GetChannelType(ctx, name)
		return err
	})
	if errors.Is(err, bridge.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// CreateChannelType creates the channel type name with Stream's defaults,
// as the service does at start (EnsureChannelType).
func (k *Console) CreateChannelType(ctx context.Context, name string) error {
	err := k.c.call(ctx, "create_channel_type", func(ctx context.Context) error {
		_, err := k.c.client.CreateChannelType(ctx, stream.NewChannelType(name))
		return err
	})
	if errors.Is(err, bridge.ErrDuplicate) {
		return nil
	}
	return err
}

// UserRoles returns the role of each of ids that is a Stream user.
func (k *Console) UserRoles(ctx context.Context, ids []string) (map[string]string, error) {
	roles := map[string]string{}
	if len(ids) == 0 {
		return roles, nil
	}
	err := k.c.call(ctx, "query_users", func(ctx context.Context) error {
		resp, err := k.c.client.QueryUsers(ctx, &stream.QueryOption{
			Filter: map[string]any{"id": map[string]any{"$in": ids}}, Limit: len(ids)})
		if err == nil {
			for _, u := range resp.Users {
				roles[u.ID] = u.Role
			}
		}
		return err
	})
	return roles, err
}
