package streamhook

import (
	"context"
	"errors"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
)

// EnsureChannelType makes sure the SMS channel type exists, creating it with
// Stream's default settings when it is missing. Several replicas may race
// to create it; losing that race ("already exists") is success.
func (c *Chat) EnsureChannelType(ctx context.Context) error {
	err := c.call(ctx, "get_channel_type", func(ctx context.Context) error {
		_, err := c.client.GetChannelType(ctx, c.channelType)
		return err
	})
	if !errors.Is(err, bridge.ErrNotFound) {
		return err
	}
	err = c.call(ctx, "create_channel_type", func(ctx context.Context) error {
		_, err := c.client.CreateChannelType(ctx, stream.NewChannelType(c.channelType))
		return err
	})
	if errors.Is(err, bridge.ErrDuplicate) {
		return nil
	}
	return err
}
