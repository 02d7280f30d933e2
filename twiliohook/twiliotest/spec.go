package twiliotest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// specJSON is Twilio's OpenAPI description of the operations the fake serves; see
// testdata/README.md for where it comes from.
//
//go:embed testdata/twilio_messages_openapi.json
var specJSON []byte

// messagingSpecJSON is Twilio's Messaging v1 description of the Messaging Service
// operations the fake serves (testdata/README.md).
//
//go:embed testdata/twilio_messaging_v1_openapi.json
var messagingSpecJSON []byte

// sendersSpecJSON is Twilio's Messaging v2 description of the Senders list the fake
// serves (testdata/README.md).
//
//go:embed testdata/twilio_messaging_v2_openapi.json
var sendersSpecJSON []byte

// operation is one of the API operations the fake serves.
type operation int

const (
	opCreate         operation = iota + 1 // CreateMessage
	opList                                // ListMessage
	opFetch                               // FetchMessage
	opMedia                               // ListMedia
	opListNumbers                         // ListIncomingPhoneNumber
	opUpdateNumber                        // UpdateIncomingPhoneNumber
	opFetchService                        // Messaging v1 FetchService
	opUpdateService                       // Messaging v1 UpdateService
	opServiceNumbers                      // Messaging v1 ListPhoneNumber (a service's senders)
	opListSenders                         // Messaging v2 ListChannelsSender (WhatsApp senders)
)

const (
	messagesPath = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
	messagePathT = "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json"
	mediaPathT   = "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json"
	numbersPath  = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json"
	numberPathT  = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"
	servicePathT = "/v1/Services/{Sid}"
	serviceNumsT = "/v1/Services/{ServiceSid}/PhoneNumbers"
	sendersPath  = "/v2/Channels/Senders"
)

// apiSpec validates requests (and, as a self-check, the fake's own responses) against
// the embedded spec.
type apiSpec struct {
	routes     map[operation]*routers.Route
	schemaOpts []openapi3.SchemaValidationOption // format validators, short error messages
}

// dateFilterFormat replaces "date-time" on ListMessage's DateSent filters: the spec says
// date-time, but Twilio documents (and its own examples use) YYYY-MM-DD and other forms.
const dateFilterFormat = "twiliotest-date-filter"

// dateFilterLayouts are the forms Twilio's ListMessage examples send as DateSent filters.
var dateFilterLayouts = []string{
	time.RFC3339, time.DateOnly, time.RFC1123Z, "Mon, 02 Jan 2006 15:04:05 -0000",
	"01/02/2006 15:04:05 MST", "2006-01-02 15:04:05.000",
}

func parseDateFilter(v string) (t time.Time, dateOnly bool, err error) {
	for _, layout := range dateFilterLayouts {
		if t, err = time.Parse(layout, v); err == nil {
			return t, layout == time.DateOnly, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date Twilio accepts", v)
}

var loadSpec = sync.OnceValues(func() (*apiSpec, error) {
	api, err := loadDoc(specJSON)
	if err != nil {
		return nil, err
	}
	messaging, err := loadDoc(messagingSpecJSON)
	if err != nil {
		return nil, err
	}
	senders, err := loadDoc(sendersSpecJSON)
	if err != nil {
		return nil, err
	}
	a := &apiSpec{routes: map[operation]*routers.Route{}}
	for op, pm := range map[operation]struct {
		doc          *openapi3.T
		path, method string
	}{
		opCreate:         {api, messagesPath, http.MethodPost},
		opList:           {api, messagesPath, http.MethodGet},
		opFetch:          {api, messagePathT, http.MethodGet},
		opMedia:          {api, mediaPathT, http.MethodGet},
		opListNumbers:    {api, numbersPath, http.MethodGet},
		opUpdateNumber:   {api, numberPathT, http.MethodPost},
		opFetchService:   {messaging, servicePathT, http.MethodGet},
		opUpdateService:  {messaging, servicePathT, http.MethodPost},
		opServiceNumbers: {messaging, serviceNumsT, http.MethodGet},
		opListSenders:    {senders, sendersPath, http.MethodGet},
	} {
		item := pm.doc.Paths.Value(pm.path)
		if item == nil || item.GetOperation(pm.method) == nil {
			return nil, fmt.Errorf("embedded spec lacks %s %s", pm.method, pm.path)
		}
		a.routes[op] = &routers.Route{Spec: pm.doc, Server: pm.doc.Servers[0], Path: pm.path,
			PathItem: item, Method: pm.method, Operation: item.GetOperation(pm.method)}
	}
	for _, p := range a.routes[opList].Operation.Parameters {
		if strings.HasPrefix(p.Value.Name, "DateSent") {
			p.Value.Schema.Value.Format = dateFilterFormat
		}
	}
	a.schemaOpts = []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails(), openapi3.WithStringFormatValidators(
		map[string]openapi3.StringFormatValidator{
			dateFilterFormat: openapi3.NewCallbackValidator(func(v string) error {
				_, _, err := parseDateFilter(v)
				return err
			}),
			"date-time-rfc-2822": openapi3.NewCallbackValidator(func(v string) error {
				_, err := time.Parse(time.RFC1123Z, v)
				return err
			}),
		})}
	return a, nil
})

// loadDoc parses and checks one embedded document.
func loadDoc(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load embedded spec: %w", err)
	}
	// The spec's own examples break its formats (DateSent "2008-01-02" as date-time).
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("embedded spec is invalid: %w", err)
	}
	return doc, nil
}

// validateRequest checks r (whose body was read into body) against op. Beyond the schema
// it refuses parameters the operation does not declare and repeated scalar parameters:
// Twilio ignores the first and keeps one of the second, so either is a bug in the caller.
func (a *apiSpec) validateRequest(r *http.Request, op operation, pathParams map[string]string, body []byte) error {
	route := a.routes[op]
	req := r.Clone(r.Context())
	req.Body, req.GetBody, req.ContentLength = io.NopCloser(bytes.NewReader(body)), nil, int64(len(body))
	var problems []string
	err := openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc, // Basic auth is checked by the server
			MultiError:              true,
			SchemaValidationOptions: a.schemaOpts,
		},
	})
	if err != nil {
		problems = append(problems, err.Error())
	}
	declared := map[string]*openapi3.Schema{}
	for _, p := range route.Operation.Parameters {
		if p.Value.In == openapi3.ParameterInQuery {
			declared[p.Value.Name] = p.Value.Schema.Value
		}
	}
	problems = append(problems, undeclared("query parameter", r.URL.Query(), declared)...)
	if rb := route.Operation.RequestBody; rb != nil && len(body) > 0 && isForm(r) {
		if mt := rb.Value.Content.Get(formType); mt != nil {
			form, _ := url.ParseQuery(string(body)) // a malformed body was reported above
			props := map[string]*openapi3.Schema{}
			for name, s := range mt.Schema.Value.Properties {
				props[name] = s.Value
			}
			problems = append(problems, undeclared("form parameter", form, props)...)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(problems, "; "))
}

const formType = "application/x-www-form-urlencoded"

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == formType
}

func undeclared(kind string, values url.Values, declared map[string]*openapi3.Schema) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(values)) {
		s, ok := declared[name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s %q is not declared by the operation", kind, name))
		case len(values[name]) > 1 && !s.Type.Is("array"):
			out = append(out, fmt.Sprintf("%s %q is given %d times but is not an array", kind, name, len(values[name])))
		}
	}
	return out
}

// validateResponse checks one of the fake's own success answers against the spec.
func (a *apiSpec) validateResponse(r *http.Request, op operation, pathParams map[string]string, status int, body []byte) error {
	return openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: a.routes[op]},
		Status:                 status,
		Header:                 http.Header{"Content-Type": {"application/json"}},
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: a.schemaOpts,
		},
	})
}
