package streamhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/bridge"
)

// poster sends chat messages with one plain HTTP call.
//
// stream-chat-go's SendMessage encodes a message three times over (struct,
// map for the custom fields, again) and decodes Stream's whole answer, the
// message with its author, mentions and reactions, into structs and then
// maps, though the bridge reads none of it. On the hot path, the one Stream
// call per inbound SMS, that was about a third of the bridge's CPU
// (cmd/smsbench). So PostMessage writes the same request itself and reads
// only the status, and on an error Stream's error body into the client's
// own stream.Error, which Chat.check translates as before.
type poster struct {
	http     *http.Client // the stream client's, so its pool is shared
	base     string
	apiQuery string // "?api_key=..."
	token    string // the server-side JWT stream.NewClient makes
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// maxAnswer bounds how much of a successful answer is read (a channel with
// its last message and members is a few kB).
const maxAnswer = 4 << 20

// answers are the buffers answers are read into: a json.Decoder grows a
// new buffer for every answer, by doubling, which on the reply's path was
// its largest allocation after twilio-go's.
var answers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// decodeAnswer reads body to EOF (so the connection is reused) into a
// pooled buffer and decodes it into into.
func decodeAnswer(body io.Reader, into any) error {
	buf := answers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 { // keep only the usual sizes
			buf.Reset()
			answers.Put(buf)
		}
	}()
	if _, err := buf.ReadFrom(io.LimitReader(body, maxAnswer+1)); err != nil {
		return err
	}
	if buf.Len() > maxAnswer {
		return errors.New("stream: the answer is larger than 4 MiB")
	}
	return json.Unmarshal(buf.Bytes(), into)
}

// PostDirectly makes c post and mark messages itself (see poster) over the
// stream client's connection pool, with the app key and secret the client
// was built with. It returns c.
func (c *Chat) PostDirectly(apiKey, apiSecret string) *Chat {
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"server": true}).
		SignedString([]byte(apiSecret))
	if err != nil || apiKey == "" || apiSecret == "" {
		return c // stream.NewClient would have refused these: keep its path
	}
	c.direct = &poster{http: c.client.HTTP, base: c.client.BaseURL,
		apiQuery: "?api_key=" + url.QueryEscape(apiKey), token: token}
	return c
}

// sendMessage is POST /channels/{type}/{id}/message, with the body
// stream-chat-go would send: the message's fields and custom fields side by
// side (API v1), the author as user_id.
func (p *poster) sendMessage(ctx context.Context, channelType string, m bridge.ChatMessage) error {
	msg := make(map[string]any, len(m.Fields)+4)
	for k, v := range m.Fields {
		msg[k] = v
	}
	if m.ID != "" {
		msg["id"] = m.ID
	}
	msg["text"], msg["user_id"] = m.Text, m.UserID
	if len(m.Attachments) > 0 {
		msg["attachments"] = toAttachments(m.Attachments)
	}
	body, err := json.Marshal(map[string]any{"message": msg})
	if err != nil {
		return err
	}
	return p.send(ctx, http.MethodPost, "/channels/"+url.PathEscape(channelType)+"/"+url.PathEscape(m.ChannelID)+"/message", body)
}

// updateMessage is PUT /messages/{id}, a partial update, with the body and
// the argument checks of stream-chat-go's PartialUpdateMessage. It marks
// every relayed reply and every status callback, so its answer (the whole
// message again) is not decoded either.
func (p *poster) updateMessage(ctx context.Context, id string, update stream.PartialUpdate) error {
	switch {
	case len(update.Set) == 0 && len(update.Unset) == 0:
		return errors.New("set or unset should not be empty")
	case id == "":
		return errors.New("messageID should not be empty")
	}
	body, err := json.Marshal(&stream.MessagePartialUpdateRequest{PartialUpdate: update})
	if err != nil {
		return err
	}
	return p.send(ctx, http.MethodPut, "/messages/"+url.PathEscape(id), body)
}

// send makes one authenticated server-side call with a JSON body.
func (p *poster) send(ctx context.Context, method, path string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, p.base+path+p.apiQuery, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = p.headers()
	req.Header.Set("Content-Type", "application/json")
	return p.do(req, nil)
}

// headers authenticate a server-side call as stream-chat-go does.
func (p *poster) headers() http.Header {
	return http.Header{
		"Authorization":    {p.token},
		"Stream-Auth-Type": {"jwt"},
		"X-Stream-Client":  {"stream-go-client-smsbridge"},
	}
}

// getMessage is GET /messages/{id}, decoding only what the bridge reads of
// the answer: the id, author, text, creation time and the bridge's own
// sms_* fields. Every reply is read back before it is sent, so this is on
// the outbound hot path.
func (p *poster) getMessage(ctx context.Context, id string) (bridge.ChatMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/messages/"+url.PathEscape(id)+p.apiQuery, http.NoBody)
	if err != nil {
		return bridge.ChatMessage{}, err
	}
	req.Header = p.headers()
	var answer struct {
		Message readMessage `json:"message"`
	}
	if err := p.do(req, &answer); err != nil {
		return bridge.ChatMessage{}, err
	}
	return answer.Message.toBridge(), nil
}

// readMessage is the part of a Stream message the bridge reads back.
type readMessage struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	User      struct {
		ID string `json:"id"`
	} `json:"user"`
	Direction any `json:"sms_direction"`
	SID       any `json:"sms_sid"`
	Status    any `json:"sms_status"`
	ErrorCode any `json:"sms_error_code"`
	Error     any `json:"sms_error"`
	Origin    any `json:"sms_origin"`
}

func (m readMessage) toBridge() bridge.ChatMessage {
	fields := map[string]any{}
	for k, v := range map[string]any{bridge.FieldDirection: m.Direction, bridge.FieldSID: m.SID, bridge.FieldStatus: m.Status,
		bridge.FieldErrorCode: m.ErrorCode, bridge.FieldError: m.Error, bridge.FieldOrigin: m.Origin} {
		if v != nil {
			fields[k] = v
		}
	}
	return bridge.ChatMessage{ID: m.ID, UserID: m.User.ID, Text: m.Text, CreatedAt: m.CreatedAt, Fields: fields}
}

// do sends req and reads the answer as stream-chat-go does: status 399 and
// above is a stream.Error, with the rate limit headers. A success answer is
// decoded into into when it is not nil.
func (p *poster) do(req *http.Request, into any) error {
	resp, err := p.http.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return ctxErr
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 399 {
		if into == nil {
			_, err := io.Copy(io.Discard, resp.Body) // to EOF, so the connection is reused
			return err
		}
		return decodeAnswer(resp.Body, into)
	}
	var se stream.Error
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if json.Unmarshal(b, &se) != nil {
		se = stream.Error{} // not JSON (an edge proxy's answer): the status says enough
	}
	if se.StatusCode == 0 {
		se.StatusCode = resp.StatusCode
	}
	se.RateLimit = stream.NewRateLimitFromHeaders(resp.Header)
	return se
}
