package bridge_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestOnlyAnE164SenderMapsToThePatientsDigits(t *testing.T) {
	tests := []struct{ from, channel, user string }{
		{"+12015550123", "12015550123", "12015550123"},
		{"whatsapp:+12015550123", "wa_12015550123", "12015550123"}, // one user per phone number
		{"+", "", ""},
	}
	for _, tc := range tests {
		p := bridge.SenderPhone(tc.from)
		if p.ChannelID() != tc.channel || p.UserID() != tc.user {
			t.Errorf("%q: channel %q, user %q; want %q, %q", tc.from, p.ChannelID(), p.UserID(), tc.channel, tc.user)
		}
	}
}

func TestEveryOtherSenderGetsAPrefixNoE164NumberCanProduce(t *testing.T) {
	digits := regexp.MustCompile(`^[0-9]+$`)
	// A valid Stream channel id without "-", which a location's channel adds.
	valid := regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	seen := map[string]string{}
	for _, from := range []string{
		"12015550123", "+1 201 555 0123", "+1-201-555-0123", "(201) 555-0123", "72345", "CLINIC", "MyClinic",
		"whatsapp:US.13491208655302741918", "whatsapp:+1 201 555 0123", "whatsapp:12015550123",
		"+120155501230000000", strings.Repeat("A", 200),
	} {
		id := bridge.SenderPhone(from).ChannelID()
		switch {
		case digits.MatchString(id):
			t.Errorf("%q got the digits-only id %q of a patient's number", from, id)
		case !valid.MatchString(id):
			t.Errorf("%q got %q, not a valid Stream channel id free of \"-\"", from, id)
		case seen[id] != "":
			t.Errorf("%q and %q share the channel %q", from, seen[id], id)
		}
		seen[id] = from
		if again := bridge.SenderPhone(from).ChannelID(); again != id {
			t.Errorf("%q: the id is not stable: %q then %q", from, id, again)
		}
	}
}

func TestTwoNotationsOfOneNumberLandInTwoChannels(t *testing.T) {
	in, chat := newInbound()
	for i, from := range []string{"+1 201 555 0123", "+12015550123"} {
		if _, err := in.Relay(context.Background(), sms("SM"+string(rune('A'+i)), from, "STOP")); err != nil {
			t.Fatal(err)
		}
	}
	spaced := bridge.SenderPhone("+1 201 555 0123").ChannelID()
	if spaced == "12015550123" || chat.convs[spaced].ChannelID == "" || chat.convs["12015550123"].ChannelID == "" {
		t.Errorf("channels %v: want the patient's 12015550123 and another for the spaced notation", keys(chat.convs))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
