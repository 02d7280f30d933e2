package templates

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/smsbridge/smsbridge/bridge"
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
	data, err := os.ReadFile(path) // #nosec G304 -- the operator's own configuration names the file
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errors.New("the file does not exist")
		}
		return nil, errors.New("the file cannot be read")
	}
	return Parse(data)
}

// Parse reads a template file's contents.
func Parse(data []byte) (*Set, error) {
	var f file
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty; it needs `templates:` with at least one name and text")
	}
	if err := yaml.Load(data, &f, yaml.WithKnownFields()); err != nil {
		return nil, fmt.Errorf("not a template file: %s", yamlProblem(err))
	}
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

var (
	unknownKey = regexp.MustCompile(`line (\d+): field (\w+) not found`)
	wrongKind  = regexp.MustCompile(`line (\d+): cannot construct`)
	syntax     = regexp.MustCompile(`at L(\d+)\.C(\d+): ([^"` + "`" + `]*)`)
)

// yamlProblem says where and what is wrong in the decoder's terms, without
// the Go types or the values it quotes.
func yamlProblem(err error) string {
	msg := err.Error()
	if m := unknownKey.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": unknown key " + m[2] + " (a template has name, text and whatsapp: content_sid, variables)"
	}
	if m := wrongKind.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": wrong kind of value (templates is a list of name and text pairs)"
	}
	if m := syntax.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + " column " + m[2] + ": " + m[3]
	}
	return "not YAML"
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
