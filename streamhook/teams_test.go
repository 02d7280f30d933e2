package streamhook_test

import (
	"context"
	"slices"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestWithTeamsAChannelsTeamIsItsLocationAndEveryAdminUpsertWritesTheirTeams(t *testing.T) {
	fake, chats := newChats(t)
	teams := map[string][]string{"front_desk": {"north", "south"}, "south_desk": {"south"}}
	for name, chat := range chats {
		t.Run(name, func(t *testing.T) {
			chat.UseTeams(teams)
			channelID := "12015550142-south-" + map[string]string{"directly": "d", "through stream-chat-go": "s"}[name]
			conv := bridge.Conversation{ChannelID: channelID, Location: "south", CreatedBy: "south_desk",
				Patient: bridge.User{ID: "12015550142", Name: "+1 201-555-0142", Role: "user"},
				Admins:  []string{"south_desk", "front_desk"}, Fields: map[string]any{bridge.FieldLocation: "south"},
				NewPatient: true}
			if _, err := chat.CreateConversation(context.Background(), conv); err != nil {
				t.Fatal(err)
			}
			ch, ok := fake.Channel("sms", channelID)
			if !ok || ch.Team != "south" {
				t.Errorf("channel team = %q (found %v), want south", ch.Team, ok)
			}
			for admin, want := range teams {
				if u, _ := fake.User(admin); !slices.Equal(u.Teams, want) {
					t.Errorf("%s's teams = %v, want %v", admin, u.Teams, want)
				}
			}
			// The login's upsert replaces the user: the teams are written again.
			if err := chat.UpsertAdmin(context.Background(), "south_desk"); err != nil {
				t.Fatal(err)
			}
			if u, _ := fake.User("south_desk"); !slices.Equal(u.Teams, []string{"south"}) || u.Role != "admin" {
				t.Errorf("after login, south_desk = %+v", u)
			}
		})
	}
}

func TestWithoutTeamsNoChannelHasATeam(t *testing.T) {
	fake, chats := newChats(t)
	chat := chats["directly"]
	conv := bridge.Conversation{ChannelID: "12015550142", Location: "default", CreatedBy: "front_desk",
		Patient: bridge.User{ID: "12015550142", Role: "user"}, Admins: []string{"front_desk"}, NewPatient: true}
	if _, err := chat.CreateConversation(context.Background(), conv); err != nil {
		t.Fatal(err)
	}
	if ch, _ := fake.Channel("sms", "12015550142"); ch.Team != "" {
		t.Errorf("team = %q, want none", ch.Team)
	}
	if u, _ := fake.User("front_desk"); len(u.Teams) != 0 {
		t.Errorf("teams = %v, want none", u.Teams)
	}
}
