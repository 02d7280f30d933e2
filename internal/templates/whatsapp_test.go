package templates_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/internal/templates"
)

func TestAWhatsAppTemplateMapsItsPlaceholdersToNumberedVariables(t *testing.T) {
	s := load(t)
	params := map[string]string{"first_name": "Ana", "clinic": "Elm Street Clinic", "date": "May 6", "time": "10:30"}
	text, err := s.Resolve("", "appointment_whatsapp", params)
	if err != nil || text != "Hi Ana, your appointment at Elm Street Clinic is on May 6 at 10:30. Tap Confirm or Reschedule." {
		t.Fatalf("the mirror's text = %q, %v", text, err)
	}
	sid, vars, ok := s.WhatsAppContent("appointment_whatsapp", params)
	want := map[string]string{"1": "Ana", "2": "May 6", "3": "10:30"}
	if !ok || sid != "HX0123456789abcdef0123456789abcdef" || !reflect.DeepEqual(vars, want) {
		t.Errorf("WhatsAppContent = %q, %v, %v; want the HX sid and %v", sid, vars, ok, want)
	}
	if _, _, ok := s.WhatsAppContent("appointment", params); ok {
		t.Error("a template without a whatsapp block has a WhatsApp version")
	}
	if _, _, ok := s.WhatsAppContent("nope", params); ok {
		t.Error("an unknown template has a WhatsApp version")
	}
}

func TestABadWhatsAppBlockIsRefusedNamingTheProblem(t *testing.T) {
	for _, tc := range []struct{ name, block, want string }{
		{"a content sid that is not HX and 32 hex digits", "{content_sid: HX12, variables: [first_name]}", "content_sid is not HX"},
		{"a variable the text does not have", "{content_sid: HX0123456789abcdef0123456789abcdef, variables: [first_name, phone]}",
			"variable 2 is not one of the text's placeholders"},
		{"a variable used twice", "{content_sid: HX0123456789abcdef0123456789abcdef, variables: [first_name, first_name]}", "variable 2 repeats"},
		{"an unknown key", "{content_sid: HX0123456789abcdef0123456789abcdef, body: x}", "unknown key body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yaml := "templates:\n  - name: a\n    text: \"Hi {first_name}\"\n    whatsapp: " + tc.block + "\n"
			_, err := templates.Parse([]byte(yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
