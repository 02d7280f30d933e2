package streamhook

import (
	"bytes"
	"context"
	"encoding/json"
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
	return p.queryChannel(ctx, channelType, channelID, queryBody)
}

// createChannel is Get or Create Channel with the body stream-chat-go's
// CreateChannel sends: state, and data with the creator, the members and
// the custom fields side by side, applied only when the channel is new.
// Every reminder and first contact makes it.
func (p *poster) createChannel(ctx context.Context, channelType, channelID, creator, team string,
	members []string, fields map[string]any) (bridge.ChannelState, error) {
	data := make(map[string]any, len(fields)+3)
	for k, v := range fields {
		data[k] = v
	}
	if team != "" {
		data["team"] = team
	}
	data["created_by"], data["members"] = map[string]string{"id": creator}, members
	body, err := json.Marshal(map[string]any{"state": true, "data": data})
	if err != nil {
		return bridge.ChannelState{}, err
	}
	return p.queryChannel(ctx, channelType, channelID, body)
}

// queryChannel is POST /channels/{type}/{id}/query with body, reading the
// bridge's channel fields from the answer.
func (p *poster) queryChannel(ctx context.Context, channelType, channelID string, body []byte) (bridge.ChannelState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		p.base+"/channels/"+url.PathEscape(channelType)+"/"+url.PathEscape(channelID)+"/query"+p.apiQuery,
		bytes.NewReader(body))
	if err != nil {
		return bridge.ChannelState{}, err
	}
	req.Header = p.headers()
	req.Header.Set("Content-Type", "application/json")
	var answer struct {
		Channel *struct {
			OptedOut      any `json:"sms_opted_out"`
			Phone         any `json:"sms_phone"`
			Medium        any `json:"sms_medium"`
			Address       any `json:"sms_address"`
			ClinicNumber  any `json:"sms_clinic_number"`
			Location      any `json:"sms_location"`
			LastInboundAt any `json:"sms_last_inbound_at"`
		} `json:"channel"`
	}
	if err := p.do(req, &answer); err != nil {
		return bridge.ChannelState{}, err
	}
	if answer.Channel == nil {
		return bridge.ChannelState{}, nil
	}
	ch := answer.Channel
	return channelState(map[string]any{bridge.FieldOptedOut: ch.OptedOut, bridge.FieldPhone: ch.Phone,
		bridge.FieldMedium: ch.Medium, bridge.FieldAddress: ch.Address, bridge.FieldClinicNumber: ch.ClinicNumber,
		bridge.FieldLocation: ch.Location, bridge.FieldLastInboundAt: ch.LastInboundAt}), nil
}
