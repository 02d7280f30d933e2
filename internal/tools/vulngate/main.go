// Command vulngate reads `govulncheck -format json` on stdin and fails when
// the code calls a vulnerable function whose advisory is not allowlisted.
//
// The allowlist (.ci/vuln-allowlist) holds one advisory id per line followed
// by the reason it does not apply; an entry without a reason is refused, so
// every exception stays justified in the repository. Advisories in modules
// the code imports but never calls are reported and do not fail the gate,
// which is govulncheck's own default. It imports no smsbridge package.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV   string `json:"osv"`
		Fixed string `json:"fixed_version"`
		Trace []struct {
			Module   string `json:"module"`
			Function string `json:"function"`
		} `json:"trace"`
	} `json:"finding"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: govulncheck -format json ./... | vulngate ALLOWLIST")
		os.Exit(2)
	}
	allowed, err := readAllowlist(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	called, imported, summaries, err := readFindings(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	failed := false
	for _, id := range sorted(called) {
		if reason, ok := allowed[id]; ok {
			fmt.Printf("allowed  %s %s — %s\n", id, summaries[id], reason)
			continue
		}
		failed = true
		fmt.Printf("CALLED   %s %s (fixed in %s)\n", id, summaries[id], called[id])
	}
	for _, id := range sorted(imported) {
		if _, isCalled := called[id]; !isCalled {
			fmt.Printf("not called %s %s\n", id, summaries[id])
		}
	}
	if failed {
		fmt.Println("vulngate: the code calls vulnerable functions; upgrade, or allowlist with a reason")
		os.Exit(1)
	}
	fmt.Printf("vulngate: ok (%d called and allowlisted, %d imported but not called)\n", len(called), len(imported))
}

func readAllowlist(path string) (map[string]string, error) {
	f, err := os.Open(path) // #nosec G304 G703 -- the allowlist path is .ci/gates's argument, not input
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s: %s has no reason", path, id)
		}
		out[id] = strings.TrimSpace(reason)
	}
	return out, sc.Err()
}

// readFindings returns the advisories with a called function (id -> fixed
// version), those only imported or required, and their summaries.
func readFindings(r io.Reader) (called, imported, summaries map[string]string, err error) {
	called, imported, summaries = map[string]string{}, map[string]string{}, map[string]string{}
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return called, imported, summaries, nil
		} else if err != nil {
			return nil, nil, nil, err
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		if f := m.Finding; f != nil && len(f.Trace) > 0 {
			if f.Trace[0].Function != "" {
				called[f.OSV] = f.Fixed
			} else {
				imported[f.OSV] = f.Fixed
			}
		}
	}
}

func sorted(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
