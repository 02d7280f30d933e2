package streamtest

import (
	"bytes"
	"encoding/json"
	"net/url"
)

// call is one authenticated, validated request on its way to a handler.
type call struct {
	op, operationID string
	params          map[string]string // path parameters
	query           url.Values        // query parameters (Search's payload)
	body            []byte
	obj             map[string]any // the decoded body, nil without one
}

// handler serves one operation with Server.mu held, so each call sees and
// changes the state atomically. It returns the success status and body
// ("duration" is added later), or an error: an *apiError is sent as is,
// anything else as a 500.
type handler func(s *Server, c *call) (int, map[string]any, error)

var handlers = map[string]handler{
	OpGetChannelType:       (*Server).getChannelType,
	OpCreateChannelType:    (*Server).createChannelType,
	OpUpsertUsers:          (*Server).upsertUsers,
	OpQueryChannel:         (*Server).queryChannel,
	OpSendMessage:          (*Server).sendMessage,
	OpUpdateChannelPartial: (*Server).updateChannelPartial,
	OpGetMessage:           (*Server).getMessage,
	OpUpdateMessagePartial: (*Server).updateMessagePartial,
	OpUpdateMessage:        (*Server).updateMessage,
	OpSearch:               (*Server).search,
	OpGetApp:               (*Server).getApp,
	OpUpdateApp:            (*Server).updateApp,
	OpQueryUsers:           (*Server).queryUsers,
}

func (s *Server) handle(c *call) (int, map[string]any, error) {
	if len(bytes.TrimSpace(c.body)) > 0 {
		if err := json.Unmarshal(c.body, &c.obj); err != nil {
			return 0, nil, inputError(c.operationID, "invalid JSON body: %v", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return handlers[c.op](s, c)
}

// Helpers to read decoded JSON leniently: a missing or mistyped member
// reads as the zero value (validation has already reported it).

func str(m map[string]any, key string) string {
	v, _ := m[key].(string)
	return v
}

func stringOr(m map[string]any, key, def string) string {
	if v := str(m, key); v != "" {
		return v
	}
	return def
}

func obj(m map[string]any, key string) map[string]any {
	v, _ := m[key].(map[string]any)
	return v
}

func list(m map[string]any, key string) []any {
	v, _ := m[key].([]any)
	return v
}

// stringList returns the string members of m[key].
func stringList(m map[string]any, key string) []string {
	var out []string
	for _, e := range list(m, key) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
