package adminapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestTextThatIsNotUTF8Is400InvalidTextNeverReplaced(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"a byte that is not UTF-8", "See you \xff tomorrow"},
		{"a truncated sequence", "See you \xe2\x82"},
		{"an escaped lone high surrogate", `See you \ud83d tomorrow`},
		{"an escaped lone low surrogate", `See you \ude00`},
		{"a high surrogate followed by another high one", `\ud83d\ud83d`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			tok := adminToken(t, "front_desk")
			for _, path := range []string{"/send-reminder", "/sms-preview"} {
				body := `{"phoneNumber":"+1 201-555-0142","messageText":"` + tc.text + `"}`
				rec := v.do(http.MethodPost, path, body, "Authorization", "Bearer "+tok)
				var got struct{ Code, Error string }
				_ = jsonDecode(rec, &got)
				if rec.Code != http.StatusBadRequest || got.Code != "invalid_text" || !strings.Contains(got.Error, "UTF-8") {
					t.Errorf("%s: got %d %s, want 400 invalid_text", path, rec.Code, rec.Body)
				}
			}
			if len(v.reminders.got) != 0 {
				t.Error("a reminder was sent")
			}
		})
	}
}

func TestEscapedPairsAndEscapedBackslashesAreText(t *testing.T) {
	v := newEnv(t)
	body := `{"phoneNumber":"+1 201-555-0142","messageText":"See you \ud83d\ude00 at C:\\ud83d"}`
	if rec := v.remind(adminToken(t, "front_desk"), body); rec.Code != http.StatusOK {
		t.Fatalf("got %d %s, want 200", rec.Code, rec.Body)
	}
	if got := v.reminders.got[0].Text; got != `See you 😀 at C:\ud83d` {
		t.Errorf("text = %q", got)
	}
}
