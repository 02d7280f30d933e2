package twiliotest

import "time"

// BringForward makes a scheduled message's time come d from now, as if its
// SendAt were that close, so a test sees the timer send it without
// waiting the 15 minutes Twilio's minimum asks. It reports whether sid was
// waiting.
func (n *Network) BringForward(sid string, d time.Duration) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, ok := n.scheduled[sid]
	if ok {
		t.Reset(d)
	}
	return ok
}
