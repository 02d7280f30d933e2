package remind

import (
	"errors"
	"strings"
	"testing"
)

func TestAGoodFileIsReadRowByRow(t *testing.T) {
	file := "\ufeffPhoneNumber,messageText,sendAt,KEY\r\n" +
		"+12015550123,\"See you at 10, Tuesday.\",,appt-1\r\n" +
		"\"(201) 555-0124\",\"Two\nlines\",2030-05-06T09:30:00Z,\r\n"
	rows, err := readFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d", len(rows))
	}
	if r := rows[0]; r.Num != 1 || r.Line != 2 || r.Phone != "+12015550123" || r.Text != "See you at 10, Tuesday." || r.Key != "appt-1" {
		t.Errorf("row 1 = %+v", r)
	}
	if r := rows[1]; r.Num != 2 || r.Line != 3 || r.Text != "Two\nlines" || r.SendAt != "2030-05-06T09:30:00Z" || r.Key != "" {
		t.Errorf("row 2 = %+v", r)
	}
}

func TestATemplateFileCarriesItsPlaceholders(t *testing.T) {
	rows, err := readFile(strings.NewReader("phoneNumber,template,first_name,time\n+12015550123,tomorrow,Ada,10:00\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r.Template != "tomorrow" || r.Params["first_name"] != "Ada" || r.Params["time"] != "10:00" || len(r.Params) != 2 {
		t.Errorf("row = %+v", r)
	}
}

func TestABadFileNamesTheLineAndColumn(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"an empty file", "", "line 1: the file is empty"},
		{"no phone column", "messageText\nhello\n", "line 1: no phoneNumber column"},
		{"no text or template column", "phoneNumber,sendAt\n+12015550123,\n", "line 1: no messageText or template column"},
		{"both text and template", "phoneNumber,messageText,template\n+12015550123,hi,t\n", "line 1: both messageText and template"},
		{"a stray column beside a text", "phoneNumber,messageText,notes\n+12015550123,hi,x\n", "line 1, column 3 (notes): unknown column"},
		{"a column named twice", "phoneNumber,messageText,PHONENUMBER\n", `line 1, column 3: column "phoneNumber" appears twice`},
		{"a column without a name", "phoneNumber,,messageText\n", "line 1, column 2: the column has no name"},
		{"a row with a missing field", "phoneNumber,messageText\n+12015550123,hi\n+12015550124\n", "line 3: a different number of fields"},
		{"a broken quote", "phoneNumber,messageText\n+12015550123,\"hi\" there\n", "line 2, column"},
		{"a key with a line break", "phoneNumber,messageText,key\n+12015550123,hi,\"a\nb\"\n", "line 2, column 3 (key): a key is 1 to 100"},
		{"a key too long", "phoneNumber,messageText,key\n+12015550123,hi," + strings.Repeat("k", 101) + "\n", "line 2, column 3 (key)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readFile(strings.NewReader(tt.file))
			var fe *FileError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v, want one starting %q", err, tt.want)
			}
			if err != nil && (strings.Contains(err.Error(), "12015550123") || strings.Contains(err.Error(), "hi,")) {
				t.Errorf("error quotes the file: %v", err)
			}
		})
	}
}

func TestAFileOverTheBoundIsRefusedBeforeAnyRowIsRead(t *testing.T) {
	var b strings.Builder
	b.WriteString("phoneNumber,messageText\n")
	for b.Len() <= maxFileBytes {
		b.WriteString("+12015550123,\"" + strings.Repeat("x", 1000) + "\"\n")
	}
	if _, err := readFile(strings.NewReader(b.String())); err == nil || !strings.Contains(err.Error(), "larger than 10 MiB") {
		t.Errorf("error = %v", err)
	}
}

func TestMoreRowsThanTheBoundAreRefused(t *testing.T) {
	file := "phoneNumber,messageText\n" + strings.Repeat("+12015550123,hi\n", maxRows+1)
	if _, err := readFile(strings.NewReader(file)); err == nil || !strings.Contains(err.Error(), "line 10002: more than 10000 rows") {
		t.Errorf("error = %v", err)
	}
}

func TestALocationColumnNamesEachRowsLocation(t *testing.T) {
	rows, err := readFile(strings.NewReader("phoneNumber,messageText,Location\n+12015550123,See you at 10,south\n+12015550124,See you at 11,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Location != "south" || rows[1].Location != "" || rows[0].Text != "See you at 10" {
		t.Errorf("rows = %+v", rows)
	}
}
