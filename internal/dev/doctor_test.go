package dev

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smsbridge/smsbridge/internal/doctor"
)

func TestTheSandboxsSimulatorsPassTheDoctorsChecks(t *testing.T) {
	r := startSandbox(t)
	rs, err := r.sb.Doctor(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]doctor.Status{}
	for _, res := range rs {
		status[res.ID] = res.Status
		if res.Status == doctor.StatusFail {
			t.Errorf("%s fails in the sandbox: %s", res.ID, res.Found)
		}
	}
	for _, id := range []string{doctor.IDServiceInbound, doctor.IDNumberExists, doctor.IDNumberSmsURL, doctor.IDStreamWebhook,
		doctor.IDStreamAuthChecks, doctor.IDStreamChannelType, doctor.IDStreamAdmins, doctor.IDProbeTwilio, doctor.IDProbeStream} {
		if status[id] != doctor.StatusOK {
			t.Errorf("%s = %q, want ok", id, status[id])
		}
	}
	var banner bytes.Buffer
	doctorLines(&banner, rs, nil)
	if !strings.Contains(banner.String(), "0 failed") || !strings.Contains(banner.String(), "warn bridge.public_url") {
		t.Errorf("banner lines:\n%s", banner.String())
	}
}
