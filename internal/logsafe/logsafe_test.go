package logsafe

import (
	"strings"
	"testing"
)

func TestID(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"a plain id passes", "req-01_AB", "req-01_AB"},
		{"an empty id stays empty", "", ""},
		{"a line break is refused", "abc\ndef", ""},
		{"a quote is refused", `abc"def`, ""},
		{"a space is refused", "abc def", ""},
		{"non-ASCII letters are refused", "ïd", ""},
		{"64 bytes pass", strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{"65 bytes are refused", strings.Repeat("a", 65), ""},
	} {
		if got := ID(tc.in); got != tc.want {
			t.Errorf("%s: ID(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}
