package remind

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// wideHeader is a template file's header with n columns in all: the phone
// and template columns, then placeholders p3…pn.
func wideHeader(n int) string {
	var b strings.Builder
	b.WriteString("phoneNumber,template")
	for i := 3; i <= n; i++ {
		b.WriteString(",p" + strconv.Itoa(i))
	}
	b.WriteString("\n")
	return b.String()
}

func TestAHeaderWithMoreColumnsThanTheCapIsRefusedSayingHowMany(t *testing.T) {
	for _, n := range []int{maxColumns + 1, 200_000} {
		_, err := readFile(strings.NewReader(wideHeader(n)))
		var fe *FileError
		want := "line 1: " + strconv.Itoa(n) + " columns, more than 40"
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%d columns: error = %v, want one starting %q", n, err, want)
		}
	}
}

func TestAHeaderAtTheCapIsAccepted(t *testing.T) {
	file := wideHeader(maxColumns) + "+12015550123,appointment" + strings.Repeat(",x", maxColumns-2) + "\n"
	rows, err := readFile(strings.NewReader(file))
	if err != nil || len(rows) != 1 || len(rows[0].Params) != maxColumns-2 {
		t.Fatalf("rows = %d, err = %v; want one row with %d placeholders", len(rows), err, maxColumns-2)
	}
}

func TestAPlaceholderNamedTwiceIsRefused(t *testing.T) {
	_, err := readFile(strings.NewReader("phoneNumber,template,date,first_name,date\n"))
	if err == nil || !strings.HasPrefix(err.Error(), `line 1, column 5: column "date" appears twice`) {
		t.Errorf("error = %v", err)
	}
}

// BenchmarkRefusingA200000ColumnHeader is issue 27's file: a 1.2 MB header
// of 200,000 columns, which took 64 s before the cap. Refusing it reads the
// first line once (ns/op is the whole refusal).
func BenchmarkRefusingA200000ColumnHeader(b *testing.B) {
	file := wideHeader(200_000)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := readFile(strings.NewReader(file)); err == nil {
			b.Fatal("accepted")
		}
	}
}

func TestATextCellIsReadByteForByteSoTheBridgeSeesInvalidUTF8(t *testing.T) {
	rows, err := readFile(strings.NewReader("phoneNumber,messageText\n+12015550123,\"See you \xff\u200b\"\n"))
	if err != nil || len(rows) != 1 || rows[0].Text != "See you \xff\u200b" {
		t.Fatalf("rows = %d, err = %v; want one, its text as written", len(rows), err)
	}
}
