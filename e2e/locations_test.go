package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/doctor/command"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestWithTwoSitesATextToEachNumberLandsInItsOwnChannel(t *testing.T) {
	a := startTwoSites(t)
	a.textTo(northNumber, "Hello north, this is the patient")
	a.textTo(southNumber, "Hello south, this is the patient")
	for _, tt := range []struct {
		id, location, clinic string
		admins               []string
	}{
		{northChannel, "north", northNumber, []string{"front_desk"}},
		{southChannel, "south", southNumber, []string{"south_desk", "front_desk"}},
	} {
		ch := a.channel(tt.id)
		if ch.Custom["sms_location"] != tt.location || ch.Custom["sms_clinic_number"] != tt.clinic {
			t.Errorf("channel %s: sms_location %v, sms_clinic_number %v; want %s, %s", tt.id,
				ch.Custom["sms_location"], ch.Custom["sms_clinic_number"], tt.location, tt.clinic)
		}
		if want := append([]string{"12015550123"}, tt.admins...); !slices.Equal(ch.Members, want) {
			t.Errorf("channel %s members = %v, want %v", tt.id, ch.Members, want)
		}
		if msgs := a.stream.Messages("sms", tt.id); len(msgs) != 1 || msgs[0].UserID != "12015550123" {
			t.Errorf("channel %s holds %d messages, want the one text by the one patient user", tt.id, len(msgs))
		}
	}
}

func TestWithTwoSitesAnAdminReplyInEachChannelLeavesFromThatChannelsNumber(t *testing.T) {
	a := startTwoSites(t)
	a.textTo(northNumber, "Hello north, this is the patient")
	a.textTo(southNumber, "Hello south, this is the patient")
	for i, tt := range []struct{ channel, from, id string }{{northChannel, northNumber, "reply-north"}, {southChannel, southNumber, "reply-south"}} {
		id := tt.id
		a.write(reply{ID: id, ChannelID: tt.channel, Author: "front_desk", Text: "Your results are ready"})
		assertEmptyOK(t, a.deliver(id, 1))
		sent := a.twilio.MessagesTo(patient)
		if len(sent) != i+1 || sent[i].From != tt.from {
			t.Fatalf("reply in %s: sent %+v, want From %s", tt.channel, sent, tt.from)
		}
	}
}

func TestWithTwoSitesStopToOneNumberLeavesTheOtherConversationOpen(t *testing.T) {
	a := startTwoSites(t)
	a.textTo(northNumber, "Hello north, this is the patient")
	a.textTo(southNumber, "STOP")
	if south, north := a.channel(southChannel), a.channel(northChannel); south.Custom["sms_opted_out"] != true ||
		north.Custom["sms_opted_out"] != false {
		t.Fatalf("opted out: south %v, north %v", south.Custom["sms_opted_out"], north.Custom["sms_opted_out"])
	}
	a.write(reply{ID: "reply-north", ChannelID: northChannel, Author: "front_desk", Text: "See you on Monday"})
	assertEmptyOK(t, a.deliver("reply-north", 1))
	a.write(reply{ID: "reply-south", ChannelID: southChannel, Author: "south_desk", Text: "See you on Tuesday"})
	assertEmptyOK(t, a.deliver("reply-south", 1))
	if sent := a.twilio.MessagesTo(patient); len(sent) != 1 || sent[0].From != northNumber {
		t.Errorf("sent %+v, want only the north reply", sent)
	}
	if m, _ := a.stream.Message("reply-south"); m.Custom["sms_error_code"] != "opted_out" {
		t.Errorf("south reply marked %v, want opted_out", m.Custom)
	}
}

func TestWithStreamTeamsChannelsAreTheirLocationsTeamAndAdminsCarryTheirLocations(t *testing.T) {
	a := startTwoSites(t, withEnv("STREAM_TEAMS", "true"))
	a.textTo(northNumber, "Hello north, this is the patient")
	a.textTo(southNumber, "Hello south, this is the patient")
	if n, s := a.channel(northChannel), a.channel(southChannel); n.Team != "north" || s.Team != "south" {
		t.Errorf("teams: north channel %q, south channel %q", n.Team, s.Team)
	}
	a.token("south_desk") // the login's upsert writes the teams too
	for admin, want := range map[string][]string{"front_desk": {"north", "south"}, "south_desk": {"south"}} {
		if u, ok := a.stream.User(admin); !ok || !slices.Equal(u.Teams, want) || u.Role != "admin" {
			t.Errorf("%s = %+v, want role admin, teams %v", admin, u, want)
		}
	}
}

func TestWithoutStreamTeamsNoChannelHasATeam(t *testing.T) {
	a := startTwoSites(t)
	a.textTo(southNumber, "Hello south, this is the patient")
	if s := a.channel(southChannel); s.Team != "" {
		t.Errorf("team = %q, want none", s.Team)
	}
}

func TestWithTwoSitesLoginNamesTheAdminsLocations(t *testing.T) {
	a := startTwoSites(t)
	for admin, want := range map[string]string{"front_desk": "north,south", "south_desk": "south", "dr_lee": ""} {
		r := a.login(admin, apiPassword)
		var got struct {
			Locations []struct {
				ID, Name string
				Numbers  []string
			}
		}
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil || r.Status != http.StatusOK {
			t.Fatalf("login of %s: %d %s", admin, r.Status, r.Body)
		}
		var ids []string
		for _, l := range got.Locations {
			ids = append(ids, l.ID)
		}
		if strings.Join(ids, ",") != want {
			t.Errorf("%s's locations = %v, want %s", admin, ids, want)
		}
	}
}

func TestWithTwoSitesSouthDeskCannotSendANorthReminderAndTheDefaultLocationRuleHolds(t *testing.T) {
	a := startTwoSites(t)
	text := "Reminder: your appointment is tomorrow at 10:00."
	south := a.token("south_desk")
	r := a.remind(south, map[string]any{"phoneNumber": reminderPatient, "messageText": text, "location": "north"})
	if r.Status != http.StatusForbidden || apiErrorCode(r) != "location_forbidden" {
		t.Fatalf("north reminder by south_desk = %d %s, want 403 location_forbidden", r.Status, r.Body)
	}
	if r := a.remind(south, map[string]any{"phoneNumber": reminderPatient, "messageText": text, "location": "east"}); r.Status != http.StatusBadRequest || apiErrorCode(r) != "unknown_location" {
		t.Errorf("unknown location = %d %s, want 400 unknown_location", r.Status, r.Body)
	}
	if n := len(a.twilio.MessagesTo(reminderPatient)); n != 0 {
		t.Fatalf("%d reminders sent before any was allowed", n)
	}
	for _, tt := range []struct{ admin, channel, from string }{
		{"south_desk", "12015550142-south", southNumber}, // their only location
		{"front_desk", "12015550142", northNumber},       // the first of theirs
	} {
		r := a.remind(a.token(tt.admin), map[string]any{"phoneNumber": reminderPatient, "messageText": text})
		var got struct{ ChannelID, Location string }
		_ = json.Unmarshal([]byte(r.Body), &got)
		sent := a.twilio.MessagesTo(reminderPatient)
		if r.Status != http.StatusOK || got.ChannelID != tt.channel || sent[len(sent)-1].From != tt.from {
			t.Errorf("%s's reminder: %d %s, sent from %q; want channel %s from %s", tt.admin, r.Status, r.Body,
				sent[len(sent)-1].From, tt.channel, tt.from)
		}
		if ch := a.channel(tt.channel); ch.Custom["sms_clinic_number"] != tt.from {
			t.Errorf("channel %s: sms_clinic_number %v", tt.channel, ch.Custom["sms_clinic_number"])
		}
	}
}

func TestWithTwoSitesAScheduledReminderForALocationWithoutAServiceIs400(t *testing.T) {
	a := startTwoSites(t)
	token := a.token("front_desk")
	sendAt := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	body := map[string]any{"phoneNumber": reminderPatient, "messageText": "Reminder: your appointment is next week.",
		"sendAt": sendAt, "location": "north"}
	r := a.remind(token, body)
	if r.Status != http.StatusBadRequest || apiErrorCode(r) != "scheduling_unavailable" || !strings.Contains(r.Body, "North Street Clinic") {
		t.Fatalf("north scheduled reminder = %d %s, want 400 scheduling_unavailable naming North Street Clinic", r.Status, r.Body)
	}
	body["location"] = "south"
	if r := a.remind(token, body); r.Status != http.StatusOK {
		t.Fatalf("south scheduled reminder = %d %s", r.Status, r.Body)
	}
	sent := a.twilio.MessagesTo(reminderPatient)
	if len(sent) != 1 || sent[0].MessagingServiceSid != southService || sent[0].Status != "scheduled" {
		t.Errorf("sent %+v, want one scheduled through south's service", sent)
	}
}

func TestATextToAnUnlistedNumberIsStoredAndTheDoctorNamesTheGap(t *testing.T) {
	a := startTwoSites(t)
	for _, n := range []string{northNumber, southNumber, unlistedNumber} {
		a.twilio.AddNumber(twiliotest.IncomingNumber{PhoneNumber: n, SmsURL: publicURL + "/receive-sms"})
	}
	a.twilio.AddService(twiliotest.MessagingService{Sid: southService, InboundRequestURL: publicURL + "/receive-sms",
		Numbers: []string{southNumber}})
	a.textTo(unlistedNumber, "Hello, is this the clinic?")
	ch := a.channel(northChannel)
	if ch.Custom["sms_location"] != "north" || ch.Custom["sms_clinic_number"] != unlistedNumber {
		t.Errorf("channel fields %v, want the first location with the number texted", ch.Custom)
	}
	if msgs := a.stream.Messages("sms", northChannel); len(msgs) != 1 {
		t.Errorf("%d messages stored, want 1", len(msgs))
	}
	if logs := a.logs.String(); !strings.Contains(logs, "no location lists") || !strings.Contains(logs, unlistedNumber) {
		t.Errorf("no warning naming the unlisted clinic number in the logs")
	}
	var out bytes.Buffer
	command.Run(t.Context(), []string{"--json"}, &out, &out)
	var report struct {
		Checks []struct{ ID, Status, Found string }
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("doctor: %v\n%s", err, out.String())
	}
	found := false
	for _, c := range report.Checks {
		if c.ID == "twilio.number.unlisted" && c.Status != "ok" && strings.Contains(c.Found, "09") {
			found = true
		}
	}
	if !found {
		t.Errorf("the doctor does not name the unlisted number:\n%s", out.String())
	}
}
