package streamtest

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// The OpenAPI document describes Stream's v2 wire format (the one the
// generated SDKs use); stream-chat-go v6 speaks v1, which the same servers
// accept. Before a request is validated, these rewrites turn v1 into v2. Each
// one only changes the shape, never the meaning, so a request that is wrong
// in v1 stays wrong after it:
//
//  1. dropEmpty: stream-chat-go marshals unset fields as "" or null
//     (message.type "", mentioned_users null, unset null, …), which the strict
//     schema rejects (type is an enum, arrays are not nullable). The servers
//     read "" and null as "not set". (Known quirk, see the specs README.) The
//     same goes for Search's JSON "payload" query parameter (query "",
//     message_filter_conditions null).
//  2. legacyMemberIDs: v1 sends channel members as a list of user ids
//     (data.members: ["a", "b"]); v2 declares ChannelMemberRequest objects
//     ({"user_id": "a"}).
//  3. foldCustom: v1 puts custom fields next to the declared ones
//     (message.sms_direction, attachment.mime_type); v2 nests them under
//     "custom", which some schemas require (Attachment). Every key an object's
//     schema does not declare moves into its "custom" object. This is the
//     documented v1-to-v2 mapping, see GetStream/stream-chat-test-mock-server
//     src/helpers/v2_custom.rb.

// dropEmpty removes, recursively, object members whose value is null or "".
// Array elements are kept: an empty string inside a list is a real value.
func dropEmpty(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil || e == "" {
				delete(x, k)
				continue
			}
			x[k] = dropEmpty(e)
		}
	case []any:
		for i, e := range x {
			x[i] = dropEmpty(e)
		}
	}
	return v
}

// legacyMemberIDs rewrites data.members and data.invites of a
// GetOrCreateChannel body from user ids to ChannelMemberRequest objects.
func legacyMemberIDs(body any) {
	data, _ := asObject(body)["data"].(map[string]any)
	for _, key := range []string{"members", "invites"} {
		list, ok := data[key].([]any)
		if !ok {
			continue
		}
		for i, e := range list {
			if id, ok := e.(string); ok {
				list[i] = map[string]any{"user_id": id}
			}
		}
	}
}

// foldCustom moves the undeclared keys of every object whose schema declares
// a "custom" property into that property, walking the value along its
// schema (properties, items, additionalProperties).
func foldCustom(v any, s *openapi3.Schema) any {
	if s == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		foldObject(x, s)
	case []any:
		if s.Items != nil {
			for i, e := range x {
				x[i] = foldCustom(e, s.Items.Value)
			}
		}
	}
	return v
}

func foldObject(obj map[string]any, s *openapi3.Schema) {
	for k, e := range obj {
		if p, ok := s.Properties[k]; ok {
			obj[k] = foldCustom(e, p.Value)
		} else if ap := s.AdditionalProperties.Schema; ap != nil && len(s.Properties) == 0 {
			obj[k] = foldCustom(e, ap.Value)
		}
	}
	if _, declares := s.Properties["custom"]; !declares {
		return
	}
	custom := map[string]any{}
	if c, present := obj["custom"]; present {
		if custom, _ = c.(map[string]any); custom == nil {
			return // not an object: leave it for the validator to report
		}
	}
	for k, e := range obj {
		if _, ok := s.Properties[k]; !ok {
			custom[k] = e
			delete(obj, k)
		}
	}
	obj["custom"] = custom
}

// splitCustom returns the members of obj that none of the schemas declare:
// the custom fields of a v1 object, or nil if there are none. A v2 "custom"
// object is merged in.
func splitCustom(obj map[string]any, schemas ...*openapi3.Schema) map[string]any {
	custom := map[string]any{}
	if c, ok := obj["custom"].(map[string]any); ok {
		for k, e := range c {
			custom[k] = e
		}
	}
	for k, e := range obj {
		if !declared(k, schemas) {
			custom[k] = e
		}
	}
	if len(custom) == 0 {
		return nil
	}
	return custom
}

func declared(key string, schemas []*openapi3.Schema) bool {
	for _, s := range schemas {
		if _, ok := s.Properties[key]; ok {
			return true
		}
	}
	return false
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
