package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smsbridge/smsbridge/internal/remind"
)

// remindSummary is the --json output as an operator's script reads it.
type remindSummary struct {
	DryRun bool `json:"dryRun"`
	Totals struct {
		Sent, Scheduled, AlreadySent, Refused, Failed int
	} `json:"totals"`
	Rows []struct {
		Row, Line                        int
		Outcome, Code, Reason, MessageID string
		NextAllowedAt                    *time.Time
	} `json:"rows"`
}

// remindRun is one run: exit code, stdout, stderr.
type remindRun struct {
	Code           int
	Stdout, Stderr string
}

func (h *harness) remind(args ...string) remindRun {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	code := remind.Run(context.Background(), append([]string{"--per-minute", "6000"}, args...), &stdout, &stderr)
	run := remindRun{code, stdout.String(), stderr.String()}
	h.assertNoSecrets("remind output", run.Stdout+run.Stderr)
	return run
}

func (h *harness) remindJSON(args ...string) (remindSummary, remindRun) {
	h.t.Helper()
	run := h.remind(append(args, "--json")...)
	var s remindSummary
	if err := json.Unmarshal([]byte(run.Stdout), &s); err != nil {
		h.t.Fatalf("remind --json printed %q (%v); stderr:\n%s", run.Stdout, err, run.Stderr)
	}
	return s, run
}

// writeCSV writes records to a file in the test's directory and registers
// every number and text in it (the phoneNumber and messageText columns,
// and placeholder values) as a secret; template names are not.
func (h *harness) writeCSV(records [][]string) string {
	h.t.Helper()
	for _, rec := range records[1:] {
		for i, cell := range rec {
			if len(cell) >= 8 && records[0][i] != "template" {
				h.secret(strings.TrimPrefix(cell, "+"))
			}
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(records); err != nil {
		h.t.Fatal(err)
	}
	path := filepath.Join(h.t.TempDir(), "batch.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// batchPatient is the i-th of 200 fictional numbers: +1 201-555-01xx, then
// UK +44 20 7946 0xxx.
func batchPatient(i int) string {
	if i < 100 {
		return fmt.Sprintf("+120155501%02d", i)
	}
	return fmt.Sprintf("+4420794600%02d", i-100)
}
