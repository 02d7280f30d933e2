package adminapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"github.com/rs/zerolog"

	"github.com/smsbridge/smsbridge/adminapi"
	"github.com/smsbridge/smsbridge/adminapi/apitest"
	"github.com/smsbridge/smsbridge/bridge"
	"github.com/smsbridge/smsbridge/internal/metrics"
	"github.com/smsbridge/smsbridge/internal/templates"
	"github.com/smsbridge/smsbridge/internal/web"
)

const (
	secret    = "test-stream-secret-0123456789"
	password  = "front-desk-password"
	adminHash = "$2a$10$6CZ5oFK2l3Rdm6COvBLileRbqqft9U0h94AwzttB9pXMowaXj.08." // bcrypt of password, cost 10
	dashboard = "https://dashboard.example.org"
)

// testTemplates is the REMINDER_TEMPLATES file of these tests.
const testTemplates = `templates:
  - name: appointment
    text: "Hi {first_name}, see you on {date} at {time}."
  - name: closed
    text: "The clinic is closed today."
`

var start = time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)

// fakeUsers records upserts.
type fakeUsers struct {
	mu      sync.Mutex
	upserts []string
	err     error
}

func (f *fakeUsers) UpsertAdmin(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.upserts = append(f.upserts, id)
	return f.err
}

// fakeReminders records reminders and answers with res or err.
type fakeReminders struct {
	mu  sync.Mutex
	got []bridge.Reminder
	res bridge.ReminderResult
	err error
}

func (f *fakeReminders) Send(_ context.Context, r bridge.Reminder) (bridge.ReminderResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, r)
	if f.err != nil {
		return bridge.ReminderResult{To: r.To}, f.err
	}
	res := f.res
	res.To, res.ChannelID = r.To, r.To.ChannelID()
	return res, nil
}

// env is the API on the production echo instance (error table, middleware),
// with fakes behind it. Every answer is checked against the served OpenAPI
// document.
type env struct {
	t         *testing.T
	e         *echo.Echo
	users     *fakeUsers
	reminders *fakeReminders
	logs      *bytes.Buffer
	spec      *apitest.Spec
	now       time.Time
	api       *adminapi.API
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, map[string]string{"front_desk": adminHash, "dr_lee": adminHash})
}

// newEnvWith is newEnv with these ADMIN_USERS (a restart with a new
// configuration).
func newEnvWith(t *testing.T, admins map[string]string) *env {
	t.Helper()
	return newEnvAt(t, admins, nil)
}

// newEnvAt is newEnvWith at these locations (LOCATIONS_FILE).
func newEnvAt(t *testing.T, admins map[string]string, locs bridge.Locations) *env {
	t.Helper()
	v := &env{t: t, users: &fakeUsers{}, logs: &bytes.Buffer{}, now: start,
		reminders: &fakeReminders{res: bridge.ReminderResult{Outcome: bridge.OutcomeSent, MessageID: "reminder-1",
			Sid: "SM0123456789abcdef0123456789abcdef", Status: "queued"}}}
	v.e = web.New(web.Options{Logger: zerolog.New(v.logs), Metrics: metrics.New(), Readiness: &web.Readiness{},
		CORSOrigins: []string{dashboard}})
	tpl, err := templates.Parse([]byte(testTemplates))
	if err != nil {
		t.Fatal(err)
	}
	api := adminapi.New(adminapi.Options{
		Admins: admins, Templates: tpl,
		Users: v.users, Reminders: v.reminders, StreamAPIKey: "test-key",
		TokenSecret: []byte(secret), TokenTTL: 12 * time.Hour, Region: "US",
		Now:       func() time.Time { return v.now },
		Locations: locs,
	})
	v.api = api
	// As app mounts them.
	v.e.POST("/admin-login", api.Login, web.NoStore, web.LimitBody(64<<10))
	v.e.POST("/send-reminder", api.SendReminder, web.NoStore, api.RequireAdmin, web.LimitBody(64<<10))
	v.e.POST("/sms-preview", api.SMSPreview, web.NoStore, api.RequireAdmin, web.LimitBody(64<<10))
	v.e.GET("/reminder-templates", api.ReminderTemplates, web.NoStore, api.RequireAdmin)
	v.e.GET("/openapi.yaml", adminapi.ServeOpenAPI)

	rec := httptest.NewRecorder()
	v.e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil))
	spec, err := apitest.Load(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	v.spec = spec
	v.check(http.MethodGet, "/openapi.yaml", rec)
	t.Cleanup(func() {
		for _, leak := range []string{password, secret, "2015550142", "See you tomorrow"} {
			if strings.Contains(v.logs.String(), leak) {
				t.Errorf("logs contain %q", leak)
			}
		}
	})
	return v
}

// do sends a request with headers given as name, value pairs and checks the
// answer against the document.
func (v *env) do(method, path, body string, header ...string) *httptest.ResponseRecorder {
	v.t.Helper()
	return v.doReader(method, path, strings.NewReader(body), header...)
}

// doReader is do with a body that may fail as a real connection's does.
func (v *env) doReader(method, path string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	v.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = "203.0.113.9:5000"
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	v.e.ServeHTTP(rec, req)
	if method != http.MethodOptions {
		v.check(method, path, rec)
	}
	return rec
}

func (v *env) check(method, path string, rec *httptest.ResponseRecorder) {
	v.t.Helper()
	if err := v.spec.Check(method, path, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		v.t.Error(err)
	}
}

func (v *env) login(id, pw string, header ...string) *httptest.ResponseRecorder {
	v.t.Helper()
	return v.do(http.MethodPost, "/admin-login", `{"adminId":"`+id+`","password":"`+pw+`"}`, header...)
}

func (v *env) remind(token, body string) *httptest.ResponseRecorder {
	v.t.Helper()
	if token == "" {
		return v.do(http.MethodPost, "/send-reminder", body)
	}
	return v.do(http.MethodPost, "/send-reminder", body, "Authorization", "Bearer "+token)
}

// token signs claims with method and key.
func token(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// adminToken is a valid token for id at the env's start time, from a login
// (only login knows how to tie a token to the admin's password hash).
func adminToken(t *testing.T, id string) string {
	t.Helper()
	rec := newEnv(t).login(id, password)
	var got struct{ Token string }
	if err := jsonDecode(rec, &got); err != nil || got.Token == "" {
		t.Fatalf("login of %s: %d %s", id, rec.Code, rec.Body)
	}
	return got.Token
}

func jsonDecode(rec *httptest.ResponseRecorder, v any) error {
	return json.Unmarshal(rec.Body.Bytes(), v)
}
