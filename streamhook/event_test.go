package streamhook

import (
	"encoding/json"
	"testing"
)

func TestTheChannelsFieldsAreTakenFromTheEventWhenItCarriesThem(t *testing.T) {
	const msg = `"type":"message.new","channel_type":"sms","channel_id":"12015550123","message":{"id":"m1","text":"hi"}`
	tests := []struct {
		name      string
		body      string
		carried   bool
		optedOut  bool
		phoneTail string
	}{
		{"the documented v1 payload carries none", `{` + msg + `}`, false, false, ""},
		{"channel_custom", `{` + msg + `,"channel_custom":{"sms_phone":"+12015550142","sms_opted_out":true}}`, true, true, "42"},
		{"a channel object with flattened custom fields", `{` + msg + `,"channel":{"id":"12015550123","sms_phone":"+12015550142"}}`, true, false, "42"},
		{"a channel object with custom fields under custom", `{` + msg + `,"channel":{"id":"12015550123","custom":{"sms_opted_out":true}}}`, true, true, ""},
		{"an empty channel_custom: a channel without the fields", `{` + msg + `,"channel_custom":{}}`, true, false, ""},
		{"sms_opted_out that is not a boolean counts as absent", `{` + msg + `,"channel_custom":{"sms_opted_out":"yes"}}`, true, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e event
			if err := json.Unmarshal([]byte(tc.body), &e); err != nil {
				t.Fatal(err)
			}
			ch := e.toBridge(1).Channel
			if (ch != nil) != tc.carried {
				t.Fatalf("channel = %+v, want carried %v", ch, tc.carried)
			}
			if ch == nil {
				return
			}
			raw := ch.Phone.Raw()
			if ch.OptedOut != tc.optedOut || (tc.phoneTail == "") != (raw == "") || (raw != "" && raw[len(raw)-2:] != tc.phoneTail) {
				t.Errorf("channel = opted out %v, phone %s", ch.OptedOut, ch.Phone)
			}
		})
	}
}
