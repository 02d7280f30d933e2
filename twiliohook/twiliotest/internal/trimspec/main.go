// Command trimspec cuts the Message operations that twiliotest serves out of Twilio's full
// API v2010 OpenAPI document (github.com/twilio/twilio-oai, spec/json/twilio_api_v2010.json),
// keeping every component they reference, so the fake can embed a small spec.
//
// Run it from the twiliotest directory (go generate does):
//
//	TWILIO_OAI_SPEC=/path/to/twilio_api_v2010.json go generate .
//
// where the file is a copy of twilio-oai's spec/json/twilio_api_v2010.json at the
// commit named by -source.
//
// The output is deterministic (object keys sorted), so re-running it on the same input
// leaves the file unchanged.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
)

// keptByAPI lists the operations the fake serves, by API document, path and method.
var keptByAPI = map[string]map[string][]string{
	"api_v2010": {
		"/2010-04-01/Accounts/{AccountSid}/Messages.json":       {"post", "get"},
		"/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json": {"get"},
		// ListMedia: smsbridge reconcile rebuilds an MMS's media URLs from it.
		"/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json": {"get"},
		// ListIncomingPhoneNumber and UpdateIncomingPhoneNumber: smsbridge doctor reads and
		// fixes the sender number's inbound webhook.
		"/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json":       {"get"},
		"/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json": {"post"},
	},
	// The Messaging Service's inbound settings and its senders, for smsbridge doctor.
	"messaging_v1": {
		"/v1/Services/{Sid}":                     {"get", "post"},
		"/v1/Services/{ServiceSid}/PhoneNumbers": {"get"},
	},
	// The account's WhatsApp senders and their webhooks, for smsbridge doctor.
	"messaging_v2": {
		"/v2/Channels/Senders": {"get"},
	},
}

// kept is the table of the API being trimmed (-api).
var kept map[string][]string

// pathItemFields are the non-operation fields of a path item, kept as they are.
var pathItemFields = []string{"servers", "description", "summary", "parameters", "x-twilio"}

func main() {
	api := flag.String("api", "api_v2010", "which document -in is: api_v2010, messaging_v1 or messaging_v2")
	in := flag.String("in", "", "full Twilio OpenAPI JSON (a copy of twilio-oai's spec/json/twilio_<api>.json)")
	out := flag.String("out", "testdata/twilio_messages_openapi.json", "where to write the trimmed spec")
	source := flag.String("source", "github.com/twilio/twilio-oai, spec/json/twilio_api_v2010.json at commit d50069b (2026-04-14)", "provenance of -in, written into info.description")
	flag.Parse()
	kept = keptByAPI[*api]
	if kept == nil {
		fmt.Fprintf(os.Stderr, "trimspec: -api %q is not api_v2010, messaging_v1 or messaging_v2\n", *api)
		os.Exit(2)
	}
	if *in == "" {
		fmt.Fprintln(os.Stderr, "trimspec: -in is required: the vendor's full OpenAPI document")
		os.Exit(2)
	}
	if err := run(*in, *out, *source); err != nil {
		fmt.Fprintln(os.Stderr, "trimspec:", err)
		os.Exit(1)
	}
}

func run(in, out, source string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var full map[string]any
	if err := dec.Decode(&full); err != nil {
		return fmt.Errorf("decode %s: %w", in, err)
	}
	trimmed, err := trim(full, source)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "DateSent<" readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(trimmed); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func trim(full map[string]any, source string) (map[string]any, error) {
	outPaths, opNames, err := keepOperations(full)
	if err != nil {
		return nil, err
	}
	components, _ := full["components"].(map[string]any)
	outComponents := map[string]any{}
	if err := copyReferenced(outPaths, components, outComponents); err != nil {
		return nil, err
	}
	copySecuritySchemes(full, outPaths, components, outComponents)

	info := map[string]any{}
	if src, ok := full["info"].(map[string]any); ok {
		for k, v := range src {
			info[k] = v
		}
	}
	info["description"] = fmt.Sprintf("%v\n\nTrimmed for smsbridge's twiliotest fake from %s by twiliohook/twiliotest/internal/trimspec. "+
		"Operations kept: %s, with every component they reference. Nothing else was changed.",
		info["description"], source, strings.Join(opNames, ", "))

	return map[string]any{
		"openapi":    full["openapi"],
		"info":       info,
		"servers":    full["servers"],
		"security":   full["security"],
		"paths":      outPaths,
		"components": outComponents,
		"tags":       usedTags(full, outPaths),
	}, nil
}

// keepOperations copies the kept operations with their path items' own fields, and names
// them for the provenance note.
func keepOperations(full map[string]any) (map[string]any, []string, error) {
	paths, _ := full["paths"].(map[string]any)
	outPaths := map[string]any{}
	var opNames []string
	for path, methods := range kept {
		item, ok := paths[path].(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("path %s not in the input", path)
		}
		outItem := map[string]any{}
		for _, f := range pathItemFields {
			if v, ok := item[f]; ok {
				outItem[f] = v
			}
		}
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				return nil, nil, fmt.Errorf("%s %s not in the input", m, path)
			}
			outItem[m] = op
			opNames = append(opNames, fmt.Sprintf("%s (%s %s)", op["operationId"], strings.ToUpper(m), path))
		}
		outPaths[path] = outItem
	}
	slices.Sort(opNames)
	return outPaths, opNames, nil
}

// copyReferenced copies every "#/components/<kind>/<name>" that v references, transitively.
func copyReferenced(v any, components, out map[string]any) error {
	var walkErr error
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if ref, ok := t["$ref"].(string); ok {
				kind, name, err := splitRef(ref)
				if err != nil {
					walkErr = err
					return
				}
				dst, _ := out[kind].(map[string]any)
				if dst == nil {
					dst = map[string]any{}
					out[kind] = dst
				}
				if _, done := dst[name]; !done {
					src, _ := components[kind].(map[string]any)
					target, ok := src[name]
					if !ok {
						walkErr = fmt.Errorf("dangling $ref %s", ref)
						return
					}
					dst[name] = target
					walk(target)
				}
			}
			for _, child := range t {
				walk(child)
			}
		case []any:
			for _, child := range t {
				walk(child)
			}
		}
	}
	walk(v)
	return walkErr
}

func splitRef(ref string) (kind, name string, err error) {
	parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
	if !strings.HasPrefix(ref, "#/components/") || len(parts) != 2 {
		return "", "", fmt.Errorf("unsupported $ref %q", ref)
	}
	return parts[0], parts[1], nil
}

// copySecuritySchemes keeps the schemes named by the document's and the operations'
// security requirements (they are referenced by name, not by $ref).
func copySecuritySchemes(full, paths, components, out map[string]any) {
	names := map[string]bool{}
	collect := func(v any) {
		reqs, _ := v.([]any)
		for _, r := range reqs {
			m, _ := r.(map[string]any)
			for name := range m {
				names[name] = true
			}
		}
	}
	collect(full["security"])
	for _, item := range paths {
		for _, op := range item.(map[string]any) {
			if m, ok := op.(map[string]any); ok {
				collect(m["security"])
			}
		}
	}
	src, _ := components["securitySchemes"].(map[string]any)
	dst := map[string]any{}
	for name := range names {
		if s, ok := src[name]; ok {
			dst[name] = s
		}
	}
	out["securitySchemes"] = dst
}

func usedTags(full, paths map[string]any) []any {
	used := map[string]bool{}
	for _, item := range paths {
		for _, op := range item.(map[string]any) {
			m, _ := op.(map[string]any)
			tags, _ := m["tags"].([]any)
			for _, t := range tags {
				used[fmt.Sprint(t)] = true
			}
		}
	}
	var out []any
	all, _ := full["tags"].([]any)
	for _, t := range all {
		m, _ := t.(map[string]any)
		if used[fmt.Sprint(m["name"])] {
			out = append(out, t)
		}
	}
	return out
}
