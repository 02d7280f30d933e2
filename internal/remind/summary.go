package remind

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/smsbridge/smsbridge/bridge"
)

// summary is a run's result by row (--json prints it as is). It holds no
// phone number and no text: rows are named by number and line.
type summary struct {
	DryRun bool        `json:"dryRun"`
	Totals totals      `json:"totals"`
	Rows   []rowResult `json:"rows"`
}

type totals struct {
	Sent        int `json:"sent"`
	Scheduled   int `json:"scheduled"`
	AlreadySent int `json:"alreadySent"`
	Refused     int `json:"refused"`
	Failed      int `json:"failed"`
}

type rowResult struct {
	Row  int `json:"row"`
	Line int `json:"line"`
	bridge.RowResult
}

func summarise(rows []row, results []bridge.RowResult, dryRun bool) summary {
	s := summary{DryRun: dryRun, Rows: make([]rowResult, 0, len(rows))}
	for i, rw := range rows {
		res := results[i]
		s.Rows = append(s.Rows, rowResult{Row: rw.Num, Line: rw.Line, RowResult: res})
		switch res.Outcome {
		case bridge.RowSent, bridge.RowWouldSend:
			s.Totals.Sent++
		case bridge.RowScheduled, bridge.RowWouldSchedule:
			s.Totals.Scheduled++
		case bridge.RowAlreadySent:
			s.Totals.AlreadySent++
		case bridge.RowRefused:
			s.Totals.Refused++
		default:
			s.Totals.Failed++
		}
	}
	return s
}

func writeSummary(w io.Writer, s summary, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return writeTable(w, s)
}

// writeTable prints one line per row, then the totals.
func writeTable(w io.Writer, s summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tLINE\tOUTCOME\tCODE\tREASON")
	for _, r := range s.Rows {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", r.Row, r.Line, label(r.Outcome), r.Code, r.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	t := s.Totals
	sent, scheduled := "sent", "scheduled"
	if s.DryRun {
		sent, scheduled = "would send", "would schedule"
	}
	_, err := fmt.Fprintf(w, "\n%s: %d %s, %d %s, %d already sent, %d refused, %d failed\n",
		count(len(s.Rows), "row", "rows"), t.Sent, sent, t.Scheduled, scheduled, t.AlreadySent, t.Refused, t.Failed)
	if err == nil && s.DryRun {
		_, err = fmt.Fprintln(w, "(dry run: nothing was sent or written)")
	}
	return err
}

// count is n and its noun, singular for one ("1 row", "0 rows").
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// label is an outcome as people read it.
func label(o bridge.RowOutcome) string {
	switch o {
	case bridge.RowAlreadySent:
		return "already sent"
	case bridge.RowWouldSend:
		return "would send"
	case bridge.RowWouldSchedule:
		return "would schedule"
	}
	return string(o)
}
