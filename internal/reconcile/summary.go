package reconcile

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/bridge"
)

// summary is the JSON form of a run (--json). Items lists the restores,
// status changes, replies marked unconfirmed and failures; in a dry run,
// what would be done.
type summary struct {
	Since           time.Time `json:"since"`
	DryRun          bool      `json:"dry_run"`
	Checked         int       `json:"checked"`
	AlreadyPresent  int       `json:"already_present"`
	Restored        int       `json:"restored"`
	StatusesUpdated int       `json:"statuses_updated"`
	Unconfirmed     int       `json:"unconfirmed"`
	Failed          int       `json:"failed"`
	Items           []item    `json:"items"`
}

type item struct {
	Sid       string `json:"sid,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	Action    string `json:"action"`
	Status    string `json:"status,omitempty"`
	Error     string `json:"error,omitempty"`
}

func toSummary(rep bridge.ReconcileReport) summary {
	s := summary{Since: rep.Since, DryRun: rep.DryRun, Checked: rep.Checked, AlreadyPresent: rep.AlreadyPresent,
		Restored: rep.Restored, StatusesUpdated: rep.StatusesUpdated, Unconfirmed: rep.Unconfirmed, Failed: rep.Failed, Items: []item{}}
	for _, it := range rep.Items {
		out := item{Sid: it.Sid, MessageID: it.MessageID, Action: string(it.Action), Status: it.Status}
		if it.Err != nil {
			out.Error = it.Err.Error()
		}
		s.Items = append(s.Items, out)
	}
	return s
}

func writeSummary(w io.Writer, rep bridge.ReconcileReport, asJSON bool) error {
	s := toSummary(rep)
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return writeTable(w, s)
}

// writeTable prints the counts, then one line per repair (or, in a dry run,
// per repair it would make) and per failure.
func writeTable(w io.Writer, s summary) error {
	var b strings.Builder
	mode := ""
	if s.DryRun {
		mode = " (dry run: nothing was changed)"
	}
	fmt.Fprintf(&b, "smsbridge reconcile: messages since %s%s\n", s.Since.Format(time.RFC3339), mode)
	restored, updated, unconfirmed := "restored", "statuses updated", "marked unconfirmed"
	if s.DryRun {
		restored, updated, unconfirmed = "would restore", "would update status", "would mark unconfirmed"
	}
	for _, row := range []struct {
		label string
		n     int
	}{{"checked", s.Checked}, {"already present", s.AlreadyPresent}, {restored, s.Restored}, {updated, s.StatusesUpdated}, {unconfirmed, s.Unconfirmed}, {"failed", s.Failed}} {
		fmt.Fprintf(&b, "  %-20s %6d\n", row.label, row.n)
	}
	for _, it := range s.Items {
		b.WriteString(itemLine(it, s.DryRun))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func itemLine(it item, dryRun bool) string {
	restore, set := "restored", "set status of"
	if dryRun {
		restore, set = "would restore", "would set status of"
	}
	switch bridge.ReconcileAction(it.Action) {
	case bridge.ActionRestore:
		return fmt.Sprintf("  %s %s as %s\n", restore, it.Sid, it.MessageID)
	case bridge.ActionSetStatus:
		return fmt.Sprintf("  %s %s (%s) to %s\n", set, it.Sid, it.MessageID, it.Status)
	case bridge.ActionUnconfirmed:
		if dryRun {
			return fmt.Sprintf("  would mark reply %s unconfirmed (left pending, not sent)\n", it.MessageID)
		}
		return fmt.Sprintf("  marked reply %s unconfirmed (left pending, not sent)\n", it.MessageID)
	case bridge.ActionFailed:
		if it.Sid == "" {
			return fmt.Sprintf("  FAILED: %s\n", it.Error)
		}
		return fmt.Sprintf("  FAILED %s: %s\n", it.Sid, it.Error)
	}
	return ""
}
