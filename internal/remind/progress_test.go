package remind

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
)

func TestOnATerminalTheBarIsRedrawnInPlaceWithTheCounts(t *testing.T) {
	var term, logs bytes.Buffer
	p := &progress{bar: &term, log: zerolog.New(&logs), total: 4, counts: map[bridge.RowOutcome]int{}}
	for i, o := range []bridge.RowOutcome{bridge.RowSent, bridge.RowRefused, bridge.RowAlreadySent, bridge.RowScheduled} {
		p.row(row{Num: i + 1, Line: i + 2}, bridge.RowResult{Outcome: o}, i+1)
	}
	p.done()
	out := term.String()
	last := out[strings.LastIndex(out, "\r"):]
	want := "[##############################] 4/4  sent 1  scheduled 1  already sent 1  refused 1  failed 0\n"
	if strings.Count(out, "\r") != 4 || !strings.HasSuffix(last, want) {
		t.Errorf("bar output %q, want 4 redraws ending %q", out, want)
	}
	if logs.Len() != 0 {
		t.Errorf("rows were logged beside the bar: %s", logs.String())
	}
}

func TestOffATerminalEachRowIsALogLine(t *testing.T) {
	var logs bytes.Buffer
	p := newProgress(&bytes.Buffer{}, zerolog.New(&logs), 2)
	p.row(row{Num: 1, Line: 2}, bridge.RowResult{Outcome: bridge.RowSent, MessageID: "reminder-1", Sid: "SM1"}, 1)
	p.row(row{Num: 2, Line: 4}, bridge.RowResult{Outcome: bridge.RowRefused, Code: "opted_out"}, 2)
	p.done()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"row":1`) || !strings.Contains(lines[0], `"message_sid":"SM1"`) ||
		!strings.Contains(lines[1], `"level":"warn"`) || !strings.Contains(lines[1], `"code":"opted_out"`) ||
		!strings.Contains(lines[2], `"done":2,"total":2`) {
		t.Errorf("log lines:\n%s", logs.String())
	}
}
