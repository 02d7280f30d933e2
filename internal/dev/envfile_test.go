package dev

import (
	"os"
	"testing"

	"github.com/smsbridge/smsbridge/config"
)

func TestTheSandboxEnvFileReadsBackAsWrittenAndSkipsItsListener(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	env := map[string]string{"ADMIN_USERS": "front_desk:$2a$10$abc", "ODD": "it's \"x\"\n$y", "PORT": "8080"}
	path, err := writeEnvFile(env)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("stat %s: %v %v, want mode 0600", path, fi, err)
	}
	got, err := config.ReadEnvFile(path)
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]string{}
	for _, kv := range got {
		read[kv[0]] = kv[1]
	}
	if read["ADMIN_USERS"] != env["ADMIN_USERS"] || read["ODD"] != env["ODD"] {
		t.Errorf("read back %q, want %q", read, env)
	}
	if _, ok := read["PORT"]; ok {
		t.Error("the file sets PORT: a command using it would try the sandbox's own port")
	}
}
