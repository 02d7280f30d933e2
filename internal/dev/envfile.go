package dev

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// notForTools are the sandbox's settings that concern only its own
// listener: a command run with the sandbox's file must not try to bind it.
var notForTools = []string{"PORT", "LISTEN_HOST", "SHUTDOWN_DELAY"}

// writeEnvFile writes the settings the simulators answer to as a dotenv
// file (config.ReadEnvFile's syntax), so `smsbridge remind`, `reconcile` and
// `doctor` run against the sandbox with -env-file. It is the person's own
// (0600: it holds the simulators' keys and the admin's hash) and removed
// when the sandbox stops.
func writeEnvFile(env map[string]string) (path string, err error) {
	f, err := os.CreateTemp("", "smsbridge-sandbox-*.env") // CreateTemp makes it 0600
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# The settings of a running `smsbridge dev`: its simulated Stream and Twilio, its admin.\n")
	b.WriteString("# Use with: smsbridge remind|reconcile|doctor -env-file " + f.Name() + "\n")
	b.WriteString("# Removed when the sandbox stops; the keys are new at every start.\n")
	names := make([]string, 0, len(env))
	for k := range env {
		if !slices.Contains(notForTools, k) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(&b, "%s=%s\n", k, quote(env[k]))
	}
	if _, err := f.WriteString(b.String()); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// quote writes v so that config.ReadEnvFile (and a shell) read it back as is.
func quote(v string) string {
	if !strings.ContainsAny(v, "'\n") {
		return "'" + v + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}
