package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smsbridge/smsbridge/adminapi/apitest"
)

const (
	apiPassword = "front-desk-password"
	// apiAdminHash is bcrypt of apiPassword at cost 10. (The harness's
	// adminHash does not match the password its comment names.)
	apiAdminHash    = "$2a$10$6CZ5oFK2l3Rdm6COvBLileRbqqft9U0h94AwzttB9pXMowaXj.08."
	reminderPatient = "+12015550142"
	messagingSID    = "MG0123456789abcdef0123456789abcdef"
	dashboardOrigin = "https://dashboard.example.org"
)

// apiHarness is a harness whose admins log in with apiPassword, with the served
// OpenAPI document: every API answer a test gets is checked against it.
type apiHarness struct {
	*harness
	spec *apitest.Spec
}

func startAPI(t *testing.T, opts ...option) *apiHarness {
	t.Helper()
	admins := withEnv("ADMIN_USERS", "front_desk:"+apiAdminHash+",dr_lee:"+apiAdminHash)
	a := &apiHarness{harness: start(t, append([]option{admins}, opts...)...)}
	a.secret(apiAdminHash, "2015550142")
	resp, err := http.Get(a.urls[0] + "/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, _ := io.ReadAll(resp.Body)
	if a.spec, err = apitest.Load(doc); err != nil {
		t.Fatalf("served document: %v", err)
	}
	if err := a.spec.Check(http.MethodGet, "/openapi.yaml", resp.StatusCode, resp.Header, doc); err != nil {
		t.Error(err)
	}
	return a
}

// call posts body as JSON to path with the given headers (name, value
// pairs) and checks the answer against the served document.
func (a *apiHarness) call(path string, body any, header ...string) response {
	a.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		a.t.Fatal(err)
	}
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	r := a.post(path, "application/json", raw, h)
	if err := a.spec.Check(http.MethodPost, path, r.Status, r.Header, []byte(r.Body)); err != nil {
		a.t.Error(err)
	}
	return r
}

func (a *apiHarness) login(id, password string, header ...string) response {
	a.t.Helper()
	return a.call("/admin-login", map[string]string{"adminId": id, "password": password}, header...)
}

// loginAnswer is /admin-login's answer.
type loginAnswer struct {
	AdminName, Token, StreamAPIKey, ExpiresAt string
}

// token logs id in and returns its token, registered as a secret.
func (a *apiHarness) token(id string) string {
	a.t.Helper()
	r := a.login(id, apiPassword)
	var got loginAnswer
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil || r.Status != http.StatusOK || got.Token == "" {
		a.t.Fatalf("login of %s: %d %s", id, r.Status, r.Body)
	}
	a.secret(got.Token)
	return got.Token
}

// remind sends a reminder with token (none when empty); its text is
// registered as a secret.
func (a *apiHarness) remind(token string, body map[string]any) response {
	a.t.Helper()
	if text, _ := body["messageText"].(string); len(text) >= 8 {
		a.secret(text)
	}
	if token == "" {
		return a.call("/send-reminder", body)
	}
	return a.call("/send-reminder", body, "Authorization", "Bearer "+token)
}

// apiErrorCode is the code of a JSON error answer.
func apiErrorCode(r response) string {
	var body struct{ Code string }
	_ = json.Unmarshal([]byte(r.Body), &body)
	return body.Code
}

// signedToken returns a token for claims, signed with method and key.
func signedToken(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inAnHour is an exp claim an hour from now.
func inAnHour() int64 { return time.Now().Add(time.Hour).Unix() }

// preflightFrom sends the CORS preflight a browser sends before a reminder.
func (a *apiHarness) preflightFrom(origin string) response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodOptions, a.urls[0]+"/send-reminder", http.NoBody)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	return a.do(req)
}
