package config_test

import (
	"regexp"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestEverySettingHasANameAndOneLineOfMeaning(t *testing.T) {
	name := regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	seen := map[string]bool{}
	for _, s := range config.Settings() {
		switch {
		case !name.MatchString(s.Name):
			t.Errorf("setting %q: the envconfig tag is not an upper-case name", s.Name)
		case s.Meaning == "":
			t.Errorf("%s has no desc tag: docs/configuration.md would say nothing of it", s.Name)
		case seen[s.Name]:
			t.Errorf("%s is listed twice", s.Name)
		}
		seen[s.Name] = true
	}
	if len(seen) < 20 {
		t.Errorf("only %d settings: is Settings reading env?", len(seen))
	}
}
