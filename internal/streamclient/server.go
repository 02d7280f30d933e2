package streamclient

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

// Options configure New.
type Options struct {
	Stream            *streamtest.Server // the server-side fake whose state is shared
	APIKey, APISecret string             // the app's, as the fake's
	// Roles tells a user's role (Stream's user role: "admin", "user");
	// nil: the fake's stored user.
	Roles func(userID string) string
}

// Server is the simulated client-side API: REST at URL, the WebSocket at
// URL + "/connect".
type Server struct {
	opts Options
	srv  *http.Server
	ln   net.Listener
	hub  *hub
	wg   sync.WaitGroup
}

// New serves the client API on ln (which should be on 127.0.0.1, and not
// on port 3030: stream-chat 4 and later rewrite it to 8800 for WebSockets).
func New(ln net.Listener, o Options) *Server {
	s := &Server{opts: o, ln: ln}
	s.hub = newHub(s)
	o.Stream.OnChange(s.hub.enqueue)
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); _ = s.srv.Serve(ln) }()
	go func() { defer s.wg.Done(); s.hub.run() }()
	return s
}

// URL is the base URL a client passes to setBaseURL (the sandbox's
// streamBaseUrl).
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops serving and drops every connection.
func (s *Server) Close() {
	s.opts.Stream.OnChange(nil)
	_ = s.srv.Close()
	s.hub.close()
	s.wg.Wait()
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect", s.connect)
	mux.Handle("GET /channels", s.rest(s.queryChannels))
	mux.Handle("POST /channels", s.rest(s.queryChannels))
	mux.Handle("POST /channels/{type}/{id}/query", s.rest(s.queryChannel))
	mux.Handle("POST /channels/{type}/{id}/message", s.rest(s.sendMessage))
	mux.Handle("POST /channels/{type}/{id}/read", s.rest(s.markRead))
	mux.Handle("POST /channels/{type}/{id}/event", s.rest(s.sendEvent))
	mux.Handle("POST /channels/{type}/{id}/stop-watching", s.rest(s.stopWatching))
	mux.Handle("POST /channels/delivered", s.rest(func(*request) (any, *apiError) { return map[string]any{}, nil }))
	mux.Handle("GET /members", s.rest(s.queryMembers))
	mux.Handle("GET /messages/{id}/replies", s.rest(s.replies))
	mux.Handle("GET /app", s.rest(s.app))
	mux.Handle("/", s.rest(func(r *request) (any, *apiError) {
		return nil, newError(http.StatusNotFound, codeNotFound, fmt.Sprintf("the sandbox does not simulate %s %s", r.Method, r.URL.Path))
	}))
	return cors(mux)
}

// cors lets any origin call, as Stream's client API does: the token, not
// the origin, is the credential.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if o := r.Header.Get("Origin"); o != "" {
			h.Set("Access-Control-Allow-Origin", o)
			h.Add("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", req)
			}
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusOK)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// request is an authenticated REST call.
type request struct {
	*http.Request
	user   string
	connID string
	body   map[string]any // the JSON body, or GET's payload parameter
}

// rest authenticates a call (raw JWT in Authorization, stream-auth-type,
// api_key, user_id), reads its body or payload, and writes the answer or
// Stream's error.
func (s *Server) rest(h func(*request) (any, *apiError)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		user, aerr := s.authenticate(q.Get("api_key"), r.Header.Get("Authorization"), r.Header.Get("Stream-Auth-Type"), q.Get("user_id"))
		if aerr != nil {
			writeJSON(w, aerr.StatusCode, aerr)
			return
		}
		req := &request{Request: r, user: user, connID: q.Get("connection_id"), body: map[string]any{}}
		raw := []byte(q.Get("payload"))
		if r.Method != http.MethodGet {
			var err error
			if raw, err = readBody(r); err != nil {
				writeJSON(w, http.StatusBadRequest, newError(http.StatusBadRequest, codeInput, "cannot read the request body"))
				return
			}
		}
		if len(raw) > 0 && json.Unmarshal(raw, &req.body) != nil {
			writeJSON(w, http.StatusBadRequest, newError(http.StatusBadRequest, codeInput, "the request is not valid JSON"))
			return
		}
		resp, aerr := h(req)
		if aerr != nil {
			writeJSON(w, aerr.StatusCode, aerr)
			return
		}
		if m, ok := resp.(map[string]any); ok {
			m["duration"] = "0.10ms"
		}
		status := http.StatusCreated
		if r.Method == http.MethodGet {
			status = http.StatusOK
		}
		writeJSON(w, status, resp)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
