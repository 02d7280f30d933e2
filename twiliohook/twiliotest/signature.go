package twiliotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Signature computes the X-Twilio-Signature Twilio sends with a webhook POST: base64 of the
// HMAC-SHA1, keyed with the auth token, of fullURL followed by every POST parameter's name
// and value, parameters sorted by name (byte order). Repeated values of one name are taken
// in sorted order, as Twilio's Python and Node helpers do.
//
// fullURL is the URL Twilio was configured with, query string included and fragment
// excluded.
func Signature(authToken, fullURL string, params url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	for _, name := range slices.Sorted(maps.Keys(params)) {
		for _, v := range slices.Sorted(slices.Values(params[name])) {
			b.WriteString(name)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// NewSignedRequest builds the POST Twilio would send: the form as an
// application/x-www-form-urlencoded body to baseURL+pathAndQuery, with X-Twilio-Signature
// computed over publicURL+pathAndQuery. publicURL is what the service under test is
// configured with (PUBLIC_URL); baseURL is where its test server actually listens.
//
// A fragment in pathAndQuery (Twilio's "#rc=3&rp=5xx" retry settings) is dropped: Twilio
// neither signs nor sends it.
func NewSignedRequest(authToken, publicURL, baseURL, pathAndQuery string, form url.Values) (*http.Request, error) {
	pathAndQuery, _, _ = strings.Cut(pathAndQuery, "#")
	req, err := http.NewRequest(http.MethodPost, baseURL+pathAndQuery, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("X-Twilio-Signature", Signature(authToken, publicURL+pathAndQuery, form))
	return req, nil
}
