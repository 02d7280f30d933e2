// Package apitest checks answers of the dashboard API against its OpenAPI
// document, as served at GET /openapi.yaml. adminapi's handler tests and
// the end-to-end tests both run every answer they get through it, so the
// document cannot drift from the code.
//
// It is test support: production code must not import it. It imports no
// smsbridge package and not package testing.
package apitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Spec is a loaded, valid OpenAPI document that remembers which documented
// answers it has checked.
type Spec struct {
	doc  *openapi3.T
	mu   sync.Mutex
	seen map[string]bool // "POST /path 200"
}

// Load parses and validates an OpenAPI 3 document.
func Load(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	return &Spec{doc: doc, seen: map[string]bool{}}, nil
}

// Check returns an error when the answer (status, headers, body) to method
// path is not one the document describes: an undocumented path, method or
// status, a content type or header that does not match, or a body that
// does not match its schema.
func (s *Spec) Check(method, path string, status int, header http.Header, body []byte) error {
	item := s.doc.Paths.Find(path)
	if item == nil {
		return fmt.Errorf("%s %s: path not documented", method, path)
	}
	op := item.GetOperation(method)
	if op == nil {
		return fmt.Errorf("%s %s: method not documented", method, path)
	}
	req := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: s.doc, Path: path, PathItem: item, Method: method, Operation: op},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
	if err != nil {
		return fmt.Errorf("%s %s answered %d, not as documented: %w", method, path, status, err)
	}
	s.mu.Lock()
	s.seen[key(method, path, status)] = true
	s.mu.Unlock()
	return nil
}

// Unchecked lists the documented answers ("POST /admin-login 429") that no
// successful Check has covered, sorted.
func (s *Spec) Unchecked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for path, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err == nil && !s.seen[key(method, path, status)] {
					out = append(out, key(method, path, status))
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func key(method, path string, status int) string {
	return method + " " + path + " " + strconv.Itoa(status)
}
