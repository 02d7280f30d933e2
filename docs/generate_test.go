package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/config"
)

// The facts the docs repeat are generated from the code's own lists, so
// they cannot drift: the settings (config.Settings) into configuration.md's
// table and ../.env.example, the keywords (bridge) into the keyword tables.
// A generated part sits between "<!-- generated:NAME -->" and
// "<!-- end generated -->"; UPDATE_DOCS=1 go test ./docs rewrites them all.

var generatedBlock = regexp.MustCompile(`(?s)(<!-- generated:([a-z-]+) -->\n).*?(<!-- end generated -->)`)

// blocks are the generated parts, by name.
var blocks = map[string]func() string{
	"settings": settingsTable,
	"keywords": keywordTable,
}

// wholeFiles are generated entirely.
var wholeFiles = map[string]func() string{
	"../.env.example": envExample,
}

func TestGeneratedDocsAreCurrent(t *testing.T) {
	update := os.Getenv("UPDATE_DOCS") == "1"
	pages, err := mdFiles()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	check := func(path, want, got string) {
		if got == want {
			return
		}
		if update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil { // #nosec G306 -- a documentation file
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s is stale: the code's list changed; run UPDATE_DOCS=1 go test ./docs", path)
	}
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		out := generatedBlock.ReplaceAllStringFunc(string(src), func(m string) string {
			parts := generatedBlock.FindStringSubmatch(m)
			gen, ok := blocks[parts[2]]
			if !ok {
				t.Errorf("%s: unknown generated block %q", page, parts[2])
				return m
			}
			used[parts[2]] = true
			return parts[1] + gen() + parts[3]
		})
		check(page, out, string(src))
	}
	for name := range blocks {
		if !used[name] {
			t.Errorf("no page holds the generated block %q", name)
		}
	}
	for path, gen := range wholeFiles {
		src, err := os.ReadFile(path)
		if err != nil && !update {
			t.Fatal(err)
		}
		check(path, gen(), string(src))
	}
}

var docLink = regexp.MustCompile(`docs/([a-z-]+\.md)`)

// settingsTable is configuration.md's table: one row per setting.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| variable | required | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, s := range config.Settings() {
		def := ""
		if s.Default != "" {
			def = "`" + s.Default + "`"
		}
		req := s.Required
		if req == "" {
			req = "no"
		}
		if s.AliasOf != "" {
			req = "old name of `" + s.AliasOf + "`"
		}
		meaning := docLink.ReplaceAllString(strings.ReplaceAll(s.Meaning, "|", `\|`), "[$1]($1)")
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Name, req, def, meaning)
	}
	return b.String()
}

// envExample is ../.env.example: the required settings empty, the optional
// ones at their defaults, each under its meaning.
func envExample() string {
	var b strings.Builder
	b.WriteString("# smsbridge configuration. Copy to .env and fill in the required values.\n" +
		"# Never commit .env: it holds secrets. docker compose reads it; so do serve, remind,\n" +
		"# reconcile and doctor with -env-file .env (the environment wins over the file).\n" +
		"# Generated from config/config.go (UPDATE_DOCS=1 go test ./docs); docs/configuration.md\n" +
		"# has the same list as a table.\n")
	section := func(title string, required bool) {
		fmt.Fprintf(&b, "\n# --- %s %s\n", title, strings.Repeat("-", 74-len(title)))
		for _, s := range config.Settings() {
			if s.AliasOf != "" || (s.Required != "") != required {
				continue
			}
			meaning := s.Meaning
			if required && s.Required != "yes" {
				meaning += " [" + s.Required + "]"
			}
			for _, line := range wrap(meaning, 76) {
				b.WriteString("# " + line + "\n")
			}
			fmt.Fprintf(&b, "%s=%s\n", s.Name, s.Default)
		}
	}
	section("Required", true)
	section("Optional (defaults shown)", false)
	return b.String()
}

func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// keywordTable lists every keyword the bridge reads in a patient's SMS.
func keywordTable() string {
	words := func(ws []string) string { return "`" + strings.Join(ws, "`, `") + "`" }
	return "| keywords | meaning | what the bridge does |\n| --- | --- | --- |\n" +
		"| " + words(bridge.OptOutKeywords()) + " | opt out (carriers and Twilio reserve them) | `sms_opted_out: true` on the channel; never read as an answer to a reminder |\n" +
		"| " + words(bridge.OptInKeywords()) + " | opt back in | `sms_opted_out: false` on the channel |\n" +
		"| " + words(bridge.ReplyKeywords(bridge.ReplyConfirmed)) + " | confirm the latest reminder | `sms_reply: \"confirmed\"` on it |\n" +
		"| " + words(bridge.ReplyKeywords(bridge.ReplyReschedule)) + " | ask to reschedule it | `sms_reply: \"reschedule\"` on it |\n"
}

// mdFiles are the pages the docs tests read: docs/ and the repository's root.
func mdFiles() ([]string, error) {
	docs, err := filepath.Glob("*.md")
	if err != nil {
		return nil, err
	}
	root, err := filepath.Glob("../*.md")
	return append(docs, root...), err
}
