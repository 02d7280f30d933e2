package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"testing"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestDoctorRunsAsASubcommandOfTheSameBinary(t *testing.T) {
	st := streamtest.NewServer(streamtest.Options{APIKey: "key", APISecret: "stream-secret-value", Fail: t.Errorf})
	defer st.Close()
	tw := twiliotest.NewServer(twiliotest.Options{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "twiliotokenvalue", Fail: t.Errorf})
	defer tw.Close()
	// Nothing is set up in the fakes: the number is not on the account, Stream
	// has no webhook URL and no channel type.
	cmd := child(t, "doctor --json", validEnv(st.URL(), tw.URL(), 8080)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFailure {
		t.Fatalf("exit = %v, want 1\n%s", err, stderr.String())
	}
	var rep struct {
		Checks []struct{ ID, Status string }
		Failed int
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Failed != 3 {
		t.Errorf("stdout = %s (%v), want JSON with 3 failures: the number, Stream's webhook URL, the channel type", stdout.String(), err)
	}
}
