package twiliotest

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// IncomingNumber is a phone number the account owns (an IncomingPhoneNumber resource),
// with the SMS settings `smsbridge doctor` reads and fixes. The fake keeps them for the
// API only: a Network delivers inbound texts to its own WebhookURL, whatever SmsURL says.
type IncomingNumber struct {
	Sid               string // "PN" + 32 hex digits; AddNumber makes one when empty
	PhoneNumber       string // E.164
	NoSMS             bool   // the number cannot send or receive SMS (capabilities.sms false)
	SmsURL, SmsMethod string // "a message comes in" webhook; SmsMethod defaults to POST
	SmsFallbackURL    string
	SmsFallbackMethod string // defaults to POST
}

// AddNumber adds a number to the account and returns it as stored.
func (s *Server) AddNumber(n IncomingNumber) IncomingNumber {
	if n.Sid == "" {
		n.Sid = newSid("PN")
	}
	if n.SmsMethod == "" {
		n.SmsMethod = http.MethodPost
	}
	if n.SmsFallbackMethod == "" {
		n.SmsFallbackMethod = http.MethodPost
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.numbers = append(s.numbers, &n)
	return n
}

// Number returns the account's number phone, as the API would show it.
func (s *Server) Number(phone string) (IncomingNumber, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.numberLocked(phone); n != nil {
		return *n, true
	}
	return IncomingNumber{}, false
}

// ChangeNumber changes the settings of the account's number phone, as someone in Twilio's
// console would; tests use it to set a wrong configuration. It reports whether the
// number exists.
func (s *Server) ChangeNumber(phone string, change func(*IncomingNumber)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.numberLocked(phone)
	if n != nil {
		change(n)
	}
	return n != nil
}

func (s *Server) numberLocked(phone string) *IncomingNumber {
	for _, n := range s.numbers {
		if n.PhoneNumber == phone {
			return n
		}
	}
	return nil
}

// apiNumber is the IncomingPhoneNumber resource (api.v2010.account.incoming_phone_number),
// with the fields the fake keeps.
type apiNumber struct {
	AccountSid        string          `json:"account_sid"`
	APIVersion        string          `json:"api_version"`
	Capabilities      map[string]bool `json:"capabilities"`
	DateCreated       string          `json:"date_created"`
	DateUpdated       string          `json:"date_updated"`
	FriendlyName      string          `json:"friendly_name"`
	Origin            string          `json:"origin"`
	PhoneNumber       string          `json:"phone_number"`
	Sid               string          `json:"sid"`
	SmsFallbackMethod string          `json:"sms_fallback_method"`
	SmsFallbackURL    string          `json:"sms_fallback_url"`
	SmsMethod         string          `json:"sms_method"`
	SmsURL            string          `json:"sms_url"`
	Status            string          `json:"status"`
	URI               string          `json:"uri"`
}

// numbersEpoch stands for the numbers' purchase date: nothing reads it.
var numbersEpoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC1123Z)

func (n IncomingNumber) api(account string) apiNumber {
	return apiNumber{
		AccountSid: account, APIVersion: "2010-04-01",
		Capabilities: map[string]bool{"voice": true, "sms": !n.NoSMS, "mms": !n.NoSMS, "fax": false},
		DateCreated:  numbersEpoch, DateUpdated: numbersEpoch, FriendlyName: n.PhoneNumber, Origin: "twilio",
		PhoneNumber: n.PhoneNumber, Sid: n.Sid,
		SmsFallbackMethod: n.SmsFallbackMethod, SmsFallbackURL: n.SmsFallbackURL,
		SmsMethod: n.SmsMethod, SmsURL: n.SmsURL, Status: "in-use",
		URI: "/2010-04-01/Accounts/" + account + "/IncomingPhoneNumbers/" + n.Sid + ".json",
	}
}

// routeNumbers maps IncomingPhoneNumbers.json (list) and IncomingPhoneNumbers/{Sid}.json
// (update) below /2010-04-01/Accounts/{AccountSid}/.
func routeNumbers(r *http.Request, parts []string) (operation, map[string]string) {
	params := map[string]string{"AccountSid": parts[0]}
	switch {
	case len(parts) == 2 && parts[1] == "IncomingPhoneNumbers.json":
		if r.Method == http.MethodGet {
			return opListNumbers, params
		}
		return 0, params
	case len(parts) == 3 && parts[1] == "IncomingPhoneNumbers" && strings.HasSuffix(parts[2], ".json"):
		params["Sid"] = strings.TrimSuffix(parts[2], ".json")
		if r.Method == http.MethodPost {
			return opUpdateNumber, params
		}
		return 0, params
	}
	return 0, nil
}

// numbersPage is ListIncomingPhoneNumberResponse. The fake serves one page: an account
// holds a handful of numbers.
type numbersPage struct {
	pageMeta
	Numbers []apiNumber `json:"incoming_phone_numbers"`
}

// listNumbers serves ListIncomingPhoneNumber, filtered by PhoneNumber when given (Twilio
// matches a pattern; the fake an exact number, which is what callers pass).
func (s *Server) listNumbers(w http.ResponseWriter, r *http.Request, params map[string]string) {
	account := params["AccountSid"]
	want := r.URL.Query().Get("PhoneNumber")
	page := numbersPage{pageMeta: pageMeta{PageSize: defaultPageSize}, Numbers: []apiNumber{}}
	s.mu.Lock()
	for _, n := range s.numbers {
		if want == "" || n.PhoneNumber == want {
			page.Numbers = append(page.Numbers, n.api(account))
		}
	}
	s.mu.Unlock()
	page.End = max(0, len(page.Numbers)-1)
	page.URI = "/2010-04-01/Accounts/" + account + "/IncomingPhoneNumbers.json?" + pageQuery(r.URL.Query())
	page.FirstPageURI = page.URI
	s.respond(w, r, opListNumbers, params, http.StatusOK, page)
}

func pageQuery(q url.Values) string {
	out := url.Values{"PageSize": {"50"}, "Page": {"0"}}
	if v := q.Get("PhoneNumber"); v != "" {
		out.Set("PhoneNumber", v)
	}
	return out.Encode()
}

// updateNumber serves UpdateIncomingPhoneNumber for the SMS settings; the voice and
// address settings the operation also takes are accepted and not kept.
func (s *Server) updateNumber(w http.ResponseWriter, r *http.Request, params map[string]string, body []byte) {
	form, _ := url.ParseQuery(string(body)) // validated against the spec already
	s.mu.Lock()
	s.updates = append(s.updates, SettingsUpdate{Sid: params["Sid"], Form: form})
	i := slices.IndexFunc(s.numbers, func(n *IncomingNumber) bool { return n.Sid == params["Sid"] })
	var out apiNumber
	if i >= 0 {
		n := s.numbers[i]
		setIf(form, "SmsUrl", &n.SmsURL)
		setIf(form, "SmsMethod", &n.SmsMethod)
		setIf(form, "SmsFallbackUrl", &n.SmsFallbackURL)
		setIf(form, "SmsFallbackMethod", &n.SmsFallbackMethod)
		out = n.api(params["AccountSid"])
	}
	s.mu.Unlock()
	if i < 0 {
		writeError(w, Error{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	s.respond(w, r, opUpdateNumber, params, http.StatusOK, out)
}

// SettingsUpdate is one UpdateIncomingPhoneNumber or UpdateService call:
// the number's or service's sid and the form it carried.
type SettingsUpdate struct {
	Sid  string
	Form url.Values
}

// SettingsUpdates returns every number and Messaging Service update the fake
// has served, oldest first, so a test can check which fields were sent.
func (s *Server) SettingsUpdates() []SettingsUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SettingsUpdate, len(s.updates))
	for i, u := range s.updates {
		out[i] = SettingsUpdate{Sid: u.Sid, Form: maps.Clone(u.Form)}
	}
	return out
}

// setIf sets *dst to the form's value of name when the form has one.
func setIf(form url.Values, name string, dst *string) {
	if vs, ok := form[name]; ok {
		*dst = vs[0]
	}
}
