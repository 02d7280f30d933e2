// Command trimspec cuts Stream's Chat OpenAPI document down to the operations
// the streamtest fake serves, plus every component schema they reference
// (transitively), the security schemes and the top-level metadata. Key order
// and values are kept as they are in the source; only unused paths,
// operations and schemas are removed.
//
// It is a development tool for package streamtest and is never imported.
// Regenerate the fixture from the repository root with:
//
//	go run ./streamhook/streamtest/internal/trimspec \
//	  -in /path/to/chat-openapi.yaml \
//	  -out streamhook/streamtest/testdata/stream_chat_openapi.yaml
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Operations served by the fake, by operationId.
var defaultOps = "GetChannelType,CreateChannelType,UpdateUsers,GetOrCreateChannel," +
	"SendMessage,UpdateChannelPartial,GetMessage,UpdateMessagePartial,UpdateMessage,Search,GetApp,UpdateApp,QueryUsers"

func main() {
	in := flag.String("in", "", "source OpenAPI document (a copy of GetStream/protocol's openapi/chat-openapi.yaml)")
	out := flag.String("out", "streamhook/streamtest/testdata/stream_chat_openapi.yaml", "trimmed document to write")
	ops := flag.String("ops", defaultOps, "comma-separated operationIds to keep")
	repo := flag.String("repo", "github.com/GetStream/protocol", "provenance: source repository")
	path := flag.String("path", "openapi/chat-openapi.yaml", "provenance: path in the source repository")
	commit := flag.String("commit", "e51a64d3f2b83dcb5926da74fc0d4e133668eaea", "provenance: source commit")
	date := flag.String("date", "2026-08-22", "provenance: commit date")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "trimspec: -in is required: the vendor's full OpenAPI document")
		os.Exit(2)
	}

	if err := run(*in, *out, strings.Split(*ops, ","), provenance{*repo, *path, *commit, *date}); err != nil {
		fmt.Fprintln(os.Stderr, "trimspec:", err)
		os.Exit(1)
	}
}

type provenance struct{ repo, path, commit, date string }

func run(in, out string, ops []string, p provenance) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return err
	}
	root := doc.Content[0]
	kept, err := keepOperations(get(root, "paths"), ops)
	if err != nil {
		return err
	}
	schemas := get(get(root, "components"), "schemas")
	trimSchemas(schemas, reachableSchemas(get(root, "paths"), schemas))

	var buf bytes.Buffer
	buf.WriteString(header(p, kept))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(root); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func header(p provenance, kept []string) string {
	var list string
	for _, k := range kept {
		list += "#   " + k + "\n"
	}
	return fmt.Sprintf(`# Stream Chat server API, trimmed for package streamtest (test fixture, not a contract).
# Source: %s, %s at commit %s (%s), OpenAPI 3.0.3.
# Trimmed to operations:
%s# plus every component schema they reference transitively, the security schemes and the
# top-level metadata; nothing else was changed. Regenerate with
# streamhook/streamtest/internal/trimspec (see testdata/README.md).
`, p.repo, p.path, p.commit, p.date, list)
}

// keepOperations drops every path and method whose operationId is not in ops
// and returns the kept operations as "operationId (METHOD path)".
func keepOperations(paths *yaml.Node, ops []string) ([]string, error) {
	var kept []string
	var content []*yaml.Node
	for i := 0; i+1 < len(paths.Content); i += 2 {
		key, item := paths.Content[i], paths.Content[i+1]
		var methods []*yaml.Node
		for j := 0; j+1 < len(item.Content); j += 2 {
			id := get(item.Content[j+1], "operationId")
			if id != nil && slices.Contains(ops, id.Value) {
				methods = append(methods, item.Content[j], item.Content[j+1])
				kept = append(kept, fmt.Sprintf("%s (%s %s)", id.Value, strings.ToUpper(item.Content[j].Value), key.Value))
			}
		}
		if len(methods) > 0 {
			item.Content = methods
			content = append(content, key, item)
		}
	}
	if len(kept) != len(ops) {
		return nil, fmt.Errorf("kept %d operations, want %d: %v", len(kept), len(ops), kept)
	}
	paths.Content = content
	return kept, nil
}

// reachableSchemas returns the names of the component schemas referenced,
// directly or through other schemas, from the kept paths.
func reachableSchemas(paths, schemas *yaml.Node) map[string]bool {
	seen := map[string]bool{}
	queue := refs(paths)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		if s := get(schemas, name); s != nil {
			queue = append(queue, refs(s)...)
		}
	}
	return seen
}

const schemaRefPrefix = "#/components/schemas/"

// refs lists the schema names of every $ref below n.
func refs(n *yaml.Node) []string {
	var out []string
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "$ref" && strings.HasPrefix(n.Content[i+1].Value, schemaRefPrefix) {
				out = append(out, strings.TrimPrefix(n.Content[i+1].Value, schemaRefPrefix))
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, refs(c)...)
	}
	return out
}

func trimSchemas(schemas *yaml.Node, keep map[string]bool) {
	var content []*yaml.Node
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		if keep[schemas.Content[i].Value] {
			content = append(content, schemas.Content[i], schemas.Content[i+1])
		}
	}
	schemas.Content = content
}

// get returns the value of key in mapping node n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
