package streamtest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// specYAML is Stream's OpenAPI document trimmed to the served operations;
// testdata/README.md says where it comes from.
//
//go:embed testdata/stream_chat_openapi.yaml
var specYAML []byte

// spec is the parsed document and its router. Both are read-only after
// loading, so one copy serves every Server.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("streamtest: load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("streamtest: invalid spec: %w", err)
	}
	// The document's only server is https://chat.stream-io-api.com; the fake
	// listens on 127.0.0.1, so routes match on path alone.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("streamtest: spec router: %w", err)
	}
	return &spec{doc: doc, router: router}, nil
})

// mustSpec returns the embedded spec; it can only fail if the embedded file
// is broken, which the package tests catch.
func mustSpec() *spec {
	sp, err := loadSpec()
	if err != nil {
		panic(err)
	}
	return sp
}

// validateRequest checks r, whose body has already been read into body,
// against its operation. Stream's own authentication is checked by the
// server itself (auth.go), so the security schemes are accepted as is here.
func (sp *spec) validateRequest(ctx context.Context, route *routers.Route, params map[string]string, r *http.Request, body []byte) error {
	req := r.Clone(ctx)
	req.Body, req.ContentLength = http.NoBody, 0
	if id := route.Operation.OperationID; id == "Search" || id == "QueryUsers" {
		normaliseSearchPayload(req)
	}
	if route.Operation.RequestBody != nil {
		normalised, err := normaliseRequestBody(route.Operation.OperationID, requestSchema(route.Operation), body)
		if err != nil {
			return err
		}
		req.Body = io.NopCloser(bytes.NewReader(normalised))
		req.ContentLength = int64(len(normalised))
	}
	return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
			// Report where and why, without dumping the (large) schema.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
		},
	})
}

// normaliseRequestBody rewrites a v1 request body (what stream-chat-go
// sends) into the shape the v2 OpenAPI document describes, without changing
// its meaning; normalise.go lists each rewrite and why it is needed.
func normaliseRequestBody(operationID string, schema *openapi3.Schema, body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return body, nil // let the validator report the missing body
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("request body is not valid JSON: %w", err)
	}
	v = dropEmpty(v)
	if operationID == "GetOrCreateChannel" {
		legacyMemberIDs(v)
	}
	v = foldCustom(v, schema)
	return json.Marshal(v)
}

// requestSchema returns the JSON schema of op's request body, or nil.
func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// schemas returns the named component schemas. It panics on an unknown
// name: the names are constants of this package, exercised by its tests.
func (sp *spec) schemas(names ...string) []*openapi3.Schema {
	out := make([]*openapi3.Schema, len(names))
	for i, name := range names {
		ref, ok := sp.doc.Components.Schemas[name]
		if !ok || ref.Value == nil {
			panic("streamtest: no schema " + name)
		}
		out[i] = ref.Value
	}
	return out
}
