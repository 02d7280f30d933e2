package streamtest

import (
	"crypto/rand"
	"fmt"
	"time"
)

// User is a Stream user as the fake stores it.
type User struct {
	ID, Role, Name string
	Teams          []string       // the user's teams (multi-tenancy), as the last upsert wrote them
	Custom         map[string]any // custom fields, e.g. from User.ExtraData
}

// Channel is a Stream channel as the fake stores it.
type Channel struct {
	Type, ID  string
	Members   []string // user ids, in the order they were added
	CreatedBy string   // user id
	Team      string   // the channel's team (multi-tenancy); empty: none
	Custom    map[string]any
}

// Attachment is a message attachment. MimeType is a custom field in Stream's
// schema but common enough to get its own field. Custom holds every other
// field: the custom ones and the declared ones not modelled here (title,
// thumb_url, …), so an attachment round-trips unchanged.
type Attachment struct {
	Type, ImageURL, AssetURL, MimeType string
	Custom                             map[string]any
}

// Message is a Stream message as the fake stores it. Custom holds the
// message's custom fields (the unknown top-level keys of the request).
type Message struct {
	ID, ChannelType, ChannelID, Text, Type, UserID string
	Silent                                         bool
	Attachments                                    []Attachment
	Custom                                         map[string]any
	CreatedAt, UpdatedAt                           time.Time
}

// state is everything the fake knows. It is guarded by Server.mu.
type state struct {
	types    map[string]*channelType
	users    map[string]*userRecord
	channels map[string]*channelRecord // by cid, "type:id"
	messages map[string]*Message       // by message id
	byCID    map[string][]string       // message ids per channel, in creation order

	disableAuthChecks bool             // the app setting (app.go)
	app               map[string]any   // the app's other settings, as GetApp shows them (app.go)
	appUpdates        []map[string]any // the body of each PATCH /app
}

type channelType struct {
	name                 string
	config               map[string]any // the create request, as sent
	createdAt, updatedAt time.Time
}

type userRecord struct {
	User
	createdAt, updatedAt time.Time
}

type channelRecord struct {
	Channel
	createdAt, updatedAt time.Time
}

func newState() state {
	return state{
		types:    map[string]*channelType{},
		users:    map[string]*userRecord{},
		channels: map[string]*channelRecord{},
		messages: map[string]*Message{},
		byCID:    map[string][]string{},
		app:      newApp(),
	}
}

func cid(typ, id string) string { return typ + ":" + id }

// now is the fake's clock: UTC, without the monotonic reading, so stored
// times compare equal to their JSON round trip at the same precision.
func now() time.Time { return time.Now().UTC().Round(0) }

// newMessageID returns a random UUID v4, the form of the ids Stream generates.
func newMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (st *state) addChannelType(name string, config map[string]any) {
	t := now()
	st.types[name] = &channelType{name: name, config: config, createdAt: t, updatedAt: t}
}

func (st *state) putUser(u User) {
	if u.Role == "" {
		u.Role = "user"
	}
	t := now()
	rec := &userRecord{User: copyUser(u), createdAt: t, updatedAt: t}
	if old, ok := st.users[u.ID]; ok {
		rec.createdAt = old.createdAt
	}
	st.users[u.ID] = rec
}

func (st *state) putMessage(m Message) *Message {
	if m.ID == "" {
		m.ID = newMessageID()
	}
	if m.Type == "" {
		m.Type = "regular"
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now()
	}
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = m.CreatedAt
	}
	stored := copyMessage(m)
	if _, exists := st.messages[m.ID]; !exists {
		c := cid(m.ChannelType, m.ChannelID)
		st.byCID[c] = append(st.byCID[c], m.ID)
	}
	st.messages[m.ID] = &stored
	return &stored
}

// user returns the stored user, or a bare one for an id the fake does not
// know (only reachable through seeding), so responses stay well-formed.
func (st *state) user(id string) *userRecord {
	if u, ok := st.users[id]; ok {
		return u
	}
	return &userRecord{User: User{ID: id, Role: "user"}}
}
