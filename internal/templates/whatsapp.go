package templates

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// WhatsApp is a template's approved WhatsApp version: Twilio's Content
// Template (ContentSid, HX...) and which placeholder fills each of its
// numbered variables. Twilio's template has the same words as Text: the chat
// mirror shows Text filled in, and the patient sees the approved copy of it.
type WhatsApp struct {
	ContentSid string
	// Variables are placeholder names: the first fills {{1}}, the second
	// {{2}}, and so on.
	Variables []string
}

// whatsAppFile is the YAML `whatsapp: {content_sid: HX..., variables: [...]}`.
type whatsAppFile struct {
	ContentSid string   `yaml:"content_sid"`
	Variables  []string `yaml:"variables"`
}

// contentSid is Twilio's Content Template SID (error 21655 otherwise).
var contentSid = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)

// check validates the whatsapp block of tpl; nil is no WhatsApp version.
// Every variable must be one of the text's placeholders, once: a variable
// the text does not have would send the patient something the mirror does
// not show.
func (w *whatsAppFile) check(tpl Template) (*WhatsApp, error) {
	if w == nil {
		return nil, nil
	}
	if !contentSid.MatchString(w.ContentSid) {
		return nil, fmt.Errorf("template %s: whatsapp content_sid is not HX followed by 32 hex digits (Twilio's Content Template SID)", tpl.Name)
	}
	for i, v := range w.Variables {
		switch {
		case !slices.Contains(tpl.Placeholders, v):
			return nil, fmt.Errorf("template %s: whatsapp variable %d is not one of the text's placeholders", tpl.Name, i+1)
		case slices.Index(w.Variables, v) != i:
			return nil, fmt.Errorf("template %s: whatsapp variable %d repeats {%s}", tpl.Name, i+1, v)
		}
	}
	return &WhatsApp{ContentSid: w.ContentSid, Variables: slices.Clone(w.Variables)}, nil
}

// WhatsAppContent returns the Content Template of the template called name
// and params as Twilio's numbered ContentVariables ({"1": ..., "2": ...}).
// ok is false when there is no such template or it has no WhatsApp version.
// Call it after Resolve, which refuses missing params.
func (s *Set) WhatsAppContent(name string, params map[string]string) (sid string, vars map[string]string, ok bool) {
	tpl, found := s.lookup(name)
	if !found || tpl.WhatsApp == nil {
		return "", nil, false
	}
	vars = make(map[string]string, len(tpl.WhatsApp.Variables))
	for i, p := range tpl.WhatsApp.Variables {
		vars[strconv.Itoa(i+1)] = params[p]
	}
	return tpl.WhatsApp.ContentSid, vars, true
}
