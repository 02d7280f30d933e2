package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsbridge/smsbridge/internal/redistest"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// `smsbridge remind --csv` (docs/batch.md), run in-process against the fakes
// with the harness's configuration, as an operator runs it beside the service.

// refusals are the rows of the 200-row file that cannot be sent, by row
// number, with the code each must be refused with.
var refusals = map[int]string{
	20: "invalid_phone", 40: "empty_text", 60: "text_too_long", 80: "invalid_send_at",
	100: "send_at_out_of_range", 120: "opted_out", 140: "21614",
}

// dayFile is 200 rows: the refusals above, five scheduled rows, rows with and
// without a key, and row 199 repeating row 198 (the same reminder twice).
func (h *harness) dayFile() string {
	rows := [][]string{{"phoneNumber", "messageText", "sendAt", "key"}}
	for n := 1; n <= 200; n++ {
		phone, text, sendAt, key := batchPatient(n-1), fmt.Sprintf("Appointment %03d tomorrow at 10:00. Reply C or R.", n), "", ""
		if n%3 == 0 {
			key = fmt.Sprintf("appt-%03d", n)
		}
		if n%50 == 5 {
			sendAt = time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		}
		switch refusals[n] {
		case "invalid_phone":
			phone = "555-01"
		case "empty_text":
			text = "   "
		case "text_too_long":
			text = strings.Repeat("a", 1601)
		case "invalid_send_at":
			sendAt = "tomorrow 10am"
		case "send_at_out_of_range":
			sendAt = time.Now().Add(5 * time.Minute).UTC().Format(time.RFC3339)
		case "opted_out":
			h.stream.PutChannel(streamtest.Channel{Type: "sms", ID: strings.TrimPrefix(phone, "+"), CreatedBy: "front_desk",
				Members: []string{strings.TrimPrefix(phone, "+"), "front_desk", "dr_lee"}, Custom: map[string]any{"sms_opted_out": true}})
		case "21614":
			h.twilio.FailTo(phone, twiliotest.Error{Code: 21614})
		}
		if n == 199 {
			prev := rows[len(rows)-1]
			phone, text, sendAt, key = prev[0], prev[1], prev[2], prev[3]
		}
		rows = append(rows, []string{phone, text, sendAt, key})
	}
	return h.writeCSV(rows)
}

func TestADaysBatchIsSentOnceAndASecondRunSendsNothing(t *testing.T) {
	h := start(t, withEnv("TWILIO_MESSAGING_SERVICE_SID", messagingSID))
	file := h.dayFile()

	first, run := h.remindJSON("--csv", file)
	if run.Code != 1 {
		t.Errorf("first run exit %d, want 1 (rows were refused); stderr:\n%s", run.Code, run.Stderr)
	}
	if got := first.Totals; got.Sent != 188 || got.Scheduled != 4 || got.AlreadySent != 1 || got.Refused != 7 || got.Failed != 0 {
		t.Errorf("first run totals = %+v, want 188 sent, 4 scheduled, 1 already sent (row 199), 7 refused", got)
	}
	checkRefusals(t, first)
	// 192 rows of one admin, far past REMINDER_BURST (20): a batch paces
	// itself (--per-minute) and the API's per-admin limit does not hold it
	// back (docs/api.md#limits-per-admin).
	sent := len(h.twilio.Messages())
	if sent != 192 { // sent and scheduled; Twilio keeps no message it refused
		t.Errorf("Twilio messages = %d, want 192", sent)
	}
	checkMirrored(t, h, first)

	// Another process: its coordination store is empty, the chat remembers.
	h.twilio.ResetCalls()
	second, run := h.remindJSON("--csv", file)
	if n := h.twilio.Calls(); n != 0 || len(h.twilio.Messages()) != sent {
		t.Errorf("second run made %d Twilio calls, want 0", n)
	}
	if got := second.Totals; got.Sent != 0 || got.Scheduled != 0 || got.AlreadySent != 193 || got.Refused != 7 || got.Failed != 0 {
		t.Errorf("second run totals = %+v, want 193 already sent (192 and the repeated row) and the 7 refusals", got)
	}
	checkRefusals(t, second)
	if run.Code != 1 {
		t.Errorf("second run exit %d, want 1", run.Code)
	}
}

// checkRefusals checks that each refused row says why, by row number.
func checkRefusals(t *testing.T, s remindSummary) {
	t.Helper()
	if len(s.Rows) != 200 {
		t.Fatalf("summary has %d rows", len(s.Rows))
	}
	for i, r := range s.Rows {
		if r.Row != i+1 || r.Line != i+2 {
			t.Errorf("row %d is numbered %d (line %d)", i+1, r.Row, r.Line)
		}
		if want, ok := refusals[r.Row]; ok && (r.Outcome != "refused" || r.Code != want || r.Reason == "") {
			t.Errorf("row %d = %s %s %q, want refused %s", r.Row, r.Outcome, r.Code, r.Reason, want)
		}
	}
}

// checkMirrored checks a sent row and a scheduled row in their channels.
func checkMirrored(t *testing.T, h *harness, s remindSummary) {
	t.Helper()
	for _, n := range []int{3, 5} {
		r := s.Rows[n-1]
		m, ok := h.stream.Message(r.MessageID)
		if !ok || m.Custom["sms_origin"] != "reminder" || m.UserID != "front_desk" || m.Custom["sms_reminder_key"] == nil ||
			m.ChannelID != strings.TrimPrefix(batchPatient(n-1), "+") {
			t.Errorf("row %d in the chat = %+v (%v)", n, m, ok)
		}
	}
	if m, _ := h.stream.Message(s.Rows[2].MessageID); m.Custom["sms_reminder_key"] != "appt-003" {
		t.Errorf("row 3's key = %v, want the key column", m.Custom["sms_reminder_key"])
	}
	if m, _ := h.stream.Message(s.Rows[4].MessageID); m.Custom["sms_send_at"] == nil || s.Rows[4].Outcome != "scheduled" {
		t.Errorf("row 5 = %s, %v; want scheduled", s.Rows[4].Outcome, m.Custom)
	}
}

func TestADryRunSendsAndWritesNothing(t *testing.T) {
	h := start(t, withEnv("TWILIO_MESSAGING_SERVICE_SID", messagingSID))
	file := h.writeCSV([][]string{{"phoneNumber", "messageText", "sendAt"},
		{"+12015550123", "Your appointment is tomorrow at 10:00.", ""},
		{"+12015550124", "Your appointment is on Friday at 9:00.", time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)},
		{"+1201", "Your appointment is on Monday at 11:00.", ""},
	})
	h.stream.ResetCalls()
	s, run := h.remindJSON("--csv", file, "--dry-run")
	if run.Code != 1 || !s.DryRun || s.Totals.Sent != 1 || s.Totals.Scheduled != 1 || s.Totals.Refused != 1 {
		t.Errorf("exit %d, summary %+v", run.Code, s)
	}
	if s.Rows[0].Outcome != "would_send" || s.Rows[1].Outcome != "would_schedule" || s.Rows[2].Code != "invalid_phone" {
		t.Errorf("rows = %+v", s.Rows)
	}
	if n := h.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	calls := streamCalls(h)
	if calls[streamtest.OpSearch] != 2 || len(calls) != 1 {
		t.Errorf("Stream calls = %v, want only the two look-ups", calls)
	}
	table := h.remind("--csv", file, "--dry-run")
	if !strings.Contains(table.Stdout, "3 rows: 1 would send, 1 would schedule, 0 already sent, 1 refused, 0 failed") ||
		!strings.Contains(table.Stdout, "dry run: nothing was sent") {
		t.Errorf("table:\n%s", table.Stdout)
	}
}

func TestTemplateRowsAreFilledAsTheAPIFillsThemAndTheirErrorsRefused(t *testing.T) {
	h := start(t, withTemplates(t))
	file := h.writeCSV([][]string{{"phoneNumber", "template", "first_name", "clinic", "date", "time"},
		{"+12015550123", "appointment", "Ada", "Elm Street Clinic", "May 6", "10:00"},
		{"+12015550124", "recall", "Bob", "Elm Street Clinic", "May 7", "11:00"},
		{"+12015550125", "appointment", "Cy", "Elm Street Clinic", "", "12:00"},
	})
	s, run := h.remindJSON("--csv", file, "--as", "Dr Lee")
	if run.Code != 1 || s.Rows[0].Outcome != "sent" || s.Rows[1].Code != "unknown_template" || s.Rows[2].Code != "missing_param" {
		t.Fatalf("exit %d, rows %+v", run.Code, s.Rows)
	}
	want := "Hi Ada, this is Elm Street Clinic: see you on May 6 at 10:00. Reply C to confirm or R to reschedule."
	h.secret(want)
	if sent := h.twilio.MessagesTo("+12015550123"); len(sent) != 1 || sent[0].Body != want {
		t.Errorf("sent = %+v", sent)
	}
	if m, _ := h.stream.Message(s.Rows[0].MessageID); m.UserID != "dr_lee" || m.Text != want {
		t.Errorf("chat copy = %+v, want dr_lee's reminder", m)
	}
	if n := len(h.twilio.Messages()); n != 1 {
		t.Errorf("Twilio messages = %d, want 1", n)
	}
}

func TestAScheduledRowWithoutAMessagingServiceIsRefusedAndTheRestSent(t *testing.T) {
	h := start(t) // TWILIO_FROM_NUMBER only: Twilio cannot schedule
	file := h.writeCSV([][]string{{"phoneNumber", "messageText", "sendAt"},
		{"+12015550123", "Your appointment is on Friday at 9:00.", time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)},
		{"+12015550124", "Your appointment is tomorrow at 10:00.", ""},
	})
	s, run := h.remindJSON("--csv", file)
	if run.Code != 1 || s.Rows[0].Code != "scheduling_unavailable" || s.Rows[1].Outcome != "sent" {
		t.Errorf("exit %d, rows %+v", run.Code, s.Rows)
	}
	if n := len(h.twilio.Messages()); n != 1 {
		t.Errorf("Twilio messages = %d, want 1", n)
	}
}

func TestAFileWithNothingToRefuseExits0(t *testing.T) {
	h := start(t)
	file := h.writeCSV([][]string{{"phoneNumber", "messageText"},
		{"+12015550123", "Your appointment is tomorrow at 10:00."},
		{"+442079460123", "Your appointment is tomorrow at 11:00."},
	})
	if run := h.remind("--csv", file); run.Code != 0 || !strings.Contains(run.Stdout, "2 rows: 2 sent, 0 scheduled, 0 already sent, 0 refused, 0 failed") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", run.Code, run.Stdout, run.Stderr)
	}
	if run := h.remind("--csv", file); run.Code != 0 || !strings.Contains(run.Stdout, "2 rows: 0 sent, 0 scheduled, 2 already sent") {
		t.Errorf("second run exit %d, stdout:\n%s", run.Code, run.Stdout)
	}
}

func TestQuietHoursRefuseARowOrScheduleItForTheirEnd(t *testing.T) {
	window, ends := quietNowInNewYork(t)
	h := start(t, withEnv("QUIET_HOURS", window), withEnv("TWILIO_MESSAGING_SERVICE_SID", messagingSID))
	file := h.writeCSV([][]string{{"phoneNumber", "messageText"},
		{"+12015550123", "Your appointment is tomorrow at 10:00."},
	})
	dry, run := h.remindJSON("--csv", file, "--dry-run")
	if run.Code != 1 || dry.Rows[0].Code != "quiet_hours" {
		t.Errorf("dry run: exit %d, rows %+v", run.Code, dry.Rows)
	}
	refused, run := h.remindJSON("--csv", file)
	r := refused.Rows[0]
	if run.Code != 1 || r.Outcome != "refused" || r.Code != "quiet_hours" || r.NextAllowedAt == nil || !r.NextAllowedAt.Equal(ends) {
		t.Errorf("exit %d, row %+v; want refused quiet_hours, next allowed %v", run.Code, r, ends)
	}
	if n := h.twilio.Calls(); n != 0 {
		t.Errorf("Twilio calls = %d, want 0", n)
	}
	later, run := h.remindJSON("--csv", file, "--when-allowed")
	sent := h.twilio.MessagesTo("+12015550123")
	if run.Code != 0 || later.Rows[0].Outcome != "scheduled" || len(sent) != 1 || !sent[0].SendAt.Equal(ends) {
		t.Errorf("--when-allowed: exit %d, row %+v, Twilio %+v; want scheduled for %v", run.Code, later.Rows[0], sent, ends)
	}
}

func TestTwoRunsAtOnceWithRedisSendEachRowOnce(t *testing.T) {
	rs := redistest.Start(t)
	h := start(t, withRedis(rs))
	rows := [][]string{{"phoneNumber", "messageText"}}
	for i := range 20 {
		rows = append(rows, []string{batchPatient(i), fmt.Sprintf("Appointment %02d tomorrow at 10:00.", i)})
	}
	file := h.writeCSV(rows)
	var runs [2]remindSummary
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() { runs[i], _ = h.remindJSON("--csv", file) })
	}
	wg.Wait()
	if n := len(h.twilio.Messages()); n != 20 {
		t.Errorf("Twilio messages = %d, want 20: each row once", n)
	}
	for r := range 20 {
		a, b := runs[0].Rows[r].Outcome, runs[1].Rows[r].Outcome
		if (a == "sent") == (b == "sent") {
			t.Errorf("row %d: %s and %s; want it sent by exactly one run", r+1, a, b)
		}
	}
}
