package dev

import (
	_ "embed"
	"os"
)

// exampleTemplates are the sandbox's reminder templates, so the console's
// template picker has something to pick.
//
//go:embed templates.yaml
var exampleTemplates []byte

// withExampleTemplates points REMINDER_TEMPLATES at a copy of the example
// templates unless the person set their own; remove deletes the copy when
// the sandbox stops (its env file names it for the other commands).
func withExampleTemplates(env map[string]string) (remove func(), err error) {
	if os.Getenv("REMINDER_TEMPLATES") != "" {
		return func() {}, nil
	}
	f, err := os.CreateTemp("", "smsbridge-sandbox-templates-*.yaml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(exampleTemplates); err != nil {
		_ = os.Remove(f.Name())
		return nil, err
	}
	env["REMINDER_TEMPLATES"] = f.Name()
	return func() { _ = os.Remove(f.Name()) }, nil
}
