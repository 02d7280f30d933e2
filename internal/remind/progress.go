package remind

import (
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/app"
)

// logEvery is how often, in rows, progress is logged when stderr is not a
// terminal.
const logEvery = 25

// barWidth is the progress bar's width in characters.
const barWidth = 30

// progress reports rows as they finish: a bar redrawn in place on a
// terminal, log lines otherwise (a file, a pipe, a log collector). Rows
// are named by number, never by number or text.
type progress struct {
	bar    io.Writer // nil: log lines
	log    zerolog.Logger
	total  int
	counts map[bridge.RowOutcome]int
}

func newProgress(stderr io.Writer, log zerolog.Logger, total int) *progress {
	p := &progress{log: log, total: total, counts: map[bridge.RowOutcome]int{}}
	if app.IsTerminal(stderr) {
		p.bar = stderr
	}
	return p
}

func (p *progress) row(rw row, res bridge.RowResult, done int) {
	p.counts[res.Outcome]++
	if p.bar != nil {
		p.draw(done)
		return
	}
	ev := p.log.Info()
	if !res.Done() {
		ev = p.log.Warn().Str("code", res.Code)
	}
	ev.Int("row", rw.Num).Int("line", rw.Line).Str("outcome", string(res.Outcome)).
		Str("stream_message_id", res.MessageID).Str("message_sid", res.Sid).Msg("remind row")
	if done%logEvery == 0 || done == p.total {
		p.log.Info().Int("done", done).Int("total", p.total).Msg("remind progress")
	}
}

func (p *progress) draw(done int) {
	filled := barWidth
	if p.total > 0 {
		filled = barWidth * done / p.total
	}
	fmt.Fprintf(p.bar, "\r\033[K[%s%s] %d/%d  sent %d  scheduled %d  already sent %d  refused %d  failed %d",
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), done, p.total,
		p.counts[bridge.RowSent]+p.counts[bridge.RowWouldSend], p.counts[bridge.RowScheduled]+p.counts[bridge.RowWouldSchedule],
		p.counts[bridge.RowAlreadySent], p.counts[bridge.RowRefused], p.counts[bridge.RowFailed])
}

// done ends the bar's line.
func (p *progress) done() {
	if p.bar != nil {
		fmt.Fprintln(p.bar)
	}
}
