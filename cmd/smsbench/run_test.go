package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for smsbench's children: run
// starts os.Executable() with roleEnv set.
func TestMain(m *testing.M) {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runChild(role))
	}
	os.Exit(m.Run())
}

func TestAShortRunPrintsEveryScenarioAndExitsZero(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the bridge and the relay")
	}
	var out, progress bytes.Buffer
	code := run([]string{"-duration", "300ms", "-rounds", "1", "-numbers", "50", "-concurrency", "4"}, &out, &progress)
	if code != 0 {
		t.Fatalf("exit code %d\n%s\n%s", code, progress.String(), out.String())
	}
	for _, title := range []string{"1 number", "50 numbers", "first contact", "Outbound admin replies", "Reminders through the API",
		"Stream calls per lifecycle", "| Inbound SMS, known patient | 1 |"} {
		if !strings.Contains(out.String(), title) {
			t.Errorf("no table for %q:\n%s", title, out.String())
		}
	}
	for _, tg := range lifecycleTargets(nil) {
		if !strings.Contains(out.String(), "| "+tg.Name+" | ") {
			t.Errorf("no target %q", tg.Name)
		}
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "Stream call") && strings.HasPrefix(line, "| inbound SMS,") ||
			strings.HasPrefix(line, "| admin reply:") || strings.HasPrefix(line, "| reminder to") {
			if !strings.HasSuffix(line, "| met |") {
				t.Errorf("a lifecycle target was not met: %s", line)
			}
		}
	}
	if strings.Contains(out.String(), "failed requests") {
		t.Errorf("requests failed:\n%s", out.String())
	}
}

func TestFailedRequestsFailTheRun(t *testing.T) {
	res := sampleReport().Scenarios[1]
	errs := failures(res)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "inbound-many, smsbridge: 3 failed requests") {
		t.Errorf("failures = %v", errs)
	}
	if errs := failures(sampleReport().Scenarios[0]); len(errs) != 0 {
		t.Errorf("a clean scenario fails: %v", errs)
	}
}

func TestLifecyclesOverTheirStreamCallsMissTheirTargets(t *testing.T) {
	within := []Lifecycle{
		{Name: lcInbound, Calls: map[string]int{"send_message": 1}, Total: 1},
		{Name: lcFirst, Calls: map[string]int{"upsert_users": 1, "query_channel": 1, "send_message": 2}, Total: 4},
		{Name: lcReply, Calls: map[string]int{"update_message_partial": 3}, Total: 3},
		{Name: lcReminder, Calls: map[string]int{"query_channel": 1, "send_message": 1, "update_message_partial": 3}, Total: 5},
	}
	over := []Lifecycle{
		{Name: lcInbound, Calls: map[string]int{"send_message": 1, "query_channel": 1}, Total: 2},
		{Name: lcFirst, Calls: map[string]int{"upsert_users": 2, "query_channel": 1, "send_message": 2}, Total: 5},
		{Name: lcReply, Calls: map[string]int{"get_message": 1, "update_message_partial": 2}, Total: 3},
		{Name: lcReminder, Calls: map[string]int{"upsert_users": 1, "query_channel": 1, "send_message": 1, "update_message_partial": 2}, Total: 5},
	}
	for i, tg := range lifecycleTargets(within) {
		if !tg.Met || !tg.Judged {
			t.Errorf("within the targets, %q: %+v", within[i].Name, tg)
		}
	}
	for i, tg := range lifecycleTargets(over) {
		if tg.Met {
			t.Errorf("over the targets, %q was met: %+v", over[i].Name, tg)
		}
	}
	if tg := lifecycleTargets(nil); len(tg) != 4 || tg[0].Judged {
		t.Errorf("without lifecycles: %+v, want 4 targets not judged", tg)
	}
}
