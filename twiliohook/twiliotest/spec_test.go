package twiliotest_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestRequestsBreakingTheSpecAreReportedAndRefused(t *testing.T) {
	messages := "/2010-04-01/Accounts/" + testAccount + "/Messages.json"
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, contentType, body string
		status, code                          int
	}{
		{"a misspelt parameter", "POST", messages, form, "To=%2B12015550123&From=%2B12015550100&Bodyy=Hi", 400, 21602},
		{"a value outside an enum", "POST", messages, form, "To=%2B12015550123&From=%2B12015550100&Body=Hi&ScheduleType=later", 400, 35126},
		{"a malformed Messaging Service SID", "POST", messages, form, "To=%2B12015550123&MessagingServiceSid=MG1&Body=Hi", 400, 20001},
		{"a missing To, which Twilio answers with 21604", "POST", messages, form, "From=%2B12015550100&Body=Hi", 400, 21604},
		{"a JSON body", "POST", messages, "application/json", `{"To":"+12015550123","From":"+12015550100","Body":"Hi"}`, 400, 21604},
		{"a scalar parameter given twice", "POST", messages, form, "To=%2B12015550123&To=%2B12015550124&From=%2B12015550100&Body=Hi", 400, 20001},
		{"SendAt without ScheduleType", "POST", messages, form, "To=%2B12015550123&MessagingServiceSid=" + testService + "&Body=Hi&SendAt=2099-01-01T00%3A00%3A00Z", 400, 20001},
		{"a PageSize over 1000", "GET", messages + "?PageSize=5000", "", "", 400, 20001},
		{"an undeclared list filter", "GET", messages + "?Status=delivered", "", "", 400, 20001},
		{"a malformed message SID", "GET", "/2010-04-01/Accounts/" + testAccount + "/Messages/XX1.json", "", "", 400, 20001},
		{"an operation the fake does not serve", "DELETE", "/2010-04-01/Accounts/" + testAccount + "/Messages/SM0123456789abcdef0123456789abcdef.json", "", "", 405, 20004},
		{"a path outside the Messages API", "GET", "/2010-04-01/Accounts/" + testAccount + "/Calls.json", "", "", 404, 20404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, rec := newRecordingFake(t)
			resp := rawRequest(t, fake, tt.method, tt.path, tt.contentType, tt.body)
			e := decodeError(t, resp)
			if resp.StatusCode != tt.status || e.Code != tt.code {
				t.Errorf("answer %d code %d (%s), want %d code %d", resp.StatusCode, e.Code, e.Message, tt.status, tt.code)
			}
			if got := rec.reports(); len(got) != 1 || !strings.HasPrefix(got[0], "twiliotest: ") {
				t.Errorf("reports = %q, want exactly one", got)
			}
			if v := fake.Violations(); len(v) != 1 {
				t.Errorf("Violations() = %q, want one", v)
			}
			if len(fake.Messages()) != 0 {
				t.Error("a refused request created a message")
			}
		})
	}
}

func TestSkipValidationStillAppliesTwilioRules(t *testing.T) {
	rec := &recorder{}
	fake := twiliotest.NewServer(twiliotest.Options{AccountSID: testAccount, AuthToken: testToken, Fail: rec.Fail, SkipValidation: true})
	t.Cleanup(fake.Close)
	resp := postForm(t, fake, url.Values{"From": {clinic}, "Body": {"Hi"}, "Extra": {"x"}})
	if e := decodeError(t, resp); e.Code != 21604 {
		t.Errorf("code = %d, want 21604", e.Code)
	}
	if len(rec.reports()) != 0 {
		t.Errorf("reports = %q, want none", rec.reports())
	}
}

// TestCreatedMessageHasExactlyTheSchemaFields pins the 201 body to the spec's
// api.v2010.account.message properties: none missing, none added.
func TestCreatedMessageHasExactlyTheSchemaFields(t *testing.T) {
	raw, err := os.ReadFile("testdata/twilio_messages_openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(maps.Keys(spec.Components.Schemas["api.v2010.account.message"].Properties))

	fake := newFake(t)
	resp := postForm(t, fake, url.Values{"To": {patient}, "From": {clinic}, "Body": {"Hi"}})
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("answer %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	b, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(body)); !slices.Equal(got, want) {
		t.Errorf("fields = %v\nwant     %v", got, want)
	}

	var ops []string
	for path, item := range spec.Paths {
		for method := range item {
			if method == "get" || method == "post" || method == "delete" {
				ops = append(ops, method+" "+path)
			}
		}
	}
	slices.Sort(ops)
	if len(ops) != 6 {
		t.Errorf("embedded spec operations = %v, want CreateMessage, ListMessage, FetchMessage, ListMedia, ListIncomingPhoneNumber, UpdateIncomingPhoneNumber", ops)
	}
}

func TestCredentialsMustMatchThePathAccount(t *testing.T) {
	fake := newFake(t)
	other := "AC" + strings.Repeat("f", 32)
	req, _ := http.NewRequest(http.MethodGet, fake.URL()+"/2010-04-01/Accounts/"+other+"/Messages.json", nil)
	req.SetBasicAuth(testAccount, testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if e := decodeError(t, resp); resp.StatusCode != 401 || e.Code != 20003 || e.Message != "Authenticate" {
		t.Errorf("answer %d %+v, want 401 20003", resp.StatusCode, e)
	}
}

func TestNewServerRefusesUnusableOptions(t *testing.T) {
	for _, o := range []twiliotest.Options{
		{AccountSID: "AC123", AuthToken: testToken},
		{AccountSID: testAccount},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewServer(%+v) did not panic", o)
				}
			}()
			twiliotest.NewServer(o).Close()
		}()
	}
}
