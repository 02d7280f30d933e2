package streamhook

import (
	"context"
	"errors"
	"fmt"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/quota"
)

// Chat is the chat side of every relay, on a Stream app.
type Chat struct {
	client      *stream.Client
	channelType string
	metrics     *metrics.Metrics
	direct      *poster // nil: PostMessage goes through stream-chat-go (post.go)
	quota       quota.View
	gate        bool                // calls are held back by priority (SpendByPriority)
	channels    *channelCache       // nil: every ReadChannel asks Stream (CacheChannels)
	teams       map[string][]string // admin id -> teams; nil: multi-tenancy off (UseTeams)
}

var (
	_ bridge.InboundChat  = (*Chat)(nil)
	_ bridge.OutboundChat = (*Chat)(nil)
	_ bridge.StatusChat   = (*Chat)(nil)
)

// NewChat returns a Chat writing into channels of channelType. The client's
// HTTP connection pool is shared by every call.
func NewChat(client *stream.Client, channelType string, m *metrics.Metrics) *Chat {
	c := &Chat{client: client, channelType: channelType, metrics: m, quota: quota.NewMemory()}
	c.observe(client.HTTP)
	return c
}

// PostMessage sends m as its author. Stream v6's client drops Message.ID, so
// the deterministic id travels in ExtraData, which is marshalled inline.
// After PostDirectly, poster writes the same request (post.go).
func (c *Chat) PostMessage(ctx context.Context, m bridge.ChatMessage) error {
	if c.direct != nil {
		return c.call(ctx, "send_message", func(ctx context.Context) error {
			return c.direct.sendMessage(ctx, c.channelType, m)
		})
	}
	extra := make(map[string]any, len(m.Fields)+1)
	for k, v := range m.Fields {
		extra[k] = v
	}
	if m.ID != "" {
		extra["id"] = m.ID
	}
	msg := &stream.Message{Text: m.Text, Attachments: toAttachments(m.Attachments), ExtraData: extra}
	return c.call(ctx, "send_message", func(ctx context.Context) error {
		_, err := c.client.Channel(c.channelType, m.ChannelID).SendMessage(ctx, msg, m.UserID)
		return err
	})
}

// CreateConversation gets or creates the patient's channel with the
// patient and the admins as members. For a new patient the users are
// upserted first, in one call; otherwise the channel is asked for first and
// the users are upserted only when Stream answers that one of them is
// missing, then the channel is asked for again.
func (c *Chat) CreateConversation(ctx context.Context, conv bridge.Conversation) (bridge.ChannelState, error) {
	if conv.NewPatient {
		if err := c.upsertUsers(ctx, conv); err != nil {
			return bridge.ChannelState{}, err
		}
		return c.getOrCreateChannel(ctx, conv)
	}
	state, err := c.getOrCreateChannel(ctx, conv)
	if !errors.Is(err, errUsersMissing) {
		return state, err
	}
	if err := c.upsertUsers(ctx, conv); err != nil {
		return bridge.ChannelState{}, err
	}
	return c.getOrCreateChannel(ctx, conv)
}

// upsertUsers writes the patient and the admins in one call.
func (c *Chat) upsertUsers(ctx context.Context, conv bridge.Conversation) error {
	users := make([]*stream.User, 0, len(conv.Admins)+1)
	users = append(users, &stream.User{ID: conv.Patient.ID, Name: conv.Patient.Name, Role: conv.Patient.Role})
	for _, id := range conv.Admins {
		users = append(users, c.adminUser(id))
	}
	return c.call(ctx, "upsert_users", func(ctx context.Context) error {
		_, err := c.client.UpsertUsers(ctx, users...)
		return err
	})
}

// getOrCreateChannel is Stream's Get or Create Channel with the members and
// fields applied on creation.
func (c *Chat) getOrCreateChannel(ctx context.Context, conv bridge.Conversation) (bridge.ChannelState, error) {
	members := append([]string{conv.Patient.ID}, conv.Admins...)
	team := c.channelTeam(conv.Location)
	var state bridge.ChannelState
	err := c.call(ctx, "create_channel", func(ctx context.Context) (err error) {
		if c.direct != nil {
			state, err = c.direct.createChannel(ctx, c.channelType, conv.ChannelID, conv.CreatedBy, team, members, conv.Fields)
			return err
		}
		resp, err := c.client.CreateChannel(ctx, c.channelType, conv.ChannelID, conv.CreatedBy,
			&stream.ChannelRequest{Members: members, Team: team, ExtraData: conv.Fields})
		if err == nil && resp.Channel != nil {
			state = channelState(resp.Channel.ExtraData)
		}
		return err
	})
	return state, err
}

// ReadChannel reads a channel's fields with Get or Create Channel. Without a
// creator in the request Stream creates nothing: a missing channel is an
// error. One message is asked for because none cannot be (0 is left out
// of the request). The operation is named as getOrCreateChannel's: one
// endpoint, one rate-limit window.
func (c *Chat) ReadChannel(ctx context.Context, channelID string) (bridge.ChannelState, error) {
	if c.channels != nil {
		return c.channels.read(ctx, channelID, c.readChannel)
	}
	return c.readChannel(ctx, channelID)
}

// readChannel is ReadChannel's one Stream call; after PostDirectly, a plain
// one (channelread.go).
func (c *Chat) readChannel(ctx context.Context, channelID string) (bridge.ChannelState, error) {
	var state bridge.ChannelState
	err := c.call(ctx, "create_channel", func(ctx context.Context) (err error) {
		if c.direct != nil {
			state, err = c.direct.readChannel(ctx, c.channelType, channelID)
			return err
		}
		q := &stream.QueryRequest{State: true,
			Messages: &stream.MessagePaginationParamsRequest{PaginationParamsRequest: stream.PaginationParamsRequest{Limit: 1}}}
		resp, err := c.client.Channel(c.channelType, channelID).Query(ctx, q)
		if err == nil && resp.Channel != nil {
			state = channelState(resp.Channel.ExtraData)
		}
		return err
	})
	if errors.Is(err, bridge.ErrUpstream) && isInputError(err) {
		// Stream asks for a creator only when the channel does not exist:
		// the request is otherwise the same for every channel.
		return state, fmt.Errorf("read channel: %w", bridge.ErrNotFound)
	}
	return state, err
}

// channelState reads the bridge's channel fields from custom data; a field
// of another type counts as absent.
func channelState(custom map[string]any) bridge.ChannelState {
	return bridge.ChannelStateFrom(custom)
}

// UpdateChannel sets custom fields with a partial update.
// With CacheChannels, every replica's cached copy of the channel is
// invalidated once the call returns, whatever it answered.
func (c *Chat) UpdateChannel(ctx context.Context, channelID string, set map[string]any) error {
	err := c.call(ctx, "update_channel", func(ctx context.Context) error {
		_, err := c.client.Channel(c.channelType, channelID).PartialUpdate(ctx, stream.PartialUpdate{Set: set})
		return err
	})
	if c.channels != nil {
		c.channels.changed(ctx, channelID)
	}
	return err
}

func toAttachments(in []bridge.Attachment) []*stream.Attachment {
	if len(in) == 0 {
		return nil
	}
	out := make([]*stream.Attachment, 0, len(in))
	for _, a := range in {
		sa := &stream.Attachment{Type: a.Type, ExtraData: map[string]any{"mime_type": a.MimeType}}
		if a.Type == "image" {
			sa.ImageURL = a.URL
		} else {
			sa.AssetURL = a.URL
		}
		out = append(out, sa)
	}
	return out
}

// GetMessage reads a message with its custom fields.
func (c *Chat) GetMessage(ctx context.Context, id string) (bridge.ChatMessage, error) {
	var out bridge.ChatMessage
	if c.direct != nil {
		err := c.call(ctx, "get_message", func(ctx context.Context) (err error) {
			out, err = c.direct.getMessage(ctx, id)
			return err
		})
		return out, err
	}
	err := c.call(ctx, "get_message", func(ctx context.Context) error {
		resp, err := c.client.GetMessage(ctx, id)
		if err == nil && resp.Message != nil {
			out = fromStreamMessage(resp.Message)
		}
		return err
	})
	return out, err
}

// UpdateMessage sets custom fields on a message with a partial update, so
// nothing else of the message (text, attachments, reactions) is touched. A
// nil value removes the field.
func (c *Chat) UpdateMessage(ctx context.Context, id string, fields map[string]any) error {
	update := stream.PartialUpdate{Set: make(map[string]any, len(fields))}
	for k, v := range fields {
		if v == nil {
			update.Unset = append(update.Unset, k)
		} else {
			update.Set[k] = v
		}
	}
	if c.direct != nil {
		return c.call(ctx, "update_message", func(ctx context.Context) error {
			return c.direct.updateMessage(ctx, id, update)
		})
	}
	return c.call(ctx, "update_message", func(ctx context.Context) error {
		_, err := c.client.PartialUpdateMessage(ctx, id, &stream.MessagePartialUpdateRequest{PartialUpdate: update})
		return err
	})
}

func fromStreamMessage(m *stream.Message) bridge.ChatMessage {
	out := bridge.ChatMessage{ID: m.ID, UserID: m.UserID, Text: m.Text, Fields: m.ExtraData}
	if m.CreatedAt != nil {
		out.CreatedAt = *m.CreatedAt
	}
	if out.UserID == "" && m.User != nil {
		out.UserID = m.User.ID
	}
	return out
}
