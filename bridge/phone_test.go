package bridge_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestParsePhoneAcceptsCommonNotations(t *testing.T) {
	tests := []struct{ input, region, want string }{
		{"(201) 555-0142", "US", "+12015550142"},
		{"201.555.0142", "US", "+12015550142"},
		{"+1 201-555-0142", "GB", "+12015550142"},
		{"020 7946 0123", "GB", "+442079460123"},
		{"+44 20 7946 0123", "US", "+442079460123"},
	}
	for _, tc := range tests {
		p, err := bridge.ParsePhone(tc.input, tc.region)
		if err != nil || p.Raw() != tc.want {
			t.Errorf("ParsePhone(%q, %s) = %q, %v; want %q", tc.input, tc.region, p.Raw(), err, tc.want)
		}
	}
}

func TestParsePhoneRefusesInvalidNumbers(t *testing.T) {
	for _, input := range []string{"", "12", "+1 555-010-0123", "not a number", "+12015550142\r\nX-Injected: 1", "whatsapp:+12015550142", "+1 201 555 0142 ext"} {
		_, err := bridge.ParsePhone(input, "US")
		var be *bridge.Error
		if !errors.Is(err, bridge.ErrInvalid) || !errors.As(err, &be) || be.Code != "invalid_phone" {
			t.Errorf("ParsePhone(%q) err = %v, want invalid_phone", input, err)
		}
	}
}

func TestPhoneNeverPrintsTheFullNumber(t *testing.T) {
	p := bridge.SenderPhone("+12015550123")
	js, _ := json.Marshal(struct{ P bridge.Phone }{p})
	for _, out := range []string{p.String(), fmt.Sprintf("%v", p), fmt.Sprintf("%+v", struct{ P bridge.Phone }{p}), fmt.Sprintf("%#v", p), string(js)} {
		if strings.Contains(out, "2015550123") || strings.Contains(out, "555") {
			t.Errorf("leaked number: %s", out)
		}
		if !strings.HasSuffix(strings.Trim(out, `"}`), "23") {
			t.Errorf("redacted form %q should keep the last two digits", out)
		}
	}
	if got := p.String(); got != "+1••••••••23" {
		t.Errorf("String() = %q", got)
	}
}

func TestNormalizeAdminID(t *testing.T) {
	if got := bridge.NormalizeAdminID(" Front Desk "); got != "front_desk" {
		t.Errorf("got %q", got)
	}
}
