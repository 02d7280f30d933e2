package remind

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestTheSummaryCountsRowsInTheRightNumber(t *testing.T) {
	sent := bridge.RowResult{Outcome: bridge.RowSent}
	tests := []struct {
		name    string
		results []bridge.RowResult
		want    string
	}{
		{"no row", nil, "\n0 rows: 0 sent,"},
		{"one row", []bridge.RowResult{sent}, "\n1 row: 1 sent,"},
		{"two rows", []bridge.RowResult{sent, sent}, "\n2 rows: 2 sent,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := make([]row, len(tt.results))
			for i := range rows {
				rows[i] = row{Num: i + 1, Line: i + 2}
			}
			var out bytes.Buffer
			if err := writeSummary(&out, summarise(rows, tt.results, false), false); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("summary = %q, want it to contain %q", out.String(), tt.want)
			}
		})
	}
}
