package e2e

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// reply is a chat message an admin (or anyone) writes in a channel.
type reply struct {
	ID, ChannelType, ChannelID, Author, Role, Text string
	Custom                                         map[string]any
	Attachments                                    []streamtest.Attachment
	Type                                           string
	Silent                                         bool
	CreatedAt                                      time.Time // zero: now
}

// write stores r in the fake Stream as the dashboard would, with its author.
func (h *harness) write(r reply) {
	h.t.Helper()
	if r.ChannelType == "" {
		r.ChannelType = "sms"
	}
	if r.Role == "" {
		r.Role = "admin"
	}
	h.stream.PutUser(streamtest.User{ID: r.Author, Role: r.Role, Name: r.Author})
	if _, ok := h.stream.Channel(r.ChannelType, r.ChannelID); !ok {
		// A message lives in a channel: one the tutorial's backend made,
		// without the bridge's custom fields, unless the patient's SMS did.
		h.stream.PutChannel(streamtest.Channel{Type: r.ChannelType, ID: r.ChannelID, Members: []string{r.Author}, CreatedBy: r.Author})
	}
	h.stream.PutMessage(streamtest.Message{ID: r.ID, ChannelType: r.ChannelType, ChannelID: r.ChannelID,
		Text: r.Text, Type: r.Type, UserID: r.Author, Custom: r.Custom, Attachments: r.Attachments, Silent: r.Silent,
		CreatedAt: r.CreatedAt})
	if len(r.Text) >= 8 {
		h.secret(r.Text)
	}
}

// deliver posts the signed message.new webhook for message id, as Stream
// would on its attempt-th try. It returns the answer.
func (h *harness) deliver(id string, attempt int, opts ...func(*http.Request, *[]byte)) response {
	h.t.Helper()
	body, ok := h.stream.MessageNewEvent(id)
	if !ok {
		h.t.Fatalf("no message %s to deliver", id)
	}
	req, err := http.NewRequest(http.MethodPost, h.urls[0]+"/stream-outgoing-sms", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Id", "wh-"+id)
	req.Header.Set("X-Webhook-Attempt", strconv.Itoa(attempt))
	req.Header.Set("X-Signature", streamtest.Sign(streamSecret, body))
	for _, o := range opts {
		o(req, &body)
	}
	req.Body = http.NoBody
	if len(body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	return h.do(req)
}

// gzipped sends the body gzip-encoded, signed over the unpacked bytes.
func gzipped(req *http.Request, body *[]byte) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(*body)
	_ = zw.Close()
	*body = buf.Bytes()
	req.Header.Set("Content-Encoding", "gzip")
}

// signedWith replaces the signature.
func signedWith(sig string) func(*http.Request, *[]byte) {
	return func(req *http.Request, _ *[]byte) {
		if sig == "" {
			req.Header.Del("X-Signature")
			return
		}
		req.Header.Set("X-Signature", sig)
	}
}
