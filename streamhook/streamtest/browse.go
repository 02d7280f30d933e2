package streamtest

import (
	"cmp"
	"slices"
)

// ChannelsOfType returns copies of the channels of one type, oldest first,
// for a sandbox that shows what Stream holds.
func (s *Server) ChannelsOfType(typ string) []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var recs []*channelRecord
	for _, ch := range s.st.channels {
		if ch.Type == typ {
			recs = append(recs, ch)
		}
	}
	slices.SortFunc(recs, func(a, b *channelRecord) int {
		return cmp.Or(a.createdAt.Compare(b.createdAt), cmp.Compare(a.ID, b.ID))
	})
	out := make([]Channel, len(recs))
	for i, ch := range recs {
		out[i] = copyChannel(ch.Channel)
	}
	return out
}
