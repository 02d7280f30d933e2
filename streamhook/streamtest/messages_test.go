package streamtest

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// inbound is an inbound SMS as the bridge posts it: id and custom fields
// through ExtraData, an MMS image as an attachment.
func inbound(id string) *stream.Message {
	return &stream.Message{
		Text: "Running late, see you at 3",
		Attachments: []*stream.Attachment{{
			Type: "image", ImageURL: "https://api.twilio.com/media/ME1.jpg",
			ExtraData: map[string]any{"mime_type": "image/jpeg"},
		}},
		ExtraData: map[string]any{"id": id, "sms_direction": "inbound", "sms_sid": "SM1"},
	}
}

func TestSendMessageStoresTheMessageUnderTheGivenID(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)

	before := time.Now().Add(-time.Second)
	resp, err := c.Channel(smsType, patient).SendMessage(context.Background(), inbound("sms-SM1"), patient)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.ID != "sms-SM1" || resp.Message.Type != "regular" || resp.Message.User.ID != patient ||
		resp.Message.ExtraData["sms_direction"] != "inbound" || resp.Message.Attachments[0].ExtraData["mime_type"] != "image/jpeg" {
		t.Errorf("response message = %+v", resp.Message)
	}

	got, ok := srv.Message("sms-SM1")
	if !ok {
		t.Fatal("message not stored")
	}
	if got.CreatedAt.Before(before) || !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Errorf("times = %v, %v", got.CreatedAt, got.UpdatedAt)
	}
	got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
	want := Message{
		ID: "sms-SM1", ChannelType: smsType, ChannelID: patient, Text: "Running late, see you at 3", Type: "regular", UserID: patient,
		Attachments: []Attachment{{Type: "image", ImageURL: "https://api.twilio.com/media/ME1.jpg", MimeType: "image/jpeg"}},
		Custom:      map[string]any{"sms_direction": "inbound", "sms_sid": "SM1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored = %+v\nwant     %+v", got, want)
	}
	if msgs := srv.Messages(smsType, patient); len(msgs) != 1 || msgs[0].ID != "sms-SM1" {
		t.Errorf("Messages() = %+v", msgs)
	}
}

func TestSendMessageIsRefused(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name         string
		channel      string
		user         string
		status, code int
		message      string
	}{
		{"when the id is already used", patient, patient, 400, 4, `SendMessage failed with error: "a message with ID sms-SM1 already exists"`},
		{"when the channel does not exist", "12015550199", patient, 404, 16, `SendMessage failed with error: "Can't find channel with id sms:12015550199"`},
		{"when the author does not exist", patient, "12015550198", 400, 4, `SendMessage failed with error: "user "12015550198" doesn't exist"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			seedSMS(t, c)
			if _, err := c.Channel(smsType, patient).SendMessage(ctx, inbound("sms-SM1"), patient); err != nil {
				t.Fatal(err)
			}
			_, err := c.Channel(smsType, tt.channel).SendMessage(ctx, inbound("sms-SM1"), tt.user)
			if se := streamError(t, err, tt.status, tt.code); se.Message != tt.message {
				t.Errorf("message = %q, want %q", se.Message, tt.message)
			}
			if n := len(srv.Messages(smsType, patient)); n != 1 {
				t.Errorf("%d messages stored, want 1", n)
			}
		})
	}
}

func TestConcurrentSendsWithOneIDStoreOneMessage(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)

	const senders = 16
	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for range senders {
		wg.Go(func() {
			_, err := c.Channel(smsType, patient).SendMessage(context.Background(), inbound("sms-SM1"), patient)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		var se stream.Error
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &se) || se.Code != 4:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || len(srv.Messages(smsType, patient)) != 1 {
		t.Errorf("%d sends succeeded, %d messages stored; want 1 and 1", ok, len(srv.Messages(smsType, patient)))
	}
}

func TestGetMessageReturnsTheMessageWithItsCustomFields(t *testing.T) {
	_, c := newFake(t)
	seedSMS(t, c)
	ctx := context.Background()
	if _, err := c.Channel(smsType, patient).SendMessage(ctx, inbound("sms-SM1"), patient); err != nil {
		t.Fatal(err)
	}

	resp, err := c.GetMessage(ctx, "sms-SM1")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.Text != "Running late, see you at 3" || resp.Message.CID != "sms:"+patient || resp.Message.ExtraData["sms_sid"] != "SM1" {
		t.Errorf("message = %+v", resp.Message)
	}

	_, err = c.GetMessage(ctx, "sms-SM404")
	streamError(t, err, 404, 16)
}

func TestPartialUpdateMessageSetsAndUnsetsFields(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	ctx := context.Background()
	if _, err := c.Channel(smsType, patient).SendMessage(ctx, &stream.Message{Text: "Your appointment is at 3"}, admin); err != nil {
		t.Fatal(err)
	}
	id := srv.Messages(smsType, patient)[0].ID

	resp, err := c.PartialUpdateMessage(ctx, id, &stream.MessagePartialUpdateRequest{PartialUpdate: stream.PartialUpdate{
		Set: map[string]any{"sms_direction": "outbound", "sms_sid": "SM2", "sms_status": "queued", "text": "Your appointment is at 3pm"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.ExtraData["sms_status"] != "queued" {
		t.Errorf("response = %+v", resp.Message)
	}
	_, err = c.PartialUpdateMessage(ctx, id, &stream.MessagePartialUpdateRequest{PartialUpdate: stream.PartialUpdate{Unset: []string{"sms_sid"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Message(id)
	want := map[string]any{"sms_direction": "outbound", "sms_status": "queued"}
	if got.Text != "Your appointment is at 3pm" || !reflect.DeepEqual(got.Custom, want) || got.UpdatedAt.Before(got.CreatedAt) {
		t.Errorf("message = %+v", got)
	}

	_, err = c.PartialUpdateMessage(ctx, "sms-SM404", &stream.MessagePartialUpdateRequest{PartialUpdate: stream.PartialUpdate{Set: map[string]any{"a": 1}}})
	streamError(t, err, 404, 16)
}

func TestUpdateMessageReplacesTextAndCustomFields(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	ctx := context.Background()
	if _, err := c.Channel(smsType, patient).SendMessage(ctx, inbound("sms-SM1"), patient); err != nil {
		t.Fatal(err)
	}

	_, err := c.UpdateMessage(ctx, &stream.Message{Text: "Running late", ExtraData: map[string]any{"sms_direction": "inbound"}}, "sms-SM1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Message("sms-SM1")
	if got.Text != "Running late" || got.UserID != patient || len(got.Attachments) != 0 ||
		!reflect.DeepEqual(got.Custom, map[string]any{"sms_direction": "inbound"}) {
		t.Errorf("message = %+v", got)
	}
}

func TestSeededStateIsServed(t *testing.T) {
	srv, c := newFake(t)
	srv.PutUser(User{ID: patient, Name: "+1 201-555-0123"})
	srv.PutChannel(Channel{Type: smsType, ID: patient, Members: []string{patient}, CreatedBy: patient, Custom: map[string]any{"sms_opted_out": true}})
	srv.PutMessage(Message{ID: "sms-SM9", ChannelType: smsType, ChannelID: patient, UserID: patient, Text: "STOP"})

	if !srv.ChannelTypeExists(smsType) {
		t.Error("PutChannel did not create the channel type")
	}
	resp, err := c.GetMessage(context.Background(), "sms-SM9")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Message.Text != "STOP" || resp.Message.Type != "regular" || resp.Message.User.Name != "+1 201-555-0123" {
		t.Errorf("message = %+v", resp.Message)
	}
	q, err := c.Channel(smsType, patient).Query(context.Background(), &stream.QueryRequest{State: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Messages) != 1 || q.Channel.ExtraData["sms_opted_out"] != true {
		t.Errorf("query = %+v", q)
	}
}
