package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionString is what `smsbridge version` prints: the module version,
// the commit and its date as the Go toolchain stamped them into the build
// (debug.ReadBuildInfo; a build from a git checkout has them), the Go
// version, and whether this is a sandbox build. It is never a bare word
// such as "dev", which is also the sandbox's command.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = &debug.BuildInfo{}
	}
	return formatVersion(version, info, sandboxBuild)
}

func formatVersion(override string, info *debug.BuildInfo, sandbox bool) string {
	v := override
	if v == "" {
		v = info.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	setting := map[string]string{}
	for _, s := range info.Settings {
		setting[s.Key] = s.Value
	}
	var about []string
	if rev := setting["vcs.revision"]; rev != "" {
		commit := "commit " + rev[:min(12, len(rev))]
		if setting["vcs.modified"] == "true" {
			commit += " with local changes"
		}
		about = append(about, commit)
		if at := setting["vcs.time"]; at != "" {
			about = append(about, at)
		}
	} else {
		about = append(about, "no commit recorded: built outside a git checkout or with -buildvcs=false")
	}
	if info.GoVersion != "" {
		about = append(about, info.GoVersion)
	}
	out := fmt.Sprintf("smsbridge %s (%s)", v, strings.Join(about, ", "))
	if sandbox {
		out += " (sandbox build)"
	}
	return out
}
