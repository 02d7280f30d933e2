package remind

import (
	"strings"
	"testing"
)

func TestASemicolonFileIsReadAsSuch(t *testing.T) {
	file := "\ufeffphoneNumber;messageText;key\r\n" +
		"+12015550123;\"See you at 10; bring your card, please.\";appt-1\r\n" +
		"(201) 555-0124;Thanks, see you;appt-2\r\n"
	rows, err := readFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
	if r := rows[0]; r.Phone != "+12015550123" || r.Text != "See you at 10; bring your card, please." || r.Key != "appt-1" {
		t.Errorf("row 1 = %+v", r)
	}
	if r := rows[1]; r.Phone != "(201) 555-0124" || r.Text != "Thanks, see you" || r.Key != "appt-2" {
		t.Errorf("row 2 = %+v", r)
	}
}

func TestTheDelimiterIsReadFromTheHeaderOutsideQuotes(t *testing.T) {
	tests := []struct {
		name, file string
		want       rune
	}{
		{"commas", "phoneNumber,messageText\n+12015550123;x;y;z,hi\n", ','},
		{"semicolons", "phoneNumber;messageText\n+12015550123,hi;x\n", ';'},
		{"semicolons inside a quoted name", "\"a;b;c\",phoneNumber,messageText\n", ','},
		{"commas inside a quoted name", "\"a,b,c\";phoneNumber;messageText\n", ';'},
		{"one column", "phoneNumber\n", ','},
		{"no line end", "phoneNumber;messageText", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := delimiter([]byte(tt.file)); got != tt.want {
				t.Errorf("delimiter = %q, want %q", got, tt.want)
			}
		})
	}
}
