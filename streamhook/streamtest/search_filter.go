package streamtest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// The filters of Search: the fields the fake knows and the operators it applies.

// lastMessageAt is each channel's newest message's creation time, by cid. s.mu is held.
func (s *Server) lastMessageAt() map[string]time.Time {
	out := map[string]time.Time{}
	for _, m := range s.st.messages {
		if key := cid(m.ChannelType, m.ChannelID); m.CreatedAt.After(out[key]) {
			out[key] = m.CreatedAt
		}
	}
	return out
}

func channelField(ch *channelRecord, field string, lastMessageAt map[string]time.Time) (any, bool) {
	switch field {
	case "last_message_at":
		t, ok := lastMessageAt[cid(ch.Type, ch.ID)]
		return ts(t), ok
	case "type":
		return ch.Type, true
	case "id":
		return ch.ID, true
	case "cid":
		return cid(ch.Type, ch.ID), true
	}
	v, ok := ch.Custom[field]
	return v, ok
}

func messageField(m *Message, field string) (any, bool) {
	switch field {
	case "id":
		return m.ID, true
	case "text":
		return m.Text, true
	case "type":
		return m.Type, true
	case "user.id":
		return m.UserID, true
	case "created_at":
		return ts(m.CreatedAt), true
	case "parent_id":
		return str(m.Custom, "parent_id"), true
	}
	v, ok := m.Custom[field]
	return v, ok
}

// matches evaluates a filter object: every member must hold.
func matches(filter map[string]any, get func(string) (any, bool)) (bool, error) {
	for field, cond := range filter {
		if strings.HasPrefix(field, "$") {
			return false, fmt.Errorf("operator %s is not supported by the fake", field)
		}
		value, present := get(field)
		ok, err := holds(cond, value, present)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// holds evaluates one field's condition: a bare value, {"$eq": v} or {"$in": [v, ...]}.
func holds(cond, value any, present bool) (bool, error) {
	ops, isOps := cond.(map[string]any)
	if !isOps {
		return present && reflect.DeepEqual(cond, value), nil
	}
	for op, arg := range ops {
		switch op {
		case "$eq":
			if !present || !reflect.DeepEqual(arg, value) {
				return false, nil
			}
		case "$in":
			l, ok := arg.([]any)
			if !ok {
				return false, fmt.Errorf("$in needs a list")
			}
			if !present || !slices.ContainsFunc(l, func(e any) bool { return reflect.DeepEqual(e, value) }) {
				return false, nil
			}
		case "$gt", "$gte", "$lt", "$lte":
			ok, err := ordered(op, arg, value, present)
			if err != nil || !ok {
				return false, err
			}
		default:
			return false, fmt.Errorf("operator %s is not supported by the fake", op)
		}
	}
	return true, nil
}

// ordered compares timestamps (RFC 3339 strings, as Stream takes them) with a
// range operator; an absent field matches no range.
func ordered(op string, arg, value any, present bool) (bool, error) {
	want, err := timestamp(arg)
	if err != nil {
		return false, fmt.Errorf("%s needs a timestamp: %w", op, err)
	}
	if !present {
		return false, nil
	}
	got, err := timestamp(value)
	if err != nil {
		return false, fmt.Errorf("%s on a field that is not a timestamp", op)
	}
	c := got.Compare(want)
	switch op {
	case "$gt":
		return c > 0, nil
	case "$gte":
		return c >= 0, nil
	case "$lt":
		return c < 0, nil
	}
	return c <= 0, nil
}

func timestamp(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%v is not a string", v)
	}
	return time.Parse(time.RFC3339Nano, s)
}
