package streamtest

import "slices"

// The fake hands out and takes in copies only, so neither a test nor a
// handler can change stored state behind the mutex.

// deepCopy copies JSON-like values (maps, slices, scalars).
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

// copyMap deep-copies m; a nil map stays nil.
func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = deepCopy(e)
	}
	return out
}

func copyUser(u User) User {
	u.Custom = copyMap(u.Custom)
	u.Teams = slices.Clone(u.Teams)
	return u
}

func copyChannel(c Channel) Channel {
	c.Members = slices.Clone(c.Members)
	c.Custom = copyMap(c.Custom)
	return c
}

func copyMessage(m Message) Message {
	m.Custom = copyMap(m.Custom)
	if m.Attachments != nil {
		atts := make([]Attachment, len(m.Attachments))
		for i, a := range m.Attachments {
			a.Custom = copyMap(a.Custom)
			atts[i] = a
		}
		m.Attachments = atts
	}
	return m
}
