package streamtest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	stream "github.com/GetStream/stream-chat-go/v6"
)

func TestChannelTypeIsCreatedOnceAndCanBeRead(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	_, err := c.GetChannelType(ctx, smsType)
	se := streamError(t, err, 404, 16)
	if !strings.Contains(se.Message, `"sms"`) {
		t.Errorf("message %q does not name the type", se.Message)
	}

	created, err := c.CreateChannelType(ctx, stream.NewChannelType(smsType))
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != smsType || created.MaxMessageLength != 5000 || !created.PushNotifications {
		t.Errorf("created type = %+v", created.ChannelType)
	}
	if !srv.ChannelTypeExists(smsType) {
		t.Error("ChannelTypeExists(sms) = false after creation")
	}

	got, err := c.GetChannelType(ctx, smsType)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != smsType || len(got.Commands) != 1 || got.Commands[0].Name != "giphy" {
		t.Errorf("channel type = %+v, commands %v", got.ChannelType, got.Commands)
	}

	_, err = c.CreateChannelType(ctx, stream.NewChannelType(smsType))
	se = streamError(t, err, 400, 4)
	if !strings.Contains(se.Message, `channel type "sms" already exists`) {
		t.Errorf("message = %q", se.Message)
	}
}

func TestUpsertUsersCreatesThenReplacesUsers(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	resp, err := c.UpsertUsers(ctx, &stream.User{ID: patient, Name: "+1 201-555-0123", ExtraData: map[string]any{"sms_phone": "+12015550123"}})
	if err != nil {
		t.Fatal(err)
	}
	if u := resp.Users[patient]; u == nil || u.Role != "user" || u.ExtraData["sms_phone"] != "+12015550123" {
		t.Errorf("response user = %+v", resp.Users[patient])
	}
	want := User{ID: patient, Role: "user", Name: "+1 201-555-0123", Custom: map[string]any{"sms_phone": "+12015550123"}}
	if got, _ := srv.User(patient); !reflect.DeepEqual(got, want) {
		t.Errorf("stored user = %+v, want %+v", got, want)
	}

	if _, err := c.UpsertUser(ctx, &stream.User{ID: patient, Role: "admin", Name: "Patient"}); err != nil {
		t.Fatal(err)
	}
	want = User{ID: patient, Role: "admin", Name: "Patient"}
	if got, _ := srv.User(patient); !reflect.DeepEqual(got, want) {
		t.Errorf("replaced user = %+v, want %+v", got, want)
	}
}

func TestCreateChannelCreatesTheChannelWithMembersAndCustomData(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)

	want := Channel{Type: smsType, ID: patient, Members: []string{patient, admin}, CreatedBy: admin,
		Custom: map[string]any{"sms_phone": "+12015550123", "sms_opted_out": false}}
	if got, ok := srv.Channel(smsType, patient); !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("stored channel = %+v, want %+v", got, want)
	}

	resp, err := c.Channel(smsType, patient).Query(context.Background(), &stream.QueryRequest{State: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Channel.CID != "sms:"+patient || resp.Channel.ExtraData["sms_phone"] != "+12015550123" ||
		resp.Channel.CreatedBy.ID != admin || len(resp.Members) != 2 || resp.Members[0].User.ID != patient {
		t.Errorf("query response = %+v, members %+v", resp.Channel, resp.Members)
	}
}

func TestCreateChannelLeavesAnExistingChannelUnchanged(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	if _, err := c.UpsertUser(context.Background(), &stream.User{ID: "night_desk"}); err != nil {
		t.Fatal(err)
	}

	_, err := c.CreateChannel(context.Background(), smsType, patient, admin, &stream.ChannelRequest{
		Members: []string{"night_desk"}, ExtraData: map[string]any{"sms_phone": "changed"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Channel(smsType, patient)
	if !reflect.DeepEqual(got.Members, []string{patient, admin}) || got.Custom["sms_phone"] != "+12015550123" {
		t.Errorf("channel = %+v, want it unchanged", got)
	}
}

func TestCreateChannelIsRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("when a member does not exist", func(t *testing.T) {
		srv, c := newFake(t)
		seedSMS(t, c)
		_, err := c.CreateChannel(ctx, smsType, "12015550124", admin, &stream.ChannelRequest{Members: []string{"12015550124", admin}})
		se := streamError(t, err, 400, 4)
		if !strings.Contains(se.Message, "don't exist: [12015550124]") {
			t.Errorf("message = %q", se.Message)
		}
		if _, ok := srv.Channel(smsType, "12015550124"); ok {
			t.Error("channel was created")
		}
	})
	t.Run("when the channel type does not exist", func(t *testing.T) {
		_, c := newFake(t)
		seedSMS(t, c)
		_, err := c.CreateChannel(ctx, "whatsapp", patient, admin, nil)
		streamError(t, err, 404, 16)
	})
}

func TestPartialUpdateChannelSetsAndUnsetsCustomFields(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	ctx := context.Background()

	_, err := c.Channel(smsType, patient).PartialUpdate(ctx, stream.PartialUpdate{
		Set: map[string]any{"sms_opted_out": true}, Unset: []string{"sms_phone"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Channel(smsType, patient)
	if want := map[string]any{"sms_opted_out": true}; !reflect.DeepEqual(got.Custom, want) {
		t.Errorf("custom = %v, want %v", got.Custom, want)
	}

	_, err = c.Channel(smsType, "12015550199").PartialUpdate(ctx, stream.PartialUpdate{Set: map[string]any{"sms_opted_out": true}})
	se := streamError(t, err, 404, 16)
	if !strings.Contains(se.Message, "Can't find channel with id sms:12015550199") {
		t.Errorf("message = %q", se.Message)
	}
}
