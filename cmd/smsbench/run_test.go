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
	for _, title := range []string{"1 number", "50 numbers", "first contact", "Outbound admin replies", "Reminders through the API"} {
		if !strings.Contains(out.String(), title) {
			t.Errorf("no table for %q:\n%s", title, out.String())
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
