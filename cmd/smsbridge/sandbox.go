//go:build sandbox

package main

import "github.com/smsbridge/smsbridge/internal/dev"

// sandbox is `smsbridge dev`. It is linked only into builds with the
// sandbox tag, so the deployed binary carries none of the simulators, their
// OpenAPI documents or their dependencies (deps_test.go holds it).
var sandbox = dev.Main

// sandboxBuild marks the version line of this build.
const sandboxBuild = true
