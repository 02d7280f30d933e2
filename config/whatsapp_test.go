package config_test

import (
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestAWhatsAppSenderInTwilioFromNumberIsRefusedSayingWhereItGoes(t *testing.T) {
	setValid(t)
	t.Setenv("TWILIO_FROM_NUMBER", "whatsapp:+12015550100")
	_, err := config.Load()
	if err == nil {
		t.Fatal("Load accepted a WhatsApp sender as the SMS number")
	}
	for _, want := range []string{"TWILIO_FROM_NUMBER", "TWILIO_WHATSAPP_FROM", "LOCATIONS_FILE", "Messaging Service"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "2015550100") {
		t.Errorf("error quotes the value: %v", err)
	}
}

func TestTwilioWhatsAppFromIsAWhatsAppAddressWithAValidNumber(t *testing.T) {
	for _, tc := range []struct {
		value string
		ok    bool
	}{
		{"whatsapp:+12015550100", true},
		{"", true},
		{"+12015550100", false},
		{"whatsapp:12015550100", false},
		{"whatsapp:+1201555", false},
		{"WhatsApp:+12015550100", false},
	} {
		t.Run(tc.value, func(t *testing.T) {
			setValid(t)
			t.Setenv("TWILIO_WHATSAPP_FROM", tc.value)
			c, err := config.Load()
			switch {
			case tc.ok && err != nil:
				t.Errorf("refused: %v", err)
			case tc.ok && c.TwilioWhatsAppFrom != tc.value:
				t.Errorf("TwilioWhatsAppFrom = %q", c.TwilioWhatsAppFrom)
			case !tc.ok && (err == nil || !strings.Contains(err.Error(), "TWILIO_WHATSAPP_FROM")):
				t.Errorf("err = %v, want TWILIO_WHATSAPP_FROM named", err)
			}
		})
	}
}
