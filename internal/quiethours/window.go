package quiethours

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Window is a daily span of wall-clock minutes, [Start, End); Start > End
// wraps past midnight (20:00-08:00).
type Window struct {
	Start, End int // minutes after midnight, 0-1439
}

// ParseWindow reads "HH:MM-HH:MM" (24-hour clock).
func ParseWindow(s string) (Window, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Window{}, errors.New("not a window such as 20:00-08:00")
	}
	start, err1 := clock(from)
	end, err2 := clock(to)
	switch {
	case err1 != nil || err2 != nil:
		return Window{}, errors.New("not a window such as 20:00-08:00 (24-hour HH:MM-HH:MM)")
	case start == end:
		return Window{}, errors.New("the window starts and ends at the same time")
	}
	return Window{Start: start, End: end}, nil
}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (w Window) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

// quietUntil reports whether t is inside the window on loc's wall clock,
// and if so when that stretch of quiet ends.
func (w Window) quietUntil(t time.Time, loc *time.Location) (end time.Time, quiet bool) {
	local := t.In(loc)
	m := local.Hour()*60 + local.Minute()
	y, mo, d := local.Date()
	endOn := func(day int) time.Time {
		// time.Date works on the wall clock: 08:00 the next day is 08:00
		// whether the night had 23, 24 or 25 hours.
		end := time.Date(y, mo, day, w.End/60, w.End%60, 0, 0, loc)
		if !end.After(t) {
			// An end inside a daylight-saving gap can normalise to before
			// t; a minute on keeps the search moving forward.
			end = t.Truncate(time.Minute).Add(time.Minute)
		}
		return end
	}
	switch {
	case w.Start < w.End && m >= w.Start && m < w.End:
		return endOn(d), true
	case w.Start > w.End && m >= w.Start:
		return endOn(d + 1), true
	case w.Start > w.End && m < w.End:
		return endOn(d), true
	}
	return time.Time{}, false
}
