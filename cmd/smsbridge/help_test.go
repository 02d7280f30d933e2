package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestHelpFormsAndExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   string
		code   int
		stdout string // contained in stdout
		stderr string // contained in stderr; empty: stderr must be empty
	}{
		{"help lists every command", "help", 0, "hash-password", ""},
		{"-h lists every command", "-h", 0, "reconcile", ""},
		{"--help lists every command", "--help", 0, "healthcheck", ""},
		{"help CMD shows its flags", "help reconcile", 0, "-since", ""},
		{"CMD -h shows its flags", "reconcile -h", 0, "-dry-run", ""},
		{"CMD --help shows its usage", "hash-password --help", 0, "usage: smsbridge hash-password", ""},
		{"help of a flagless command", "help version", 0, "usage: smsbridge version", ""},
		{"an unknown command exits 2 with a hint", "frobnicate", 2, "", "run 'smsbridge help'"},
		{"help for an unknown command exits 2", "help frobnicate", 2, "", `unknown command "frobnicate"`},
		{"an unknown flag exits 2 with a hint", "reconcile --frobnicate", 2, "", "run 'smsbridge reconcile -h'"},
		{"an unknown flag of a flagless command exits 2", "serve --frobnicate", 2, "", "flag provided but not defined"},
		{"hash-password refuses arguments", "hash-password hunter2hunter2", 2, "", "unexpected argument"},
		{"a bad flag value is said once, with what it should look like", "reconcile --since banana", 2, "", `invalid value "banana" for flag -since: not a duration; write it like 24h`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := child(t, tc.args)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit = %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout.String(), tc.stdout)
			}
			switch {
			case tc.stderr == "" && stderr.Len() > 0:
				t.Errorf("stderr = %q, want nothing", stderr.String())
			case !strings.Contains(stderr.String(), tc.stderr):
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.stderr)
			case tc.code == 2 && strings.Count(stderr.String(), "\n") != 1:
				t.Errorf("stderr = %q, want one line", stderr.String())
			}
		})
	}
}
