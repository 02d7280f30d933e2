package templates

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/yamlfile"
)

// Template is one named reminder text with {word} placeholders.
type Template struct {
	Name string
	Text string
	// Placeholders are the text's {word} names, in order of first use.
	Placeholders []string
	// WhatsApp is the approved WhatsApp template the text stands for; nil
	// when the template cannot go to WhatsApp patients outside the window.
	WhatsApp *WhatsApp
}

// Set is the loaded templates. A nil *Set is a valid empty set: with no
// REMINDER_TEMPLATES every template name is unknown.
type Set struct {
	list   []Template
	byName map[string]Template
}

// placeholder is a {word}: letters, digits and underscores. Other braces are
// text (GSM-7 can send { and }).
var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// validName keeps template names safe to show in errors, logs and URLs.
var validName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// file is the YAML document: `templates: [{name: ..., text: ...}]`.
type file struct {
	Templates []struct {
		Name     string        `yaml:"name"`
		Text     string        `yaml:"text"`
		WhatsApp *whatsAppFile `yaml:"whatsapp"`
	} `yaml:"templates"`
}

// Load reads the template file at path; an empty path is no templates. The
// error names the problem (a line, a template number or name), never a
// template's text.
func Load(path string) (*Set, error) {
	if path == "" {
		return nil, nil
	}
	var f file
	if err := yamlfile.Read(path, &f, fileKeys); err != nil {
		return nil, fileError(err)
	}
	return parsed(f)
}

// fileKeys says what a template file holds, for a misplaced key.
const fileKeys = "templates is a list of name, text and whatsapp: content_sid, variables"

// Parse reads a template file's contents.
func Parse(data []byte) (*Set, error) {
	var f file
	if err := yamlfile.Decode(data, &f, fileKeys); err != nil {
		return nil, fileError(err)
	}
	return parsed(f)
}

func fileError(err error) error {
	var bad *yamlfile.DecodeError
	switch {
	case errors.Is(err, yamlfile.ErrEmpty):
		return errors.New("the file is empty; it needs `templates:` with at least one name and text")
	case errors.As(err, &bad):
		return fmt.Errorf("not a template file: %s", err)
	}
	return err
}

// parsed checks a decoded file.
func parsed(f file) (*Set, error) {
	if len(f.Templates) == 0 {
		return nil, errors.New("no templates: the file needs `templates:` with at least one name and text")
	}
	s := &Set{byName: make(map[string]Template, len(f.Templates))}
	for i, t := range f.Templates {
		switch {
		case !validName.MatchString(t.Name):
			return nil, fmt.Errorf("template %d has no name of 1 to 64 letters, digits, _ . or -", i+1)
		case s.has(t.Name):
			return nil, fmt.Errorf("template %d repeats the name %s", i+1, t.Name)
		case strings.TrimSpace(t.Text) == "":
			return nil, fmt.Errorf("template %s has no text", t.Name)
		case utf8.RuneCountInString(t.Text) > bridge.MaxTextLength:
			return nil, fmt.Errorf("template %s is longer than %d characters", t.Name, bridge.MaxTextLength)
		}
		tpl := Template{Name: t.Name, Text: t.Text, Placeholders: placeholders(t.Text)}
		wa, err := t.WhatsApp.check(tpl)
		if err != nil {
			return nil, err
		}
		tpl.WhatsApp = wa
		s.list = append(s.list, tpl)
		s.byName[t.Name] = tpl
	}
	return s, nil
}

func (s *Set) has(name string) bool {
	_, ok := s.byName[name]
	return ok
}

func placeholders(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// List returns the templates in file order.
func (s *Set) List() []Template {
	if s == nil {
		return []Template{}
	}
	return append([]Template(nil), s.list...)
}
