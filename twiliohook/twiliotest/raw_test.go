package twiliotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// rawRequest sends what a hand-written client would, authenticated as the test account.
func rawRequest(t *testing.T, fake *twiliotest.Server, method, path, contentType, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, fake.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(testAccount, testToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func postForm(t *testing.T, fake *twiliotest.Server, form url.Values) *http.Response {
	t.Helper()
	return rawRequest(t, fake, http.MethodPost, "/2010-04-01/Accounts/"+testAccount+"/Messages.json",
		"application/x-www-form-urlencoded", form.Encode())
}

type twilioError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

func decodeError(t *testing.T, resp *http.Response) twilioError {
	t.Helper()
	var e twilioError
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &e); err != nil || e.Code == 0 || e.Status != resp.StatusCode {
		t.Fatalf("answer %d %q is not Twilio's error JSON (%v)", resp.StatusCode, b, err)
	}
	return e
}
