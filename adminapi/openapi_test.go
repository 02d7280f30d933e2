package adminapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

// TestEveryDocumentedAnswerIsProducedAndMatchesTheDocument drives the real
// handlers into every answer the OpenAPI document lists; env.do checks each
// one against the served document. A documented answer the code never gives,
// or an answer the document does not describe, fails the test.
func TestEveryDocumentedAnswerIsProducedAndMatchesTheDocument(t *testing.T) {
	// front_desk works at north, dr_lee at south: a south request from
	// front_desk is the 403.
	v := newEnvAt(t, map[string]string{"front_desk": adminHash, "dr_lee": adminHash}, bridge.Locations{
		{ID: "north", Name: "North Street Clinic", Numbers: []string{"+12015550100"}, Admins: []string{"front_desk"}},
		{ID: "south", Name: "South Avenue Clinic", Numbers: []string{"+12015550101"}, Admins: []string{"dr_lee"}},
	})
	tok := adminToken(t, "front_desk")
	big := `{"adminId":"front_desk","password":"` + strings.Repeat("a", 64<<10) + `"}`

	v.login("front_desk", password)                                                 // 200
	v.do(http.MethodPost, "/admin-login", `{`)                                      // 400
	v.do(http.MethodPost, "/admin-login", big)                                      // 413
	v.do(http.MethodPost, "/admin-login", `{}`, "Content-Type", "text/plain")       // 415
	v.doReader(http.MethodPost, "/admin-login", brokenBody(os.ErrDeadlineExceeded)) // 408
	v.users.err = fmt.Errorf("x: %w", bridge.ErrUnavailable)                        // 503
	v.login("front_desk", password)                                                 //
	v.users.err = fmt.Errorf("x: %w", bridge.ErrUpstream)                           // 502
	v.login("front_desk", password)                                                 //
	v.users.err = errors.New("boom")                                                // 500
	v.login("front_desk", password)                                                 //
	for range 6 {                                                                   // 401 x5, then 429
		v.login("dr_lee", "guess")
	}

	v.remind(tok, reminderBody) // 200
	idem := func(body string) {
		v.do(http.MethodPost, "/send-reminder", body, "Authorization", "Bearer "+tok, "Idempotency-Key", "doc-1")
	}
	idem(reminderBody)                                                                                                  // 200
	idem(strings.Replace(reminderBody, "at 10", "at 11", 1))                                                            // 422
	v.remind("", reminderBody)                                                                                          // 401
	v.remind(tok, `{"phoneNumber":"12","messageText":"See you tomorrow"}`)                                              // 400
	v.remind(tok, `{"phoneNumber":"+12015550142","messageText":"See you tomorrow","location":"south"}`)                 // 403
	v.remind(tok, `{"messageText":"`+strings.Repeat("a", 64<<10)+`"}`)                                                  // 413
	v.do(http.MethodPost, "/send-reminder", reminderBody, "Authorization", "Bearer "+tok, "Content-Type", "text/plain") // 415
	v.doReader(http.MethodPost, "/send-reminder", brokenBody(os.ErrDeadlineExceeded), "Authorization", "Bearer "+tok)   // 408
	for _, err := range []error{
		bridge.Errorf(bridge.ErrOptedOut, "opted_out", "Opted out."), // 409
		quietHoursError(), // 409 with nextAllowedAt
		&bridge.Error{Kind: bridge.ErrUpstream, Code: "21408", Message: "x"}, // 502
		fmt.Errorf("x: %w", bridge.ErrUnavailable),                           // 503
		errors.New("boom"), // 500
	} {
		v.reminders.err = err
		v.remind(tok, reminderBody)
	}

	v.reminders.err = nil
	for range 30 { // 429: past the burst of 20
		if v.remind(tok, reminderBody).Code == http.StatusTooManyRequests {
			break
		}
	}

	v.do(http.MethodGet, "/reminder-templates", "", "Authorization", "Bearer "+tok) // 200
	v.do(http.MethodGet, "/reminder-templates", "")                                 // 401
	preview := func(body string, header ...string) {
		v.do(http.MethodPost, "/sms-preview", body, append([]string{"Authorization", "Bearer " + tok}, header...)...)
	}
	preview(`{"messageText":"See you tomorrow"}`)                                   // 200
	preview(`{"template":"birthday"}`)                                              // 400
	preview(`{"messageText":"See you tomorrow","location":"south"}`)                // 403
	v.do(http.MethodPost, "/sms-preview", `{"messageText":"See you tomorrow"}`)     // 401
	preview(`{"messageText":"` + strings.Repeat("a", 64<<10) + `"}`)                // 413
	preview(`{}`, "Content-Type", "text/plain")                                     // 415
	v.doReader(http.MethodPost, "/sms-preview", brokenBody(os.ErrDeadlineExceeded), // 408
		"Authorization", "Bearer "+tok)
	for range 70 { // 429: past the burst of 60
		if v.do(http.MethodPost, "/sms-preview", `{"messageText":"Hi"}`, "Authorization", "Bearer "+tok).Code == http.StatusTooManyRequests {
			break
		}
	}

	if missing := v.spec.Unchecked(); len(missing) > 0 {
		t.Errorf("documented but never produced: %v", missing)
	}
}
