//go:build !sandbox

package main

import (
	"fmt"
	"io"
	"slices"
)

// sandbox stands in for `smsbridge dev` in the deployed build, which does
// not link the simulators: it says how to get a build that does.
func sandbox(args []string, stdout, stderr io.Writer) int {
	if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
		fmt.Fprintf(stdout, "usage: smsbridge dev [flags]\n\nThe sandbox is not in this build. From a checkout run: %s\n", sandboxCommand)
		return 0
	}
	fmt.Fprintf(stderr, "smsbridge: this build has no sandbox; from a checkout run: %s\n", sandboxCommand)
	return exitConfig
}

// sandboxBuild marks the version line of this build.
const sandboxBuild = false
