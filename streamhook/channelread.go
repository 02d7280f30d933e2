package streamhook

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/smsbridge/smsbridge/bridge"
)

// queryBody is the request stream-chat-go's Channel.Query sends for
// ReadChannel: state, and one message (none cannot be asked for).
var queryBody = []byte(`{"state":true,"messages":{"limit":1}}`)

// readChannel is POST /channels/{type}/{id}/query, decoding only the
// bridge's two channel fields. stream-chat-go decodes the whole answer
// (channel, members with their users, the message, read states) into
// structs and maps; on the outbound hot path (every reply reads its
// channel) that was a third of the bridge's CPU (cmd/smsbench).
func (p *poster) readChannel(ctx context.Context, channelType, channelID string) (bridge.ChannelState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		p.base+"/channels/"+url.PathEscape(channelType)+"/"+url.PathEscape(channelID)+"/query"+p.apiQuery,
		bytes.NewReader(queryBody))
	if err != nil {
		return bridge.ChannelState{}, err
	}
	req.Header = p.headers()
	req.Header.Set("Content-Type", "application/json")
	var answer struct {
		Channel *struct {
			OptedOut any `json:"sms_opted_out"`
			Phone    any `json:"sms_phone"`
		} `json:"channel"`
	}
	if err := p.do(req, &answer); err != nil {
		return bridge.ChannelState{}, err
	}
	if answer.Channel == nil {
		return bridge.ChannelState{}, nil
	}
	return channelState(map[string]any{bridge.FieldOptedOut: answer.Channel.OptedOut,
		bridge.FieldPhone: answer.Channel.Phone}), nil
}
