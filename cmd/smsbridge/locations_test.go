package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each LOCATIONS_FILE error the issue names stops serve with exit 2 and one
// line naming the variable, the location (or locations[N]) and the field.
func TestEveryLocationsFileErrorExits2NamingIt(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"a bad id", "locations:\n  - id: North\n    numbers: [\"+12015550100\"]\n", "LOCATIONS_FILE (locations[0]: id is not"},
		{"a repeated id", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n  - id: north\n    numbers: [\"+12015550101\"]\n",
			"LOCATIONS_FILE (locations[1]: id repeats the id of locations[0])"},
		{"a number listed twice", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n  - id: south\n    numbers: [\"+12015550100\"]\n",
			"LOCATIONS_FILE (location south: numbers[0] is also a sender of location north)"},
		{"no senders", "locations:\n  - id: north\n", "LOCATIONS_FILE (location north: has neither numbers nor messaging_service_sid)"},
		{"an unknown admin", "locations:\n  - id: north\n    numbers: [\"+12015550100\"]\n    admins: [nobody]\n",
			"LOCATIONS_FILE (location north: admins[0] is not in ADMIN_USERS)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "locations.yaml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			out := configExit(t, child(t, "serve", append(validEnv("http://127.0.0.1:1", "http://127.0.0.1:1", 8080), "LOCATIONS_FILE="+path)...))
			if !strings.Contains(out, tc.want) {
				t.Errorf("stderr = %q, want %q", out, tc.want)
			}
		})
	}
}
