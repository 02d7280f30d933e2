package streamtest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestRequestsThatViolateTheSpecAreRefusedAndReported(t *testing.T) {
	tests := []struct {
		name, method, path, body, want string
	}{
		{"a message whose attachments is a string", http.MethodPost, "/channels/sms/12015550123/message",
			`{"message": {"text": "hi", "user_id": "12015550123", "attachments": "https://example.com/a.jpg"}}`, "attachments"},
		{"a message of an unknown type", http.MethodPost, "/channels/sms/12015550123/message",
			`{"message": {"text": "hi", "user_id": "12015550123", "type": "reply"}}`, "type"},
		{"a send without a message", http.MethodPost, "/channels/sms/12015550123/message", `{}`, "message"},
		{"a user without an id", http.MethodPost, "/users", `{"users": {"a": {"name": "A"}}}`, "id"},
		{"a body that is not JSON", http.MethodPut, "/messages/sms-SM1", `{"set": `, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec failRecorder
			srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: rec.Fail})
			defer srv.Close()
			srv.AddChannelType(smsType)
			srv.PutUser(User{ID: patient})
			srv.PutChannel(Channel{Type: smsType, ID: patient, Members: []string{patient}, CreatedBy: patient})

			status, body := rawRequest(t, srv, tt.method, tt.path+"?api_key="+testKey, tt.body, nil)
			if status != 400 || body["code"] != 4.0 || body["StatusCode"] != 400.0 {
				t.Errorf("answer = %d %v, want 400 code 4", status, body)
			}
			msgs := rec.messages()
			t.Logf("reported: %q", msgs)
			if len(msgs) != 1 || !strings.Contains(msgs[0], tt.want) || len(msgs[0]) > 2000 {
				t.Errorf("reported %q, want one short report mentioning %q", msgs, tt.want)
			}
			if v := srv.Violations(); len(v) != 1 {
				t.Errorf("Violations() = %q, want one", v)
			}
			if got := srv.Messages(smsType, patient); len(got) != 0 {
				t.Errorf("an invalid request was carried out: %+v", got)
			}
		})
	}
}

func TestUnexpectedCallsAreAnsweredNotFoundAndReported(t *testing.T) {
	var rec failRecorder
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: rec.Fail})
	defer srv.Close()

	status, body := rawRequest(t, srv, http.MethodDelete, "/channels/sms/12015550123?api_key="+testKey, "", nil)
	if status != 404 || body["code"] != 16.0 {
		t.Errorf("answer = %d %v, want 404 code 16", status, body)
	}
	if msgs := rec.messages(); len(msgs) != 1 || !strings.Contains(msgs[0], "unexpected call DELETE /channels/sms/12015550123") {
		t.Errorf("reported %q", msgs)
	}
	if srv.TotalCalls() != 1 {
		t.Errorf("TotalCalls() = %d, want 1", srv.TotalCalls())
	}
}

func TestSkipValidationServesInvalidRequests(t *testing.T) {
	var rec failRecorder
	srv := NewServer(Options{APIKey: testKey, APISecret: testSecret, Fail: rec.Fail, SkipValidation: true})
	defer srv.Close()
	srv.PutUser(User{ID: patient})
	srv.PutChannel(Channel{Type: smsType, ID: patient, CreatedBy: patient})

	status, _ := rawRequest(t, srv, http.MethodPost, "/channels/sms/12015550123/message?api_key="+testKey,
		`{"message": {"text": "hi", "user_id": "12015550123", "type": "reply"}}`, nil)
	if status != 201 || len(rec.messages()) != 0 {
		t.Errorf("answer %d, reports %q; want 201 and none", status, rec.messages())
	}
}

func TestNormaliseRequestBodyTurnsV1IntoV2(t *testing.T) {
	sp := mustSpec()
	route, _, err := sp.router.FindRoute(mustRequest(t, http.MethodPost, "/channels/sms/1/query"))
	if err != nil {
		t.Fatal(err)
	}
	in := `{"data": {"created_by": {"id": "a", "role": ""}, "members": ["a", "b"], "sms_phone": "+12015550123", "team": null}, "state": true}`
	out, err := normaliseRequestBody(route.Operation.OperationID, requestSchema(route.Operation), []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	_ = json.Unmarshal(out, &got)
	_ = json.Unmarshal([]byte(`{"data": {"created_by": {"id": "a", "custom": {}}, "members": [{"user_id": "a", "custom": {}}, {"user_id": "b", "custom": {}}],
		"custom": {"sms_phone": "+12015550123"}}, "state": true}`), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("normalised = %s", out)
	}
}

func mustRequest(t *testing.T, method, path string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, "http://127.0.0.1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
