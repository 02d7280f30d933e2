package templates_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/templates"
)

func load(t *testing.T) *templates.Set {
	t.Helper()
	s, err := templates.Load("testdata/templates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheExampleFileListsItsTemplatesWithTheirPlaceholdersInOrder(t *testing.T) {
	got := load(t).List()
	want := []templates.Template{
		{Name: "appointment", Text: "Hi {first_name}, this is {clinic}: your appointment is on {date} at {time}. Reply C to confirm or R to reschedule.",
			Placeholders: []string{"first_name", "clinic", "date", "time"}},
		{Name: "recall", Text: "Hi {first_name}, it is time for your yearly check-up at {clinic}. Call us to book.",
			Placeholders: []string{"first_name", "clinic"}},
		{Name: "appointment_whatsapp", Text: "Hi {first_name}, your appointment at {clinic} is on {date} at {time}. Tap Confirm or Reschedule.",
			Placeholders: []string{"first_name", "clinic", "date", "time"},
			WhatsApp:     &templates.WhatsApp{ContentSid: "HX0123456789abcdef0123456789abcdef", Variables: []string{"first_name", "date", "time"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List() = %+v\nwant %+v", got, want)
	}
}

func TestResolveFillsATemplateOrPassesTypedTextThrough(t *testing.T) {
	s := load(t)
	params := map[string]string{"first_name": "Ana", "clinic": "Elm Street Clinic", "date": "May 6", "time": "10:30",
		"unused": "ignored"}
	for _, tc := range []struct {
		name, text, template string
		params               map[string]string
		want                 string
	}{
		{"a template gets every placeholder filled", "", "appointment", params,
			"Hi Ana, this is Elm Street Clinic: your appointment is on May 6 at 10:30. Reply C to confirm or R to reschedule."},
		{"a placeholder used twice is filled twice", "", "recall", params,
			"Hi Ana, it is time for your yearly check-up at Elm Street Clinic. Call us to book."},
		{"a value that looks like a placeholder is not filled again", "", "recall",
			map[string]string{"first_name": "{clinic}", "clinic": "Elm"},
			"Hi {clinic}, it is time for your yearly check-up at Elm. Call us to book."},
		{"typed text is used as it is", "See you at 10 {not a placeholder}", "", nil, "See you at 10 {not a placeholder}"},
		{"neither gives an empty text for the reminder rules to refuse", "", "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Resolve(tc.text, tc.template, tc.params)
			if err != nil || got != tc.want {
				t.Errorf("Resolve = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestResolveRefusesWhatCannotBeSentAsInvalidWithACode(t *testing.T) {
	s := load(t)
	for _, tc := range []struct {
		name, text, template string
		params               map[string]string
		set                  *templates.Set
		wantCode, wantInMsg  string
	}{
		{"an unknown template", "", "birthday", nil, s, "unknown_template", "birthday"},
		{"a template when none are configured", "", "appointment", nil, nil, "unknown_template", "appointment"},
		{"a name that is not a name is not echoed", "", "+12015550142 Ana", nil, s, "unknown_template", "not a template name"},
		{"a missing placeholder is named", "", "appointment",
			map[string]string{"first_name": "Ana", "clinic": "Elm", "date": "May 6"}, s, "missing_param", "{time}"},
		{"an empty value counts as missing", "", "recall", map[string]string{"first_name": "", "clinic": "Elm"}, s,
			"missing_param", "{first_name}"},
		{"no params at all names the first placeholder", "", "recall", nil, s, "missing_param", "{first_name}"},
		{"text and a template together", "See you", "recall", nil, s, "text_and_template", "not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.set.Resolve(tc.text, tc.template, tc.params)
			var be *bridge.Error
			if !errors.As(err, &be) || !errors.Is(err, bridge.ErrInvalid) || be.Code != tc.wantCode ||
				!strings.Contains(be.Message, tc.wantInMsg) {
				t.Fatalf("Resolve = %q, %v; want %s naming %q", got, err, tc.wantCode, tc.wantInMsg)
			}
			if strings.Contains(be.Message, "2015550142") {
				t.Errorf("the error quotes the input: %s", be.Message)
			}
		})
	}
}

func TestABadTemplateFileIsRefusedNamingTheProblem(t *testing.T) {
	long := strings.Repeat("a", bridge.MaxTextLength+1)
	for _, tc := range []struct{ name, yaml, want string }{
		{"an empty file", "", "empty"},
		{"no templates", "templates: []\n", "no templates"},
		{"not YAML", "templates: [\n", "line 2 column 1: did not find expected node content"},
		{"a misspelt key", "templates:\n  - name: a\n    txt: Hi\n", "line 3: unknown key txt"},
		{"a name that is a list", "templates:\n  - name: [a]\n    text: Hi\n", "line 2: wrong kind of value"},
		{"a template without a name", "templates:\n  - text: Hi\n", "template 1 has no name"},
		{"a name with spaces", "templates:\n  - name: day before\n    text: Hi\n", "template 1 has no name"},
		{"a repeated name", "templates:\n  - name: a\n    text: Hi\n  - name: a\n    text: Ho\n", "template 2 repeats the name a"},
		{"a template without text", "templates:\n  - name: a\n    text: \"  \"\n", "template a has no text"},
		{"a text over 1600 characters", "templates:\n  - name: a\n    text: " + long + "\n", "template a is longer than 1600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := templates.Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLoadSaysWhenTheFileIsMissingAndAnEmptyPathIsNoTemplates(t *testing.T) {
	if _, err := templates.Load(filepath.Join(t.TempDir(), "nope.yaml")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
	s, err := templates.Load("")
	if err != nil || len(s.List()) != 0 {
		t.Errorf("empty path: %v %v", s, err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte("templates:\n  - name: a\n    text: Hi {x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := templates.Load(filepath.Join(dir, "t.yaml")); err != nil || len(s.List()) != 1 {
		t.Errorf("a good file: %v %v", s, err)
	}
}
