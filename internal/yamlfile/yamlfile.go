// Package yamlfile reads the operator's YAML files (REMINDER_TEMPLATES,
// LOCATIONS_FILE) strictly: an unknown key is an error, and every error says
// where the problem is without quoting the file's values or Go's types. It
// imports nothing of smsbridge.
package yamlfile

import (
	"bytes"
	"errors"
	"os"
	"regexp"

	"go.yaml.in/yaml/v4"
)

// MaxSize bounds a file: configuration, not data.
const MaxSize = 1 << 20

// Read decodes the file at path into v. keys says, for an unknown or
// misplaced key, what the file's entries hold ("a template has name and
// text"). The error is one clause that names no value.
func Read(path string, v any, keys string) error {
	data, err := os.ReadFile(path) // #nosec G304 -- the operator's own configuration names the file
	switch {
	case errors.Is(err, os.ErrNotExist):
		return errors.New("the file does not exist")
	case err != nil:
		return errors.New("the file cannot be read")
	case len(data) > MaxSize:
		return errors.New("the file is larger than 1 MiB")
	}
	return Decode(data, v, keys)
}

// ErrEmpty is Decode's error for a file with nothing in it.
var ErrEmpty = errors.New("the file is empty")

// Decode decodes data into v, strictly; see Read.
func Decode(data []byte, v any, keys string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return ErrEmpty
	}
	if err := yaml.Load(data, v, yaml.WithKnownFields()); err != nil {
		return &DecodeError{problem(err, keys)}
	}
	return nil
}

// DecodeError is Decode's error for a file that is not the YAML asked for,
// as against one that cannot be read.
type DecodeError struct{ msg string }

func (e *DecodeError) Error() string { return e.msg }

var (
	unknownKey = regexp.MustCompile(`line (\d+): field (\w+) not found`)
	wrongKind  = regexp.MustCompile(`line (\d+): cannot construct`)
	syntax     = regexp.MustCompile(`at L(\d+)\.C(\d+): ([^"` + "`" + `]*)`)
)

// problem says where and what is wrong in the decoder's terms, without the
// Go types or the values it quotes.
func problem(err error, keys string) string {
	msg := err.Error()
	if m := unknownKey.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": unknown key " + m[2] + " (" + keys + ")"
	}
	if m := wrongKind.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": wrong kind of value (" + keys + ")"
	}
	if m := syntax.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + " column " + m[2] + ": " + m[3]
	}
	return "not YAML"
}
