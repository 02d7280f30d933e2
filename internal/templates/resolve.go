package templates

import (
	"github.com/smsbridge/smsbridge/bridge"
)

// Resolve returns a reminder's text: messageText as typed, or the template
// called name with params filled in. It is the one function every reminder
// path (POST /send-reminder, POST /sms-preview, a batch) gets its text from,
// so the rules below hold everywhere:
//
//   - both messageText and a template: 400 text_and_template;
//   - an unknown name: 400 unknown_template;
//   - a placeholder without a value (absent or empty): 400 missing_param,
//     naming the first one.
//
// Params the template does not use are ignored (a batch file may carry more
// columns). Values are inserted as given and not read for placeholders
// again. Neither field gives "", which the reminder rules refuse as empty.
func (s *Set) Resolve(messageText, name string, params map[string]string) (string, error) {
	switch {
	case name == "":
		return messageText, nil
	case messageText != "":
		return "", bridge.Errorf(bridge.ErrInvalid, "text_and_template",
			"Send either messageText or a template with params, not both.")
	}
	tpl, ok := s.lookup(name)
	if !ok {
		return "", bridge.Errorf(bridge.ErrInvalid, "unknown_template",
			"There is no reminder template called %q; GET /reminder-templates lists them.", safeName(name))
	}
	for _, p := range tpl.Placeholders {
		if params[p] == "" {
			return "", bridge.Errorf(bridge.ErrInvalid, "missing_param",
				"The template %s needs a value for {%s} in params.", tpl.Name, p)
		}
	}
	return placeholder.ReplaceAllStringFunc(tpl.Text, func(m string) string {
		return params[m[1:len(m)-1]]
	}), nil
}

func (s *Set) lookup(name string) (Template, bool) {
	if s == nil {
		return Template{}, false
	}
	t, ok := s.byName[name]
	return t, ok
}

// safeName returns name when it could be a template name, so an error never
// echoes arbitrary input (which could be a patient's details pasted in the
// wrong field).
func safeName(name string) string {
	if validName.MatchString(name) {
		return name
	}
	return "(not a template name)"
}
