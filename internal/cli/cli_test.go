package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	c := Command{Name: "demo", Summary: "Does a demo.", Examples: []string{"smsbridge demo -n 2"}}
	for _, tc := range []struct {
		name           string
		args           []string
		code           int
		done           bool
		stdout, stderr string
	}{
		{"no flags run the command", nil, 0, false, "", ""},
		{"-h prints the usage to stdout", []string{"-h"}, 0, true, "usage: smsbridge demo [flags]", ""},
		{"--help prints the usage to stdout", []string{"--help"}, 0, true, "-n int", ""},
		{"an unknown flag is one line and a hint", []string{"-x"}, 2, true, "", "smsbridge demo: flag provided but not defined: -x (run 'smsbridge demo -h' for usage)\n"},
		{"a bad value is one line", []string{"-n", "banana"}, 2, true, "", "invalid value \"banana\""},
		{"a bad duration says what a duration looks like", []string{"-d", "banana"}, 2, true, "",
			"smsbridge demo: invalid value \"banana\" for flag -d: not a duration; write it like 24h, 90m or 1h30m (run 'smsbridge demo -h' for usage)\n"},
		{"-h shows a duration flag's type and default", []string{"-h"}, 0, true, "-d duration\n    \tan hour or so, a duration (default 1h0m0s)", ""},
		{"a stray argument is refused", []string{"now"}, 2, true, "", `unexpected argument "now"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := c.NewFlagSet()
			fs.Int("n", 1, "how many")
			var d time.Duration
			DurationVar(fs, &d, "d", time.Hour, "an hour or so, a `duration`")
			var out, errOut bytes.Buffer
			code, done := c.Parse(fs, tc.args, &out, &errOut)
			if code != tc.code || done != tc.done {
				t.Fatalf("Parse(%q) = %d, %v; want %d, %v", tc.args, code, done, tc.code, tc.done)
			}
			if !strings.Contains(out.String(), tc.stdout) || (tc.stdout == "" && out.Len() > 0) {
				t.Errorf("stdout = %q, want %q", out.String(), tc.stdout)
			}
			if !strings.Contains(errOut.String(), tc.stderr) || (tc.stderr == "" && errOut.Len() > 0) {
				t.Errorf("stderr = %q, want %q", errOut.String(), tc.stderr)
			}
			if strings.Count(errOut.String(), "\n") > 1 {
				t.Errorf("stderr has more than one line: %q", errOut.String())
			}
		})
	}
}
