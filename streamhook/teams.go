package streamhook

import (
	"maps"
	"slices"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// UseTeams turns on Stream's multi-tenancy (STREAM_TEAMS, docs/locations.md):
// each channel the bridge creates gets its location's id as team, and every
// upsert of an admin user (at login, and with a new conversation) writes
// the admin's teams, their locations, since Stream's upsert replaces the
// user. Stream then keeps each site's desk out of the other's channels.
// teams maps an admin id to their location ids. Call it before serving.
func (c *Chat) UseTeams(teams map[string][]string) *Chat {
	c.teams = maps.Clone(teams)
	if c.teams == nil {
		c.teams = map[string][]string{}
	}
	return c
}

// adminUser is the admin's Stream user as every upsert writes it.
func (c *Chat) adminUser(id string) *stream.User {
	u := &stream.User{ID: id, Name: id, Role: adminRole}
	if c.teams != nil {
		u.Teams = slices.Clone(c.teams[id])
	}
	return u
}

// channelTeam is a new channel's team: its location, with teams on.
func (c *Chat) channelTeam(location string) string {
	if c.teams == nil {
		return ""
	}
	return location
}
