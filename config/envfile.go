package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// SandboxCommand runs the sandbox from a checkout: smsbridge with no accounts.
const SandboxCommand = "go run -tags sandbox ./cmd/smsbridge dev"

// Hint is what every command adds to a configuration error: where the
// settings are listed, and how to try smsbridge with none.
const Hint = ".env.example and docs/configuration.md list every setting; to try it with no accounts: " + SandboxCommand

// EnvFileUsage is the -env-file flag's help, the same for every command.
const EnvFileUsage = "read settings from this dotenv `file` (KEY=value lines); the environment wins over it"

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// LoadFile is Load with the settings of a dotenv file under the
// environment's: a variable set in the environment, even to "", keeps its
// value; the file fills in the rest. An empty path is Load. Errors name the
// file and line, never a value.
func LoadFile(path string) (Config, error) {
	if path != "" {
		vars, err := ReadEnvFile(path)
		if err != nil {
			return Config{}, err
		}
		for _, v := range vars {
			if _, set := os.LookupEnv(v[0]); set {
				continue
			}
			if err := os.Setenv(v[0], v[1]); err != nil {
				return Config{}, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	return Load()
}

// ReadEnvFile reads a dotenv file in the syntax docker compose and a shell
// share: KEY=value lines, optional "export ", blank lines and # comments;
// a value may be 'single-quoted' (literal: the form for bcrypt hashes),
// "double-quoted" (\n, \", \\ and \$ escaped) or bare (trimmed, a " #"
// comment dropped). It returns the pairs in file order.
func ReadEnvFile(path string) ([][2]string, error) {
	src, err := os.ReadFile(path) // #nosec G304 -- the operator names the file
	if err != nil {
		return nil, fmt.Errorf("env file: %w", err)
	}
	var out [][2]string
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(src, []byte("\ufeff"))))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		name = strings.TrimSpace(name)
		if !ok || !envName.MatchString(name) {
			return nil, fmt.Errorf("%s line %d: not NAME=value", path, n)
		}
		v, err := unquote(strings.TrimSpace(value))
		if err != nil {
			return nil, fmt.Errorf("%s line %d (%s): %v", path, n, name, err)
		}
		out = append(out, [2]string{name, v})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// unquote reads one dotenv value; errors never quote it.
func unquote(v string) (string, error) {
	switch {
	case strings.HasPrefix(v, "'"):
		end := strings.Index(v[1:], "'")
		if end < 0 {
			return "", fmt.Errorf("the single quote is not closed")
		}
		return v[1 : end+1], trailing(v[end+2:])
	case strings.HasPrefix(v, `"`):
		var b strings.Builder
		for i := 1; i < len(v); i++ {
			switch c := v[i]; {
			case c == '"':
				return b.String(), trailing(v[i+1:])
			case c == '\\' && i+1 < len(v):
				i++
				switch v[i] {
				case 'n':
					b.WriteByte('\n')
				case '"', '\\', '$':
					b.WriteByte(v[i])
				default:
					b.WriteByte('\\')
					b.WriteByte(v[i])
				}
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("the double quote is not closed")
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v), nil
}

// trailing accepts what may follow a closing quote: spaces and a comment.
func trailing(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest == "" || strings.HasPrefix(rest, "#") {
		return nil
	}
	return fmt.Errorf("text after the closing quote")
}
