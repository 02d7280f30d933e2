package reconcile

import (
	"bytes"
	"strings"
	"testing"
)

func TestBadFlagsExit2AndSayWhy(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a negative window", []string{"--since", "-2h"}, "--since must be a positive duration"},
		{"a window that is not a duration", []string{"--since", "yesterday"}, "invalid value"},
		{"a page size Twilio refuses", []string{"--page-size", "5000"}, "--page-size must be between 1 and 1000"},
		{"a stray argument", []string{"--since", "2h", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(t.Context(), tt.args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", code, stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
			if lines := strings.Count(stderr.String(), "\n"); lines != 1 {
				t.Errorf("stderr has %d lines, want the error once: %q", lines, stderr.String())
			}
		})
	}
}

func TestHelpPrintsTheFlagsAndExits0(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(t.Context(), []string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "-since") {
		t.Errorf("exit %d, stdout %q; want 0 and the flags", code, stdout.String())
	}
}

func TestMissingConfigurationExits2WithoutPrintingSecrets(t *testing.T) {
	t.Setenv("STREAM_API_KEY", "")
	t.Setenv("TWILIO_AUTH_TOKEN", "reconciletesttoken")
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), []string{"--since", "2h"}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "STREAM_API_KEY") || strings.Contains(stderr.String(), "reconciletesttoken") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
