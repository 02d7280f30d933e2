package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// report is the --json form of a run.
type report struct {
	Checks []Result `json:"checks"`
	Failed int      `json:"failed"`
}

// WriteJSON writes rs as {"checks": [{"id", "status", "found", "fix"}], "failed": N}.
func WriteJSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(report{Checks: rs, Failed: Failed(rs)})
}

// WriteText writes one line per check: its mark, id and what was found,
// and under a problem the fix.
func WriteText(w io.Writer, rs []Result) error {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%-5s %-27s %s\n", mark(r.Status), r.ID, r.Found)
		if r.Status != StatusOK && r.Fix != "" {
			fmt.Fprintf(&b, "%-33s fix: %s\n", "", r.Fix)
		}
	}
	fmt.Fprintf(&b, "%s\n", Summary(rs))
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the run in one line, as the sandbox's banner shows it.
func Summary(rs []Result) string {
	count := map[Status]int{}
	for _, r := range rs {
		count[r.Status]++
	}
	return fmt.Sprintf("%d checks: %d ok, %d warnings, %d failed", len(rs), count[StatusOK]+count[StatusInfo], count[StatusWarn], count[StatusFail])
}

// WriteChanges writes what Fix is about to change.
func WriteChanges(w io.Writer, changes []Result) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("nothing doctor can change; see the fixes above\n")
	} else {
		b.WriteString("\nchanging:\n")
	}
	for _, c := range changes {
		fmt.Fprintf(&b, "  - %s (%s)\n", c.Change, c.ID)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mark(s Status) string {
	switch s {
	case StatusFail:
		return "FAIL"
	case StatusWarn:
		return "warn"
	case StatusInfo:
		return "info"
	}
	return "ok"
}
