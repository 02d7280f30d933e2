package dev

import (
	"net"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestASandboxThatCannotStartReturnsTheReasonInsteadOfCrashing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// An origin config.Load refuses: Start fails after the simulators
	// started, and must stop them and say why.
	sb, err := Start(ln, Options{CORSOrigins: []string{"localhost:3000"}, hashCost: bcrypt.MinCost})
	if err == nil {
		t.Fatalf("Start with a bad origin = %v, nil; want an error", sb)
	}
	if !strings.Contains(err.Error(), "CORS_ALLOWED_ORIGINS") {
		t.Errorf("error = %q, want it to name CORS_ALLOWED_ORIGINS", err)
	}
}
