package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestReconcileRunsAsASubcommandOfTheSameBinary(t *testing.T) {
	st := streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "stream-secret-value", Fail: t.Errorf})
	defer st.Close()
	tw := twiliotest.NewServer(twiliotest.Options{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "twiliotokenvalue", Fail: t.Errorf})
	defer tw.Close()

	cmd := child(t, "reconcile --since 2h --dry-run", validEnv(st.URL(), tw.URL(), 8080)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("reconcile: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "dry run: nothing was changed") || !strings.Contains(stderr.String(), `"message":"reconcile finished"`) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}

func TestReconcileWithBadFlagsExits2(t *testing.T) {
	err := child(t, "reconcile --since -2h").Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("exit = %v, want code 2", err)
	}
}
