package config

import "reflect"

// Setting is one environment variable the service reads, as the docs list
// it: docs/configuration.md and .env.example are generated from Settings.
type Setting struct {
	Name     string
	Default  string // empty: none
	Required string // "yes", what may replace it ("this or ..."), or empty: optional
	Meaning  string // one line
	AliasOf  string // set for an old name kept for the tutorial's .env files
}

// Settings lists every setting Load reads, in env's order.
func Settings() []Setting {
	t := reflect.TypeFor[env]()
	out := make([]Setting, 0, t.NumField())
	for i := range t.NumField() {
		tag := t.Field(i).Tag
		out = append(out, Setting{Name: tag.Get("envconfig"), Default: tag.Get("default"),
			Required: tag.Get("need"), Meaning: tag.Get("desc"), AliasOf: tag.Get("alias")})
	}
	return out
}
