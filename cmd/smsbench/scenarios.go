package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// scenario is one kind of traffic, measured on the relay and on the bridge.
type scenario struct {
	name  string // for -scenarios
	title string
	// prepare seeds what the traffic needs and returns its request builder;
	// errSkip means the bridge lacks the route.
	prepare func(w *world) (func() requestFunc, error)
}

var errSkip = errors.New("not served by this build")

func scenarios(numbers int) []scenario {
	form := newInboundForm(authToken, publicURL, "/receive-sms", clinicNumber)
	inbound := func(number func(n uint64) string) func(*world) (func() requestFunc, error) {
		return func(*world) (func() requestFunc, error) { return inboundRequests(form, number), nil }
	}
	firstNew := max(numbers, fictionalNumbers) // past every seeded patient
	return []scenario{
		{name: "inbound-1", title: "Inbound SMS, steady state, 1 number",
			prepare: inbound(func(uint64) string { return patientNumber(0) })},
		{name: "inbound-many", title: fmt.Sprintf("Inbound SMS, steady state, %s numbers", thousands(int64(numbers))),
			prepare: inbound(func(n uint64) string { return patientNumber(int(n % uint64(numbers))) })},
		{name: "first-contact", title: "Inbound SMS, first contact (a new number each request)",
			prepare: inbound(func(n uint64) string { return patientNumber(firstNew + int(n)) })},
		{name: "outbound", title: "Outbound admin replies (Stream webhook → SMS through Twilio, marked in Stream)",
			prepare: outboundRequests},
		{name: "reminder", title: "Reminders through the API (POST /send-reminder with a bearer token)",
			prepare: reminderRequests},
	}
}

// reminderRequests logs in once and returns a builder of reminders to the
// seeded patients (valid numbers only: /send-reminder refuses the others).
func reminderRequests(w *world) (func() requestFunc, error) {
	token, err := login(w.bridge.base)
	if err != nil {
		return nil, err
	}
	valid := uint64(min(w.numbers, fictionalNumbers))
	return func() requestFunc {
		return func(base string, n uint64) (*http.Request, error) {
			body := `{"phoneNumber":"` + patientNumber(int(n%valid)) + `","messageText":"` + replyText + `"}`
			req, err := http.NewRequest(http.MethodPost, base+"/send-reminder", bytes.NewReader([]byte(body)))
			if err != nil {
				return nil, err
			}
			req.Header = http.Header{
				"Content-Type":  {"application/json"},
				"Authorization": {"Bearer " + token},
			}
			return req, nil
		}
	}, nil
}

// login gets a dashboard token, or errSkip when the bridge has no
// /send-reminder route.
func login(base string) (string, error) {
	probe, err := http.Post(base+"/send-reminder", "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil {
		return "", err
	}
	probe.Body.Close()
	if probe.StatusCode == http.StatusNotFound || probe.StatusCode == http.StatusMethodNotAllowed {
		return "", errSkip
	}
	creds, _ := json.Marshal(map[string]string{"adminId": adminID, "password": adminPassword})
	resp, err := http.Post(base+"/admin-login", "application/json", bytes.NewReader(creds))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || out.Token == "" {
		return "", fmt.Errorf("POST /admin-login: status %d", resp.StatusCode)
	}
	return out.Token, nil
}
