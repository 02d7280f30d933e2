package twiliotest

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
)

// Message is a message the fake holds: created through the API (Direction "outbound-api")
// or injected with AddInbound (Direction "inbound").
type Message struct {
	Sid                 string
	To                  string
	From                string // empty when Twilio has not picked a sender from the Messaging Service yet
	MessagingServiceSid string
	Body                string
	Status              string
	Direction           string
	StatusCallback      string
	ScheduleType        string
	SendAt              time.Time
	MediaURLs           []string
	Media               []Media // ListMedia's resources, one per MediaURLs entry (see AddInbound)
	ErrorCode           int
	DateCreated         time.Time
	DateSent            time.Time // zero until the message is sent (or, for inbound, received)
	ContentSid          string    // the Content Template it was sent with; Body is then the rendered text

	windowClosed bool // a free-form WhatsApp message outside the 24-hour window: it fails with 63016
}

func (m Message) clone() Message {
	m.MediaURLs = slices.Clone(m.MediaURLs)
	m.Media = slices.Clone(m.Media)
	return m
}

// record is a Message plus what only the fake needs to know about it.
type record struct {
	Message
	accountSid  string
	seq         int // insertion order, breaks ties between equal DateCreated
	dateUpdated time.Time
}

// apiMessage is the api.v2010.account.message schema, field for field (JSON keys sorted as
// Twilio's examples are). Nullable fields are pointers so they render as null.
type apiMessage struct {
	AccountSid          string            `json:"account_sid"`
	APIVersion          string            `json:"api_version"`
	Body                string            `json:"body"`
	DateCreated         string            `json:"date_created"`
	DateSent            *string           `json:"date_sent"`
	DateUpdated         string            `json:"date_updated"`
	Direction           string            `json:"direction"`
	ErrorCode           *int              `json:"error_code"`
	ErrorMessage        *string           `json:"error_message"`
	From                *string           `json:"from"`
	MessagingServiceSid *string           `json:"messaging_service_sid"`
	NumMedia            string            `json:"num_media"`
	NumSegments         string            `json:"num_segments"`
	Price               *string           `json:"price"`
	PriceUnit           *string           `json:"price_unit"`
	Sid                 string            `json:"sid"`
	Status              string            `json:"status"`
	SubresourceURIs     map[string]string `json:"subresource_uris"`
	To                  string            `json:"to"`
	URI                 string            `json:"uri"`
}

const apiVersion = "2010-04-01"

// rfc2822 is the date format of Twilio's 2010 API ("Thu, 24 Aug 2023 05:01:45 +0000").
func rfc2822(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

func messagePath(accountSid, sid string) string {
	return "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid
}

func (r *record) api() apiMessage {
	m := r.Message
	out := apiMessage{
		AccountSid:      r.accountSid,
		APIVersion:      apiVersion,
		Body:            m.Body,
		DateCreated:     rfc2822(m.DateCreated),
		DateUpdated:     rfc2822(r.dateUpdated),
		Direction:       m.Direction,
		From:            nullable(m.From),
		NumMedia:        strconv.Itoa(len(m.MediaURLs)),
		NumSegments:     r.numSegments(),
		Sid:             m.Sid,
		Status:          m.Status,
		SubresourceURIs: map[string]string{"media": messagePath(r.accountSid, m.Sid) + "/Media.json"},
		To:              m.To,
		URI:             messagePath(r.accountSid, m.Sid) + ".json",
	}
	out.MessagingServiceSid = nullable(m.MessagingServiceSid)
	if !m.DateSent.IsZero() {
		s := rfc2822(m.DateSent)
		out.DateSent = &s
	}
	if m.ErrorCode != 0 {
		code, msg := m.ErrorCode, messageFor(m.ErrorCode)
		out.ErrorCode, out.ErrorMessage = &code, &msg
	}
	return out
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// numSegments follows Twilio's note on num_segments: a message sent through a Messaging
// Service reports 0 until a sender is assigned, i.e. while it is accepted or scheduled.
func (r *record) numSegments() string {
	if r.MessagingServiceSid != "" && (r.Status == "accepted" || r.Status == "scheduled") {
		return "0"
	}
	return strconv.Itoa(segments(r.Body))
}

// GSM-7 default alphabet and its extension table (each extension character costs two septets).
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Ext = "^{}\\[~]|€\f"
)

// segments counts SMS segments: 160 GSM-7 septets (153 per part when concatenated), or 70
// UCS-2 code units (67 per part) as soon as one character is outside GSM-7.
func segments(body string) int {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case containsRune(gsm7Basic, r):
			septets++
		case containsRune(gsm7Ext, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		return parts(septets, 160, 153)
	}
	return parts(len(utf16.Encode([]rune(body))), 70, 67)
}

func parts(n, single, multi int) int {
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
