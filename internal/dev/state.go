package dev

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// stateView is everything the console shows, read from the simulators:
// what each phone's screen holds (Twilio's log) and what the clinic's chat
// holds (Stream's channels). The page polls it.
type stateView struct {
	Clinic string `json:"clinic"` // the number's international format, as all labels
	// Clinics are the locations' numbers the phone can text, the first the default.
	Clinics []clinic `json:"clinics"`

	Admin    string        `json:"admin"`
	Phones   []phoneView   `json:"phones"`
	Channels []channelView `json:"channels"`
}

type phoneView struct {
	phone
	Label string      `json:"label"`
	Texts []phoneText `json:"texts"`
}

// phoneText is one text on a phone's screen; Mine: the phone sent it.
type phoneText struct {
	Sid  string    `json:"sid"`
	Mine bool      `json:"mine"`
	Body string    `json:"body"`
	At   time.Time `json:"at"`
}

type channelView struct {
	ID       string     `json:"id"`
	Phone    string     `json:"phone"`
	Label    string     `json:"label"`
	OptedOut bool       `json:"optedOut"`
	Location string     `json:"location"` // sms_location
	Clinic   string     `json:"clinic"`   // sms_clinic_number
	Messages []chatLine `json:"messages"`
}

// chatLine is a chat message with the bridge's markers (docs/contract.md §3).
type chatLine struct {
	ID        string    `json:"id"`
	Author    string    `json:"author"`
	Role      string    `json:"role"`
	Text      string    `json:"text"`
	Direction string    `json:"direction,omitempty"`
	Origin    string    `json:"origin,omitempty"`
	Status    string    `json:"status,omitempty"`
	Error     string    `json:"error,omitempty"`
	ErrorCode string    `json:"errorCode,omitempty"`
	At        time.Time `json:"at"`
	// The patient's answer to a reminder (docs/replies.md): on the
	// reminder, Reply and ReplyAt; on the answering message, ReplyTo.
	Reply   string `json:"reply,omitempty"`
	ReplyAt string `json:"replyAt,omitempty"`
	ReplyTo string `json:"replyTo,omitempty"`
}

func (sb *Sandbox) state(*http.Request) (any, error) {
	// Empty lists, never null: the page iterates them from the first load.
	v := stateView{Clinic: label(clinicNumber), Admin: adminID, Clinics: []clinic{}, Phones: []phoneView{}, Channels: []channelView{}}
	for _, c := range clinics {
		c.Label = label(c.Number)
		v.Clinics = append(v.Clinics, c)
	}
	for _, ch := range sb.stream.ChannelsOfType(sb.cfg.SMSChannelType) {
		v.Channels = append(v.Channels, sb.channelView(ch))
	}
	for _, p := range sb.knownPhones(v.Channels) {
		v.Phones = append(v.Phones, phoneView{phone: p, Label: label(p.Number), Texts: sb.screen(p.Number)})
	}
	return v, nil
}

// knownPhones lists the ready-made phones, then every other number the
// sandbox has seen: typed in the phone, or reached by a reminder.
func (sb *Sandbox) knownPhones(channels []channelView) []phone {
	out := slices.Clone(phones)
	seen := func(n string) bool {
		return slices.ContainsFunc(out, func(p phone) bool { return p.Number == n })
	}
	numbers := sb.texted.all()
	for _, c := range channels {
		numbers = append(numbers, c.Phone)
	}
	for _, n := range numbers {
		if n != "" && !seen(n) {
			out = append(out, phone{Number: n})
		}
	}
	return out
}

// screen is what the phone shows: the texts it sent, and the ones that
// reached it (delivered; read, for channels that report it).
func (sb *Sandbox) screen(number string) []phoneText {
	out := []phoneText{}
	for _, m := range sb.twilio.Conversation(number) {
		mine := m.From == number
		if !mine && m.Status != "delivered" && m.Status != "read" {
			continue
		}
		out = append(out, phoneText{Sid: m.Sid, Mine: mine, Body: m.Body, At: m.DateCreated})
	}
	return out
}

func (sb *Sandbox) channelView(ch streamtest.Channel) channelView {
	v := channelView{ID: ch.ID, Messages: []chatLine{}}
	v.Phone, _ = ch.Custom[bridge.FieldPhone].(string)
	v.OptedOut, _ = ch.Custom[bridge.FieldOptedOut].(bool)
	v.Location, _ = ch.Custom[bridge.FieldLocation].(string)
	v.Clinic, _ = ch.Custom[bridge.FieldClinicNumber].(string)
	v.Label = label(v.Phone)
	for _, c := range clinics {
		if c.Location == v.Location && len(clinics) > 1 {
			v.Label += " · " + c.Name
		}
	}
	if bridge.ChannelMedium(ch.Custom[bridge.FieldMedium]) == bridge.MediumWhatsApp {
		v.Label += " (WhatsApp)"
	}
	for _, m := range sb.stream.Messages(ch.Type, ch.ID) {
		author, _ := sb.stream.User(m.UserID)
		line := chatLine{ID: m.ID, Author: author.Name, Role: author.Role, Text: m.Text, At: m.CreatedAt}
		if line.Author == "" {
			line.Author = m.UserID
		}
		line.Direction = field(m, bridge.FieldDirection)
		line.Origin = field(m, bridge.FieldOrigin)
		line.Status = field(m, bridge.FieldStatus)
		line.Error = field(m, bridge.FieldError)
		line.ErrorCode = field(m, bridge.FieldErrorCode)
		line.Reply, line.ReplyAt = field(m, bridge.FieldReply), field(m, bridge.FieldReplyAt)
		line.ReplyTo = field(m, bridge.FieldReplyTo)
		v.Messages = append(v.Messages, line)
	}
	return v
}

// label is a number as people read it (+1 201-555-0123).
func label(number string) string { return bridge.SenderPhone(number).DisplayName() }

// field reads a custom field as text: Twilio's codes are numbers, the
// bridge's own are words.
func field(m streamtest.Message, name string) string {
	v, ok := m.Custom[name]
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
