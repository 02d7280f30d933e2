package remind

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Bounds of a batch file: a day's appointments fit many times over, and a
// file that is not one is refused before anything is sent.
const (
	maxFileBytes = 10 << 20
	maxRows      = 10000
	maxKeyLength = 100
	// maxColumns: the known columns and a template's placeholders. A header
	// is checked before its names are, so a huge one costs one pass.
	maxColumns = 40
)

// Column names (docs/batch.md). Matched in any case.
const (
	colPhone    = "phoneNumber"
	colText     = "messageText"
	colTemplate = "template"
	colSendAt   = "sendAt"
	colKey      = "key"
	colLocation = "location" // the location's id (docs/locations.md); empty: the admin's default
)

// row is one line of the file as written, before any value is checked.
type row struct {
	Num      int // 1 for the first row after the header
	Line     int // where the row starts in the file
	Phone    string
	Text     string
	Template string
	Params   map[string]string // template placeholders, by column name
	SendAt   string
	Key      string
	Location string
}

// FileError is a bad file: where, and what is wrong. It never quotes a
// cell, which may hold a number or a text.
type FileError struct {
	Line   int
	Column string // the column's name or number; empty for a whole line
	Reason string
}

func (e *FileError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

// param is a placeholder column.
type param struct {
	index int
	name  string
}

// header maps the file's columns to their use.
type header struct {
	index  map[string]int // known column -> position
	params []param        // placeholder columns (template files), in file order
	width  int
}

// readFile reads and checks the whole file before anything is sent: a bad
// header, a ragged line, a bad key or too many rows is a FileError.
func readFile(r io.Reader) ([]row, error) {
	raw, err := readBounded(r)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = delimiter(raw)
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{Line: 1, Reason: "the file is empty; the first line must name the columns"}
	}
	if err != nil {
		return nil, parseError(err)
	}
	h, err := readHeader(first)
	if err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = h.width
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, parseError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows) == maxRows {
			return nil, &FileError{Line: line, Reason: fmt.Sprintf("more than %d rows; split the file", maxRows)}
		}
		rw, err := h.row(rec, len(rows)+1, line)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rw)
	}
}

// readBounded reads the whole file, up to maxFileBytes.
func readBounded(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, &FileError{Line: 1, Reason: "the file cannot be read: " + osReason(err)}
	}
	if len(raw) > maxFileBytes {
		return nil, &FileError{Line: 1, Reason: fmt.Sprintf("the file is larger than %d MiB; split it", maxFileBytes>>20)}
	}
	return raw, nil
}

// readHeader checks the first line in one pass over its names.
func readHeader(names []string) (header, error) {
	h := header{index: map[string]int{}, width: len(names)}
	if len(names) > maxColumns {
		return h, &FileError{Line: 1, Reason: fmt.Sprintf("%d columns, more than %d; a reminder file has a few", len(names), maxColumns)}
	}
	known := []string{colPhone, colText, colTemplate, colSendAt, colKey, colLocation}
	seen := make(map[string]bool, len(names))
	for i, raw := range names {
		name := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff")) // Excel's byte-order mark
		col := fmt.Sprintf("%d", i+1)
		if name == "" {
			return h, &FileError{Line: 1, Column: col, Reason: "the column has no name"}
		}
		canonical := name
		for _, k := range known {
			if strings.EqualFold(name, k) {
				canonical = k
			}
		}
		if seen[canonical] {
			return h, &FileError{Line: 1, Column: col, Reason: fmt.Sprintf("column %q appears twice", canonical)}
		}
		seen[canonical] = true
		if !slices.Contains(known, canonical) {
			h.params = append(h.params, param{i, name})
			continue
		}
		h.index[canonical] = i
	}
	return h, h.check()
}

// check applies the header's rules: a phone column, and exactly one of a
// text column or a template column (whose other columns are its
// placeholders).
func (h header) check() error {
	_, text := h.index[colText]
	_, tmpl := h.index[colTemplate]
	switch {
	case !has(h.index, colPhone):
		return &FileError{Line: 1, Reason: "no phoneNumber column"}
	case text && tmpl:
		return &FileError{Line: 1, Reason: "both messageText and template columns; use one"}
	case !text && !tmpl:
		return &FileError{Line: 1, Reason: "no messageText or template column"}
	case text && len(h.params) > 0:
		p := h.params[0]
		return &FileError{Line: 1, Column: fmt.Sprintf("%d (%s)", p.index+1, p.name),
			Reason: "unknown column; placeholder columns need a template column"}
	}
	return nil
}

func (h header) row(rec []string, num, line int) (row, error) {
	get := func(col string) string {
		if i, ok := h.index[col]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	rw := row{Num: num, Line: line, Phone: get(colPhone), Text: get(colText), Template: get(colTemplate),
		SendAt: get(colSendAt), Key: get(colKey), Location: get(colLocation)}
	if i, ok := h.index[colText]; ok {
		rw.Text = rec[i] // the text as written: spaces may matter
	}
	if len(h.params) > 0 {
		rw.Params = make(map[string]string, len(h.params))
		for _, p := range h.params {
			rw.Params[p.name] = strings.TrimSpace(rec[p.index])
		}
	}
	if rw.Key != "" && (len(rw.Key) > maxKeyLength || !printableASCII(rw.Key)) {
		return rw, &FileError{Line: line, Column: fmt.Sprintf("%d (key)", h.index[colKey]+1),
			Reason: fmt.Sprintf("a key is 1 to %d printable ASCII characters", maxKeyLength)}
	}
	return rw, nil
}

// parseError names the line and column of a CSV syntax error, or a file
// over the size bound.
func parseError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			reason = "a different number of fields than the header"
			return &FileError{Line: pe.StartLine, Reason: reason}
		}
		return &FileError{Line: pe.Line, Column: fmt.Sprintf("%d", pe.Column), Reason: reason}
	}
	return &FileError{Reason: err.Error()}
}

func has(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
