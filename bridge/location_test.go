package bridge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/coord"
)

const (
	northNumber   = "+12015550100"
	northSecond   = "+12015550102"
	southNumber   = "+12015550101"
	southService  = "MG0123456789abcdef0123456789abcdef"
	unlistedClinc = "+12015550109"
)

// twoSites are the north and south locations: front_desk works at
// both, south_desk at south only.
func twoSites() bridge.Locations {
	return bridge.Locations{
		{ID: "north", Name: "North Street Clinic", Numbers: []string{northNumber, northSecond}, Admins: []string{"front_desk"}},
		{ID: "south", Name: "South Avenue Clinic", Numbers: []string{southNumber}, MessagingServiceSID: southService,
			Admins: []string{"south_desk", "front_desk"}},
	}
}

func inboundAt(sid, to string) bridge.InboundSMS {
	m := sms(sid, "+12015550123", "Can I move my appointment?")
	m.To = to
	return m
}

func TestATextToEachLocationsNumberLandsInItsOwnConversation(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	for _, tt := range []struct {
		sid, to, channel, location string
		admins                     []string
	}{
		{"SM1", northNumber, "12015550123", "north", []string{"front_desk"}},
		{"SM2", southNumber, "12015550123-south", "south", []string{"south_desk", "front_desk"}},
	} {
		res, err := in.Relay(context.Background(), inboundAt(tt.sid, tt.to))
		if err != nil || res.Location != tt.location || res.Unlisted {
			t.Fatalf("relay to %s = %+v, %v", tt.to, res, err)
		}
		conv, ok := chat.convs[tt.channel]
		if !ok {
			t.Fatalf("no channel %s; channels: %v", tt.channel, keys(chat.convs))
		}
		if conv.Fields[bridge.FieldLocation] != tt.location || conv.Fields[bridge.FieldClinicNumber] != tt.to ||
			conv.Location != tt.location || !slices.Equal(conv.Admins, tt.admins) {
			t.Errorf("channel %s = location %v, clinic %v, admins %v", tt.channel,
				conv.Fields[bridge.FieldLocation], conv.Fields[bridge.FieldClinicNumber], conv.Admins)
		}
		if conv.Patient.ID != "12015550123" {
			t.Errorf("patient user of %s = %q, want the one user 12015550123", tt.channel, conv.Patient.ID)
		}
		if got := chat.messages["sms-"+tt.sid].ChannelID; got != tt.channel {
			t.Errorf("message %s in %q, want %q", tt.sid, got, tt.channel)
		}
	}
}

func TestATextToAnUnlistedNumberIsStoredInTheFirstLocation(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	res, err := in.Relay(context.Background(), inboundAt("SM1", unlistedClinc))
	if err != nil || !res.Unlisted || res.Location != "north" {
		t.Fatalf("relay = %+v, %v", res, err)
	}
	if got := chat.convs["12015550123"].Fields[bridge.FieldClinicNumber]; got != unlistedClinc {
		t.Errorf("sms_clinic_number = %v, want the number texted", got)
	}
}

func TestTheMessagingServicePicksTheLocationWhenToIsInNoList(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	m := inboundAt("SM1", "+12015550108")
	m.MessagingServiceSid = southService
	res, err := in.Relay(context.Background(), m)
	if err != nil || res.Unlisted || res.Location != "south" {
		t.Fatalf("relay = %+v, %v", res, err)
	}
	if _, ok := chat.convs["12015550123-south"]; !ok {
		t.Errorf("channels = %v, want the south one", keys(chat.convs))
	}
}

func TestTheClinicNumberFollowsThePatientsLatestText(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	ctx := context.Background()
	if _, err := in.Relay(ctx, inboundAt("SM1", northNumber)); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Relay(ctx, inboundAt("SM2", northSecond)); err != nil {
		t.Fatal(err)
	}
	if got := chat.channels["12015550123"][bridge.FieldClinicNumber]; got != northSecond {
		t.Errorf("after a text to the second number, sms_clinic_number = %v", got)
	}
	chat.calls = nil
	if _, err := in.Relay(ctx, inboundAt("SM3", northSecond)); err != nil {
		t.Fatal(err)
	}
	if chat.count("update_channel") != 0 {
		t.Errorf("the same number again wrote the channel: calls %v", chat.calls)
	}
}

func TestALocationWithOneNumberCostsTheSteadyStateNoExtraCall(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	if _, err := in.Relay(context.Background(), inboundAt("SM1", southNumber)); err != nil {
		t.Fatal(err)
	}
	chat.calls = nil
	if _, err := in.Relay(context.Background(), inboundAt("SM2", southNumber)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(chat.calls, []string{"post"}) {
		t.Errorf("calls = %v, want one post", chat.calls)
	}
}

func TestStopToOneLocationLeavesTheOtherConversationOpen(t *testing.T) {
	chat := newFakeChat()
	in := &bridge.Inbound{Chat: chat, Locations: twoSites()}
	ctx := context.Background()
	for _, m := range []bridge.InboundSMS{inboundAt("SM1", northNumber), inboundAt("SM2", southNumber)} {
		if _, err := in.Relay(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	stop := inboundAt("SM3", southNumber)
	stop.Body = "STOP"
	if _, err := in.Relay(ctx, stop); err != nil {
		t.Fatal(err)
	}
	if chat.channels["12015550123-south"][bridge.FieldOptedOut] != true || chat.channels["12015550123"][bridge.FieldOptedOut] != false {
		t.Errorf("opted out: south %v, north %v", chat.channels["12015550123-south"][bridge.FieldOptedOut],
			chat.channels["12015550123"][bridge.FieldOptedOut])
	}
}

func TestALocationsChannelIDStaysWithinStreamsLimitAndApart(t *testing.T) {
	locs := bridge.Locations{{ID: "a"}, {ID: strings.Repeat("b", 32)}}
	long1 := bridge.SenderPhone("whatsapp:" + strings.Repeat("x", 40) + "1")
	long2 := bridge.SenderPhone("whatsapp:" + strings.Repeat("x", 40) + "2")
	id1, id2 := locs.ChannelID(locs[1].ID, long1), locs.ChannelID(locs[1].ID, long2)
	if len(id1) > bridge.MaxChannelID || len(id2) > bridge.MaxChannelID || id1 == id2 {
		t.Errorf("ids %q (%d) and %q (%d): want both at most 64 and apart", id1, len(id1), id2, len(id2))
	}
	if !strings.HasPrefix(id1, "wa_id_") || !strings.HasSuffix(id1, "-"+locs[1].ID) {
		t.Errorf("id %q lost its prefix or location", id1)
	}
	if got := locs.ChannelID("a", bridge.SenderPhone("+12015550123")); got != "12015550123" {
		t.Errorf("first location's id = %q, want the digits", got)
	}
}

func TestAReminderGoesToTheAdminsLocationFromItsFirstNumber(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, admin, location, wantChannel, wantFrom string
		wantCode                                     string
	}{
		{"an admin with one location gets it by default", "south_desk", "", "12015550142-south", southNumber, ""},
		{"an admin with several gets their first", "front_desk", "", "12015550142", northNumber, ""},
		{"a named location is used", "front_desk", "south", "12015550142-south", southNumber, ""},
		{"another site's location is forbidden", "south_desk", "north", "", "", "location_forbidden"},
		{"an unknown location is refused", "front_desk", "east", "", "", "unknown_location"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, chat, sent := newReminders(false)
			r.Locations = twoSites()
			rem := reminder("Your appointment is tomorrow at 10.")
			rem.AdminID, rem.Location = tt.admin, tt.location
			res, err := r.Send(ctx, rem)
			if tt.wantCode != "" {
				var e *bridge.Error
				if !errors.As(err, &e) || e.Code != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				if len(sent.sent) != 0 || len(chat.calls) != 0 {
					t.Errorf("refused reminder still made calls: %v", chat.calls)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.ChannelID != tt.wantChannel || sent.sent[0].From != tt.wantFrom {
				t.Errorf("channel %q from %q, want %q from %q", res.ChannelID, sent.sent[0].From, tt.wantChannel, tt.wantFrom)
			}
			if got := chat.convs[tt.wantChannel].Fields[bridge.FieldClinicNumber]; got != tt.wantFrom {
				t.Errorf("sms_clinic_number = %v", got)
			}
		})
	}
}

func TestAScheduledReminderGoesThroughItsLocationsServiceOrIsRefusedNamingIt(t *testing.T) {
	r, _, sent := newReminders(false)
	r.Locations = twoSites()
	rem := reminder("Your appointment is next week.")
	rem.SendAt = reminderNow.Add(bridge.MinScheduleAhead + 1)
	rem.Location = "south"
	if _, err := r.Send(context.Background(), rem); err != nil {
		t.Fatal(err)
	}
	if m := sent.sent[0]; m.MessagingServiceSID != southService || m.From != "" {
		t.Errorf("scheduled send: service %q, from %q", m.MessagingServiceSID, m.From)
	}
	rem.Location = "north"
	_, err := r.Send(context.Background(), rem)
	var e *bridge.Error
	if !errors.As(err, &e) || e.Code != "scheduling_unavailable" || !strings.Contains(e.Message, "North Street Clinic") {
		t.Fatalf("err = %v, want scheduling_unavailable naming North Street Clinic", err)
	}
}

func TestANewProcessFindsASouthRowInTheSouthChannel(t *testing.T) {
	b, _, sms := newBatch()
	b.Reminders.Locations = twoSites()
	rem := reminder("Your appointment is tomorrow at 10.")
	rem.AdminID = "south_desk"
	rem.Key = rowKeys.RowKey(rem)
	if first := b.Send(context.Background(), rem); first.Outcome != bridge.RowSent {
		t.Fatalf("first = %+v", first)
	}
	b.Store = coord.NewMemory() // another process: only the chat knows
	if again := b.Send(context.Background(), rem); again.Outcome != bridge.RowAlreadySent || len(sms.sent) != 1 {
		t.Errorf("again = %+v, %d sent: the south reminder went out twice", again, len(sms.sent))
	}
}

func TestTheSameRowForTwoLocationsIsTwoReminders(t *testing.T) {
	b, _, sms := newBatch()
	b.Reminders.Locations = twoSites()
	for _, loc := range []string{"north", "south"} {
		rem := reminder("Your appointment is tomorrow at 10.")
		rem.Location = loc
		if res := b.Send(context.Background(), rem); res.Outcome != bridge.RowSent {
			t.Errorf("%s row = %+v, want sent", loc, res)
		}
	}
	if len(sms.sent) != 2 || sms.sent[0].From != northNumber || sms.sent[1].From != southNumber {
		t.Errorf("sent %+v, want one from each location", sms.sent)
	}
}
