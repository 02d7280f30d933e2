package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestHostileRequestsToTheDashboardAPI(t *testing.T) {
	noLeaks(t)
	a := startAPI(t)
	a.secret("2015550142", "4420794601", "2015550143")
	token := a.token("front_desk")
	none := signedToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
		jwt.MapClaims{"user_id": "front_desk", "exp": inAnHour()})
	const js = "application/json"
	login := func(id, password string) []byte {
		return jsonOf(map[string]string{"adminId": id, "password": password})
	}
	remind := func(phone, text string) []byte {
		return jsonOf(map[string]string{"phoneNumber": phone, "messageText": text})
	}
	cases := []hostile{
		{name: "a GET of the login", method: http.MethodGet, path: "/admin-login", want: []int{405}},
		{name: "a login sent as text/plain", path: "/admin-login", contentType: "text/plain", body: login("front_desk", apiPassword), want: []int{415}, code: "unsupported_media_type"},
		{name: "a login sent as a form", path: "/admin-login", contentType: formType, body: []byte("adminId=front_desk&password=x"), want: []int{415}, code: "unsupported_media_type"},
		{name: "a login that is not JSON", path: "/admin-login", contentType: js, body: []byte(`{"adminId":`), want: []int{400}, code: "bad_json"},
		{name: "a login of two JSON objects", path: "/admin-login", contentType: js, body: []byte(`{"adminId":"a","password":"b"}{"adminId":"c"}`), want: []int{400}, code: "bad_json"},
		{name: "a login whose id is a number", path: "/admin-login", contentType: js, body: []byte(`{"adminId":7,"password":"x"}`), want: []int{400}, code: "bad_json"},
		{name: "a login nested 20000 levels deep", path: "/admin-login", contentType: js, body: nested(20000), want: []int{400}, code: "bad_json"},
		{name: "a login over 64 KiB", path: "/admin-login", contentType: js, body: login("front_desk", strings.Repeat("p", 70<<10)), want: []int{413}, code: "too_large"},
		{name: "a login with a header injection in the id", path: "/admin-login", contentType: js, body: login("front_desk\r\nX-Injected: 1", "x"), want: []int{401, 429}},
		{name: "a login whose password is not UTF-8", path: "/admin-login", contentType: js, body: []byte("{\"adminId\":\"front_desk\",\"password\":\"\xff\xfe\"}"), want: []int{401, 429}},
		{name: "an empty login", path: "/admin-login", contentType: js, body: []byte(`{}`), want: []int{400, 401}},

		{name: "a GET of reminders", method: http.MethodGet, path: "/send-reminder", header: bearer(token), want: []int{405}},
		{name: "a reminder without a token", path: "/send-reminder", contentType: js, body: remind("+12015550142", "Your visit is tomorrow"), want: []int{401}, code: "missing_token"},
		{name: "a reminder with an unsigned token", path: "/send-reminder", contentType: js, body: remind("+12015550142", "Your visit is tomorrow"), header: bearer(none), want: []int{401}, code: "invalid_token"},
		{name: "a reminder with a garbage token", path: "/send-reminder", contentType: js, body: remind("+12015550142", "Your visit is tomorrow"), header: bearer("..."), want: []int{401}, code: "invalid_token"},
		{name: "a reminder sent as text/plain", path: "/send-reminder", contentType: "text/plain", body: remind("+12015550142", "Your visit is tomorrow"), header: bearer(token), want: []int{415}, code: "unsupported_media_type"},
		{name: "a reminder that is not JSON", path: "/send-reminder", contentType: js, body: []byte(`{"phoneNumber":"+1`), header: bearer(token), want: []int{400}, code: "bad_json"},
		{name: "a reminder nested 20000 levels deep", path: "/send-reminder", contentType: js, body: nested(20000), header: bearer(token), want: []int{400}, code: "bad_json"},
		{name: "a reminder over 64 KiB", path: "/send-reminder", contentType: js, body: remind("+12015550142", strings.Repeat("a", 70<<10)), header: bearer(token), want: []int{413}, code: "too_large"},
		{name: "a reminder whose number is a list", path: "/send-reminder", contentType: js, body: []byte(`{"phoneNumber":["+12015550142"],"messageText":"hi"}`), header: bearer(token), want: []int{400}, code: "bad_json"},
		{name: "a reminder with a header injection in the number", path: "/send-reminder", contentType: js, body: remind("+12015550142\r\nX-Injected: 1", "Your visit is tomorrow"), header: bearer(token), want: []int{400}, code: "invalid_phone"},
		{name: "a reminder to a whatsapp: address", path: "/send-reminder", contentType: js, body: remind("whatsapp:+12015550142", "Your visit is tomorrow"), header: bearer(token), want: []int{400}, code: "invalid_phone"},
		{name: "a reminder to a short code", path: "/send-reminder", contentType: js, body: remind("72345", "Your visit is tomorrow"), header: bearer(token), want: []int{400}, code: "invalid_phone"},
		{name: "a reminder to a bare 555 number", path: "/send-reminder", contentType: js, body: remind("+1 555-010-0142", "Your visit is tomorrow"), header: bearer(token), want: []int{400}, code: "invalid_phone"},
		{name: "a reminder to a UK number", path: "/send-reminder", contentType: js, body: remind("+44 20 7946 0123", "Your visit is tomorrow"), header: bearer(token), want: []int{200}},
		{name: "a reminder whose number repeats with a bad second value", path: "/send-reminder", contentType: js, body: []byte(`{"phoneNumber":"+12015550143","phoneNumber":"whatsapp:+1","messageText":"hi there"}`), header: bearer(token), want: []int{200, 400}},
		{name: "a reminder whose text is not UTF-8", path: "/send-reminder", contentType: js, body: []byte("{\"phoneNumber\":\"+12015550142\",\"messageText\":\"\xff\xfe\xfd\"}"), header: bearer(token), want: []int{400}, code: "invalid_text"},
		{name: "a reminder with an empty text", path: "/send-reminder", contentType: js, body: remind("+12015550142", ""), header: bearer(token), want: []int{400}, code: "empty_text"},
		{name: "a reminder of 1601 characters", path: "/send-reminder", contentType: js, body: remind("+12015550142", strings.Repeat("a", 1601)), header: bearer(token), want: []int{400}, code: "text_too_long"},
		{name: "a reminder with an ESC in it", path: "/send-reminder", contentType: js, body: remind("+12015550142", "See you \x1b[2Jtomorrow"), header: bearer(token), want: []int{400}, code: "invalid_text"},
		{name: "a reminder with a right-to-left override", path: "/send-reminder", contentType: js, body: remind("+12015550142", "Pay at \u202Emoc.elpmaxe"), header: bearer(token), want: []int{400}, code: "invalid_text"},
		{name: "a reminder with an escaped lone surrogate", path: "/send-reminder", contentType: js, body: []byte(`{"phoneNumber":"+12015550142","messageText":"See you \ud83d"}`), header: bearer(token), want: []int{400}, code: "invalid_text"},
		{name: "a reminder with a zero-width space", path: "/send-reminder", contentType: js, body: remind("+12015550142", "See\u200Byou"), header: bearer(token), want: []int{400}, code: "invalid_text"},
		{name: "a reminder with a garbage sendAt", path: "/send-reminder", contentType: js, body: []byte(`{"phoneNumber":"+12015550142","messageText":"hi there","sendAt":"tomorrow-ish"}`), header: bearer(token), want: []int{400}},
	}
	a.runHostile(t, cases)
}

func TestHostileRequestsToProbesAndUnknownPaths(t *testing.T) {
	noLeaks(t)
	h := start(t)
	cases := []hostile{
		{name: "a POST of /healthz", path: "/healthz", contentType: "application/json", body: []byte(`{}`), want: []int{405}},
		{name: "a DELETE of /healthz", method: http.MethodDelete, path: "/healthz", want: []int{405}},
		{name: "a HEAD of /healthz", method: http.MethodHead, path: "/healthz", want: []int{200, 405}},
		{name: "a GET of /healthz with a script in the query", method: http.MethodGet, path: "/healthz?<script>alert(1)</script>", want: []int{200}},
		{name: "a GET of an unknown path", method: http.MethodGet, path: "/wp-admin/install.php", want: []int{404}, code: "not_found"},
		{name: "a POST to an unknown path", path: "/receive-sms-v2", contentType: formType, body: []byte("From=x"), want: []int{404}, code: "not_found"},
		{name: "a path with a trailing slash", path: "/receive-sms/", contentType: formType, body: []byte("From=x"), want: []int{404}},
		{name: "a path traversal", method: http.MethodGet, path: "/../../etc/passwd", want: []int{400, 404}},
		{name: "an encoded path traversal", method: http.MethodGet, path: "/%2e%2e/%2e%2e/etc/passwd", want: []int{400, 404}},
		{name: "a path of 6000 characters", method: http.MethodGet, path: "/" + strings.Repeat("a", 6000), want: []int{404, 414, 431}},
		{name: "a TRACE", method: "TRACE", path: "/receive-sms", want: []int{404, 405}},
		{name: "an OPTIONS without CORS configured", method: http.MethodOptions, path: "/send-reminder", want: []int{204, 404, 405}},
	}
	h.runHostile(t, cases)
}
