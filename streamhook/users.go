package streamhook

import (
	"context"

	"github.com/smsbridge/smsbridge/bridge"
)

// Chat also carries reminders from the dashboard API.
var _ bridge.ReminderChat = (*Chat)(nil)

// adminRole is the Stream role of dashboard admins (docs/contract.md §4.4).
const adminRole = "admin"

// UpsertAdmin creates or updates a dashboard admin in Stream with role
// admin, in one call. The name is the id, as CreateConversation writes it,
// so the two never fight over it.
func (c *Chat) UpsertAdmin(ctx context.Context, id string) error {
	return c.call(ctx, "upsert_users", func(ctx context.Context) error {
		_, err := c.client.UpsertUsers(ctx, c.adminUser(id))
		return err
	})
}
