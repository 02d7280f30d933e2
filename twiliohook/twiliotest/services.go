package twiliotest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MessagingService is a Messaging Service (Messaging v1 Service resource) with the inbound
// settings `smsbridge doctor` reads and fixes, and its sender pool.
type MessagingService struct {
	Sid                       string // "MG" + 32 hex digits; AddService makes one when empty
	FriendlyName              string
	InboundRequestURL         string
	InboundMethod             string // defaults to POST
	FallbackURL               string
	UseInboundWebhookOnNumber bool     // "Defer to sender's webhook"
	Numbers                   []string // E.164 numbers of the account (AddNumber) in the pool
}

// AddService adds a Messaging Service to the account and returns it as stored.
func (s *Server) AddService(m MessagingService) MessagingService {
	if m.Sid == "" {
		m.Sid = newSid("MG")
	}
	if m.InboundMethod == "" {
		m.InboundMethod = http.MethodPost
	}
	m.Numbers = append([]string(nil), m.Numbers...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.services == nil {
		s.services = map[string]*MessagingService{}
	}
	s.services[m.Sid] = &m
	return m
}

// Service returns the Messaging Service sid as the API would show it.
func (s *Server) Service(sid string) (MessagingService, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.services[sid]
	if !ok {
		return MessagingService{}, false
	}
	out := *m
	out.Numbers = append([]string(nil), m.Numbers...)
	return out, true
}

// ChangeService changes a Messaging Service's settings, as someone in Twilio's console
// would; tests use it to set a wrong configuration. It reports whether the service exists.
func (s *Server) ChangeService(sid string, change func(*MessagingService)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.services[sid]
	if ok {
		change(m)
	}
	return ok
}

// routeMessaging maps /v1/Services/{Sid} (fetch, update) and
// /v1/Services/{ServiceSid}/PhoneNumbers (list).
func routeMessaging(r *http.Request, parts []string) (operation, map[string]string) {
	switch {
	case len(parts) == 1 && parts[0] != "":
		params := map[string]string{"Sid": parts[0]}
		switch r.Method {
		case http.MethodGet:
			return opFetchService, params
		case http.MethodPost:
			return opUpdateService, params
		}
		return 0, params
	case len(parts) == 2 && parts[1] == "PhoneNumbers":
		params := map[string]string{"ServiceSid": parts[0]}
		if r.Method == http.MethodGet {
			return opServiceNumbers, params
		}
		return 0, params
	}
	return 0, nil
}

// messaging reports whether op is a Messaging v1 operation (messaging.twilio.com).
func (op operation) messaging() bool {
	return op == opFetchService || op == opUpdateService || op == opServiceNumbers || op == opListSenders
}

// servicesEpoch stands for the services' creation date: nothing reads it.
var servicesEpoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339)

const messagingBase = "https://messaging.twilio.com/v1/Services/"

func (m *MessagingService) api(account string) map[string]any {
	return map[string]any{
		"sid": m.Sid, "account_sid": account, "friendly_name": m.FriendlyName,
		"date_created": servicesEpoch, "date_updated": servicesEpoch,
		"inbound_request_url": nullable(m.InboundRequestURL), "inbound_method": m.InboundMethod,
		"fallback_url": nullable(m.FallbackURL), "fallback_method": http.MethodPost,
		"status_callback": nil, "sticky_sender": true, "mms_converter": true, "smart_encoding": true,
		"scan_message_content": "inherit", "fallback_to_long_code": true, "area_code_geomatch": true,
		"synchronous_validation": true, "validity_period": 14400, "url": messagingBase + m.Sid,
		"links":   map[string]any{"phone_numbers": messagingBase + m.Sid + "/PhoneNumbers"},
		"usecase": "undeclared", "us_app_to_person_registered": false,
		"use_inbound_webhook_on_number": m.UseInboundWebhookOnNumber,
	}
}

// service serves FetchService and, for the inbound settings, UpdateService (the other
// settings it takes are accepted and not kept).
func (s *Server) service(w http.ResponseWriter, r *http.Request, op operation, params map[string]string, body []byte) {
	form, _ := url.ParseQuery(string(body)) // validated against the spec already
	s.mu.Lock()
	m, ok := s.services[params["Sid"]]
	var out map[string]any
	if ok {
		if op == opUpdateService {
			s.updates = append(s.updates, SettingsUpdate{Sid: m.Sid, Form: form})
			setIf(form, "InboundRequestUrl", &m.InboundRequestURL)
			setIf(form, "InboundMethod", &m.InboundMethod)
			setIf(form, "FallbackUrl", &m.FallbackURL)
			if v := form.Get("UseInboundWebhookOnNumber"); v != "" {
				m.UseInboundWebhookOnNumber, _ = strconv.ParseBool(v)
			}
		}
		out = m.api(s.opts.AccountSID)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, Error{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	s.respond(w, r, op, params, http.StatusOK, out)
}

// serviceNumbers serves ListPhoneNumber: the service's sender pool, one page.
func (s *Server) serviceNumbers(w http.ResponseWriter, r *http.Request, params map[string]string) {
	sid := params["ServiceSid"]
	s.mu.Lock()
	m, ok := s.services[sid]
	list := []any{}
	for _, phone := range m.pool() {
		n := s.numberLocked(phone)
		if n == nil {
			continue
		}
		caps := []string{"Voice"}
		if !n.NoSMS {
			caps = append(caps, "SMS", "MMS")
		}
		list = append(list, map[string]any{
			"sid": n.Sid, "account_sid": s.opts.AccountSID, "service_sid": sid,
			"date_created": servicesEpoch, "date_updated": servicesEpoch, "phone_number": n.PhoneNumber,
			"country_code": countryCode(n.PhoneNumber), "capabilities": caps,
			"url": messagingBase + sid + "/PhoneNumbers/" + n.Sid,
		})
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, Error{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	self := messagingBase + sid + "/PhoneNumbers?PageSize=50&Page=0"
	s.respond(w, r, opServiceNumbers, params, http.StatusOK, map[string]any{"phone_numbers": list,
		"meta": map[string]any{"page": 0, "page_size": 50, "first_page_url": self, "url": self,
			"previous_page_url": nil, "next_page_url": nil, "key": "phone_numbers"}})
}

func (m *MessagingService) pool() []string {
	if m == nil {
		return nil
	}
	return m.Numbers
}

// countryCode is enough of one for the fictional numbers tests use.
func countryCode(e164 string) string {
	if strings.HasPrefix(e164, "+44") {
		return "GB"
	}
	return "US"
}
