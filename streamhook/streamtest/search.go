package streamtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Search limits, as Stream documents them (https://getstream.io/chat/docs/search/):
// limit defaults to 100, at most 500 channels are searched, offset pages reach 1000 results.
const (
	defaultSearchLimit = 100
	maxSearchChannels  = 500
	maxSearchOffset    = 1000
)

// search serves GET /search, the query-string form stream-chat-go's Search and
// SearchWithFullResponse send: one "payload" parameter holding SearchPayload as JSON.
//
// Like Stream it needs channel filter_conditions and exactly one of query and
// message_filter_conditions, refuses offset together with sort or next, leaves out system
// and deleted messages, and pages with an opaque next cursor. Filters understand the
// operators $eq (or a bare value) and $in, and $gt, $gte, $lt and $lte on timestamps, on
// channel fields type, id, cid and last_message_at and custom channel fields, and on
// message fields id, text, type, parent_id, user.id and created_at and custom message
// fields; query is a case-insensitive substring match on the text. Anything else
// is reported as a misuse of the fake. Results come in creation order, or by the sort given
// (created_at, updated_at or id).
func (s *Server) search(c *call) (int, map[string]any, error) {
	var p map[string]any
	if err := json.Unmarshal([]byte(c.query.Get("payload")), &p); err != nil {
		return 0, nil, inputError(c.operationID, "payload is not valid JSON: %v", err)
	}
	if err := checkSearchPayload(p); err != nil {
		return 0, nil, inputError(c.operationID, "%s", err)
	}
	hits, err := s.searchHits(p)
	if err != nil {
		s.misuseLocked("Search: %v", err)
		return 0, nil, inputError(c.operationID, "streamtest: %v", err)
	}
	limit := defaultSearchLimit
	if n, ok := p["limit"].(float64); ok && n > 0 {
		limit = int(n)
	}
	start, err := searchStart(p)
	if err != nil {
		return 0, nil, inputError(c.operationID, "%s", err)
	}
	start = min(start, len(hits))
	end := min(start+limit, len(hits))
	results := make([]any, 0, end-start)
	for _, m := range hits[start:end] {
		results = append(results, map[string]any{"message": s.searchResult(m)})
	}
	resp := map[string]any{"results": results}
	if end < len(hits) {
		resp["next"] = cursor(end)
	}
	if start > 0 {
		resp["previous"] = cursor(max(0, start-limit))
	}
	return http.StatusOK, resp, nil
}

// misuseLocked reports a request the fake cannot model, like violation, from a handler
// (which holds s.mu).
func (s *Server) misuseLocked(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.violations = append(s.violations, msg)
	if s.opts.Fail != nil {
		s.opts.Fail("streamtest: %s", msg)
	}
}

func checkSearchPayload(p map[string]any) error {
	query, filters := str(p, "query"), obj(p, "message_filter_conditions")
	offset, _ := p["offset"].(float64)
	switch {
	case len(obj(p, "filter_conditions")) == 0:
		return fmt.Errorf("channel filter conditions must be set")
	case query == "" && len(filters) == 0:
		return fmt.Errorf("either query or message_filter_conditions must be set")
	case query != "" && len(filters) > 0:
		return fmt.Errorf("query and message_filter_conditions cannot be used together")
	case offset != 0 && (len(list(p, "sort")) > 0 || str(p, "next") != ""):
		return fmt.Errorf("cannot use offset with next or sort parameters")
	case offset > maxSearchOffset:
		return fmt.Errorf("offset must be at most %d", maxSearchOffset)
	}
	return nil
}

// searchStart is where the page begins: the next cursor, or the offset.
func searchStart(p map[string]any) (int, error) {
	next := str(p, "next")
	if next == "" {
		offset, _ := p["offset"].(float64)
		return int(offset), nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(next)
	n, convErr := strconv.Atoi(strings.TrimPrefix(string(raw), "streamtest:"))
	if err != nil || convErr != nil || n < 0 {
		return 0, fmt.Errorf("next %q is not a cursor this app returned", next)
	}
	return n, nil
}

func cursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("streamtest:" + strconv.Itoa(n)))
}

// searchHits returns the matching messages, sorted. s.mu is held.
func (s *Server) searchHits(p map[string]any) ([]*Message, error) {
	channels := map[string]bool{}
	last := s.lastMessageAt()
	for key, ch := range s.searchChannels() {
		ok, err := matches(obj(p, "filter_conditions"), func(f string) (any, bool) { return channelField(ch, f, last) })
		if err != nil {
			return nil, fmt.Errorf("filter_conditions: %w", err)
		}
		channels[key] = ok
	}
	var hits []*Message
	for _, m := range s.st.messages {
		if !channels[cid(m.ChannelType, m.ChannelID)] || m.Type == "deleted" || m.Type == "system" {
			continue
		}
		ok, err := s.messageMatches(p, m)
		if err != nil {
			return nil, fmt.Errorf("message_filter_conditions: %w", err)
		}
		if ok {
			hits = append(hits, m)
		}
	}
	if n := len(channels); n > maxSearchChannels {
		return nil, fmt.Errorf("the channel filter matches %d channels; Stream searches only %d of them", n, maxSearchChannels)
	}
	sortHits(hits, list(p, "sort"))
	return hits, nil
}

// searchChannels returns every channel that holds messages or exists, by cid; a message
// seeded without its channel gets a bare one.
func (s *Server) searchChannels() map[string]*channelRecord {
	out := map[string]*channelRecord{}
	for key, ch := range s.st.channels {
		out[key] = ch
	}
	for _, m := range s.st.messages {
		if key := cid(m.ChannelType, m.ChannelID); out[key] == nil {
			out[key] = &channelRecord{Channel: Channel{Type: m.ChannelType, ID: m.ChannelID}}
		}
	}
	return out
}

func (s *Server) messageMatches(p map[string]any, m *Message) (bool, error) {
	if q := str(p, "query"); q != "" {
		return strings.Contains(strings.ToLower(m.Text), strings.ToLower(q)), nil
	}
	return matches(obj(p, "message_filter_conditions"), func(f string) (any, bool) { return messageField(m, f) })
}

func (s *Server) searchResult(m *Message) map[string]any {
	out := s.st.messageJSON(m)
	ch, ok := s.st.channels[cid(m.ChannelType, m.ChannelID)]
	if !ok {
		ch = &channelRecord{Channel: Channel{Type: m.ChannelType, ID: m.ChannelID}}
	}
	out["channel"] = s.st.channelJSON(ch)
	return out
}

// sortHits orders by the sort fields given, then by creation (Stream's id tiebreak).
func sortHits(hits []*Message, sort []any) {
	slices.SortStableFunc(hits, func(a, b *Message) int {
		for _, e := range sort {
			o, _ := e.(map[string]any)
			dir, _ := o["direction"].(float64)
			if c := compareField(a, b, str(o, "field")); c != 0 {
				if dir < 0 {
					return -c
				}
				return c
			}
		}
		return compareField(a, b, "created_at")
	})
}

func compareField(a, b *Message, field string) int {
	switch field {
	case "updated_at":
		return a.UpdatedAt.Compare(b.UpdatedAt)
	case "id":
		return strings.Compare(a.ID, b.ID)
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// normaliseSearchPayload applies dropEmpty (normalise.go) to the JSON payload query
// parameter of a Search request, which stream-chat-go fills with "" and null for unset
// fields. A payload that is not JSON is left for the validator to report.
func normaliseSearchPayload(r *http.Request) {
	q := r.URL.Query()
	var v any
	if err := json.Unmarshal([]byte(q.Get("payload")), &v); err != nil {
		return
	}
	b, err := json.Marshal(dropEmpty(v))
	if err != nil {
		return
	}
	q.Set("payload", string(b))
	r.URL.RawQuery = q.Encode()
}
