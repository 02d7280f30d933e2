//go:build !sandbox

package main

import (
	"fmt"
	"io"
)

// sandbox stands in for `smsbridge dev` in the deployed build, which does
// not link the simulators: it says how to get a build that does.
func sandbox(_ []string, _, stderr io.Writer) int {
	fmt.Fprintf(stderr, "smsbridge: this build has no sandbox; from a checkout run: %s\n", sandboxCommand)
	return exitConfig
}
