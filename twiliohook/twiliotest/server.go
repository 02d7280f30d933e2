package twiliotest

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/smsbridge/smsbridge/internal/conncount"
)

// Options configure a fake Twilio server.
type Options struct {
	// AccountSID ("AC" + 32 hex digits) and AuthToken are the only credentials the fake accepts.
	AccountSID, AuthToken string
	// Fail is called for every request that breaks the Twilio API spec and for misuse of the
	// fake; tests pass t.Errorf. Nil only records (see Violations).
	Fail func(format string, args ...any)
	// SkipValidation turns spec validation off. For benchmarks only.
	SkipValidation bool
}

// Server is a fake of Twilio's Messages API on an httptest server at 127.0.0.1.
// It is safe for concurrent use.
type Server struct {
	opts Options
	spec *apiSpec
	http *httptest.Server
	done chan struct{} // closed by Close, ends injected delays

	mu          sync.Mutex
	records     []*record // every message, outbound and inbound, in insertion order
	bySid       map[string]*record
	calls       int
	failTo      map[string]Error
	optOuts     map[pair]bool // STOPs a Network's phones texted
	faults      []Fault
	violations  []string
	closeOnce   sync.Once
	network     *Network                     // phones and carriers (network.go); nil: none
	numbers     []*IncomingNumber            // the account's phone numbers (numbers.go)
	services    map[string]*MessagingService // Messaging Services by sid (services.go)
	senders     []WhatsAppSender             // WhatsApp senders (senders.go)
	contents    map[string]string            // Content Templates by sid (whatsapp.go)
	lastInbound map[string]time.Time         // WhatsApp address -> its last message (whatsapp.go)
	updates     []SettingsUpdate             // every number and service update (numbers.go)

	accepted conncount.Counter // TCP connections accepted (bench.go)
}

var accountSidPattern = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)

// maxBody caps request bodies; Twilio's own limits are far below it.
const maxBody = 1 << 20

// NewServer starts a fake Twilio. It panics when the options cannot work (a malformed
// AccountSID or an empty AuthToken), as httptest.NewServer panics when it cannot listen.
func NewServer(o Options) *Server {
	if !accountSidPattern.MatchString(o.AccountSID) {
		panic(fmt.Sprintf("twiliotest: AccountSID %q is not \"AC\" followed by 32 hex digits", o.AccountSID))
	}
	if o.AuthToken == "" {
		panic("twiliotest: AuthToken is empty")
	}
	spec, err := loadSpec()
	if err != nil {
		panic("twiliotest: " + err.Error())
	}
	s := &Server{opts: o, spec: spec, done: make(chan struct{}),
		bySid: map[string]*record{}, failTo: map[string]Error{}}
	s.http = httptest.NewUnstartedServer(s)
	s.http.Config.ConnState = s.accepted.Track
	s.http.Start()
	return s
}

// URL is the fake's base URL (http://127.0.0.1:port); it stands for https://api.twilio.com.
func (s *Server) URL() string { return s.http.URL }

// Close ends injected delays and shuts the server down.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.http.Close()
}

// Calls is the number of CreateMessage requests received, failed ones included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// ResetCalls sets the CreateMessage counter back to zero.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = 0
}

// Violations lists every spec violation and misuse reported so far, oldest first.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// violation records a problem and reports it through Options.Fail.
func (s *Server) violation(format string, args ...any) {
	msg := fmt.Sprintf("twiliotest: "+format, args...)
	s.mu.Lock()
	s.violations = append(s.violations, msg)
	s.mu.Unlock()
	if s.opts.Fail != nil {
		s.opts.Fail("%s", msg)
	}
}

// ServeHTTP routes a request: count, authenticate, validate, then run the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return // the client went away
	}
	op, params := route(r)
	if op == opCreate {
		s.mu.Lock()
		s.calls++
		s.mu.Unlock()
	}
	if op == 0 {
		s.violation("%s %s is not an operation the fake serves (CreateMessage, ListMessage, FetchMessage, ListMedia, "+
			"ListIncomingPhoneNumber, UpdateIncomingPhoneNumber, FetchService, UpdateService, ListPhoneNumber, ListChannelsSender)", r.Method, r.URL.Path)
		e := Error{Status: http.StatusNotFound, Code: codeNotFound}
		if params != nil {
			e = Error{Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed}
		}
		writeError(w, e)
		return
	}
	account := params["AccountSid"]
	if op.messaging() { // Messaging v1 paths name no account: the credentials do
		account = s.opts.AccountSID
	}
	if !s.authorized(r, account) {
		writeError(w, Error{Status: http.StatusUnauthorized, Code: codeAuthenticate})
		return
	}
	if !s.opts.SkipValidation {
		if err := s.spec.validateRequest(r, op, params, body); err != nil {
			s.violation("%s %s violates the Twilio API spec: %v", r.Method, r.URL.Path, err)
			writeError(w, violationError(op, body, err))
			return
		}
	}
	switch op {
	case opCreate:
		s.create(w, r, params, body)
	case opList:
		s.list(w, r, params)
	case opFetch:
		s.fetch(w, r, params)
	case opMedia:
		s.listMedia(w, r, params)
	case opListNumbers:
		s.listNumbers(w, r, params)
	case opUpdateNumber:
		s.updateNumber(w, r, params, body)
	case opFetchService, opUpdateService:
		s.service(w, r, op, params, body)
	case opServiceNumbers:
		s.serviceNumbers(w, r, params)
	case opListSenders:
		s.listSenders(w, r, params)
	}
}

// route maps a request to an operation and its path parameters. For a known path with the
// wrong method it returns 0 and non-nil params.
func route(r *http.Request) (operation, map[string]string) {
	if r.URL.Path == sendersPath {
		if r.Method == http.MethodGet {
			return opListSenders, map[string]string{}
		}
		return 0, map[string]string{}
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/v1/Services/"); ok {
		return routeMessaging(r, strings.Split(rest, "/"))
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/2010-04-01/Accounts/")
	if !ok {
		return 0, nil
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && parts[1] == "Messages.json":
		params := map[string]string{"AccountSid": parts[0]}
		switch r.Method {
		case http.MethodPost:
			return opCreate, params
		case http.MethodGet:
			return opList, params
		}
		return 0, params
	case len(parts) == 3 && parts[1] == "Messages" && strings.HasSuffix(parts[2], ".json"):
		params := map[string]string{"AccountSid": parts[0], "Sid": strings.TrimSuffix(parts[2], ".json")}
		if r.Method == http.MethodGet {
			return opFetch, params
		}
		return 0, params
	case len(parts) >= 2 && strings.HasPrefix(parts[1], "IncomingPhoneNumbers"):
		return routeNumbers(r, parts)
	case len(parts) == 4 && parts[1] == "Messages" && parts[3] == "Media.json":
		params := map[string]string{"AccountSid": parts[0], "MessageSid": parts[2]}
		if r.Method == http.MethodGet {
			return opMedia, params
		}
		return 0, params
	}
	return 0, nil
}

// authorized checks HTTP Basic auth (AccountSid:AuthToken) and that the path's account is
// the authenticated one.
func (s *Server) authorized(r *http.Request, pathAccount string) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.AccountSID))
	passOK := subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.AuthToken))
	return userOK&passOK == 1 && pathAccount == s.opts.AccountSID
}

// respond writes a success answer and, unless validation is off, checks it against the
// spec: a mismatch is a bug in the fake and is reported like a violation.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, op operation, params map[string]string, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.violation("encode response: %v", err)
		writeError(w, Error{Status: http.StatusInternalServerError})
		return
	}
	if !s.opts.SkipValidation {
		if err := s.spec.validateResponse(r, op, params, status, b); err != nil {
			s.violation("bug in the fake: its %s %s answer breaks the spec: %v", r.Method, r.URL.Path, err)
		}
	}
	writeRaw(w, status, b)
}

// violationError is the answer to a request that breaks the spec. When Twilio documents a
// code for the problem (a CreateMessage without To is 21604) the answer carries it;
// otherwise it carries 20001 and says what is wrong.
func violationError(op operation, body []byte, err error) Error {
	if op == opCreate {
		form, _ := url.ParseQuery(string(body))
		if _, e, _ := parseCreate(form).check(time.Now()); e != nil {
			return *e
		}
	}
	return Error{Code: codeUnknownParameters, Message: "twiliotest: request violates the Twilio API spec: " + err.Error()}
}
