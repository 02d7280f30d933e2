package adminapi_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// brokenBody yields the start of a body, then fails as a connection does.
func brokenBody(err error) io.Reader {
	return io.MultiReader(strings.NewReader(`{"adminId":"front_de`), errReader{err})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestABodyTheCallerFailedToSendIsTheCallersFaultNotA500(t *testing.T) {
	slow := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, tc := range []struct {
		name     string
		err      error
		status   int
		wantCode string
	}{
		{"a body slower than the read timeout is 408", slow, http.StatusRequestTimeout, "request_timeout"},
		{"a body the caller cut off is 400", io.ErrUnexpectedEOF, http.StatusBadRequest, "aborted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			for _, path := range []string{"/admin-login", "/send-reminder"} {
				rec := v.doReader(http.MethodPost, path, brokenBody(tc.err), "Authorization", "Bearer "+adminToken(t, "front_desk"))
				var body struct{ Code string }
				_ = json.Unmarshal(rec.Body.Bytes(), &body)
				if rec.Code != tc.status || body.Code != tc.wantCode {
					t.Errorf("%s: got %d %s, want %d %s", path, rec.Code, rec.Body, tc.status, tc.wantCode)
				}
			}
			if strings.Contains(v.logs.String(), `"level":"warn"`) {
				t.Errorf("the caller's fault was logged as a warning: %s", v.logs)
			}
		})
	}
}
