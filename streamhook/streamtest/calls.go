package streamtest

// Operation names, for Calls and fault injection. Each is one operation of
// Stream's API (its OpenAPI operationId in the comment).
const (
	OpGetChannelType       = "get_channel_type"       // GetChannelType: GET /channeltypes/{name}
	OpCreateChannelType    = "create_channel_type"    // CreateChannelType: POST /channeltypes
	OpUpsertUsers          = "upsert_users"           // UpdateUsers: POST /users
	OpQueryChannel         = "query_channel"          // GetOrCreateChannel: POST /channels/{type}/{id}/query
	OpSendMessage          = "send_message"           // SendMessage: POST /channels/{type}/{id}/message
	OpUpdateChannelPartial = "update_channel_partial" // UpdateChannelPartial: PATCH /channels/{type}/{id}
	OpGetMessage           = "get_message"            // GetMessage: GET /messages/{id}
	OpUpdateMessagePartial = "update_message_partial" // UpdateMessagePartial: PUT /messages/{id}
	OpUpdateMessage        = "update_message"         // UpdateMessage: POST /messages/{id}
	OpSearch               = "search"                 // Search: GET /search
	OpGetApp               = "get_app"                // GetApp: GET /app
	OpUpdateApp            = "update_app"             // UpdateApp: PATCH /app
	OpQueryUsers           = "query_users"            // QueryUsers: GET /users

	// OpAny matches every operation in FailNext and FailAlways.
	OpAny = "*"
)

// opByOperationID maps the spec's operationIds to the names above.
var opByOperationID = map[string]string{
	"GetChannelType":       OpGetChannelType,
	"CreateChannelType":    OpCreateChannelType,
	"UpdateUsers":          OpUpsertUsers,
	"GetOrCreateChannel":   OpQueryChannel,
	"SendMessage":          OpSendMessage,
	"UpdateChannelPartial": OpUpdateChannelPartial,
	"GetMessage":           OpGetMessage,
	"UpdateMessagePartial": OpUpdateMessagePartial,
	"UpdateMessage":        OpUpdateMessage,
	"Search":               OpSearch,
	"GetApp":               OpGetApp,
	"UpdateApp":            OpUpdateApp,
	"QueryUsers":           OpQueryUsers,
}

// Calls returns how many requests for op the fake has received since it
// started or since ResetCalls, whatever their outcome (refused, faulted,
// invalid or served).
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// TotalCalls returns how many requests the fake has received, including
// unexpected ones.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// ResetCalls sets every counter back to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
	s.total = 0
}

func (s *Server) countCall(op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	if op != "" {
		s.calls[op]++
	}
}
