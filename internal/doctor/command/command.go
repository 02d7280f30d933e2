// Package command is the `smsbridge doctor` command: it reads the flags and
// the configuration (as serve does), runs package doctor's checks as package
// app wires them, prints them (lines, or JSON with --json), and with --fix
// shows the changes, makes them and checks again. The exit code is 0 when
// nothing fails, 1 when something does, 2 for bad flags or configuration.
//
// It holds no checks (package doctor does) and must not import the vendor
// adapters or their fakes; app does the wiring.
package command

import (
	"context"
	"fmt"
	"io"

	"github.com/smsbridge/smsbridge/config"
	"github.com/smsbridge/smsbridge/internal/app"
	"github.com/smsbridge/smsbridge/internal/cli"
	"github.com/smsbridge/smsbridge/internal/doctor"
)

// Exit codes, as serve's: 2 is a usage or configuration error.
const (
	exitFailed = 1
	exitUsage  = 2
)

// Command describes `smsbridge doctor` for its usage text.
var Command = cli.Command{Name: "doctor",
	Summary: "Check the Twilio and Stream console settings and the bridge's own that make a working bridge\n" +
		"look broken, and say how to fix each (--fix changes what it can). docs/doctor.md lists the checks.",
	Examples: []string{"smsbridge doctor", "smsbridge doctor --probe", "smsbridge doctor --fix", "smsbridge doctor --json"}}

type options struct {
	fix, probe, json bool
	envFile          string
}

// Main runs the command until it is done or SIGTERM/SIGINT arrives.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := cli.SignalContext()
	defer stop()
	return Run(ctx, args, stdout, stderr)
}

// Run is Main with the caller's context.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := Command.NewFlagSet()
	var o options
	fs.BoolVar(&o.fix, "fix", false, "show the changes doctor can make (Twilio inbound webhook, Stream webhook URL, channel type), make them, and check again")
	fs.BoolVar(&o.probe, "probe", false, "also send a signed request through PUBLIC_URL the way Twilio and Stream do (nothing is stored or sent)")
	fs.BoolVar(&o.json, "json", false, `print {"checks": [{"id", "status", "found", "fix"}], "failed": N}`)
	fs.StringVar(&o.envFile, "env-file", "", config.EnvFileUsage)
	if code, done := Command.Parse(fs, args, stdout, stderr); done {
		return code
	}
	cfg, err := config.LoadFile(o.envFile)
	if err != nil {
		fmt.Fprintf(stderr, "smsbridge doctor: %v (%s)\n", err, config.Hint)
		return exitUsage
	}
	d, err := app.NewDoctor(cfg, o.probe)
	if err != nil {
		fmt.Fprintln(stderr, "smsbridge doctor:", err)
		return exitUsage
	}
	return run(ctx, d, o, stdout, stderr)
}

// run checks, and with --fix changes and checks again; the exit code is the
// last run's.
func run(ctx context.Context, d *doctor.Doctor, o options, stdout, stderr io.Writer) int {
	rs := d.Check(ctx)
	if o.fix {
		// The first run and the changes go to stderr with --json, so stdout
		// stays one JSON document: the run after the changes.
		out := stdout
		if o.json {
			out = stderr
		}
		if err := doctor.WriteText(out, rs); err != nil {
			return exitFailed
		}
		changes := doctor.Changes(rs)
		_ = doctor.WriteChanges(out, changes)
		if len(changes) > 0 {
			for change, err := range doctor.Fix(ctx, changes) {
				fmt.Fprintf(out, "could not %s: %v\n", change, err)
			}
			fmt.Fprintln(out, "\nafter the changes:")
			rs = d.Check(ctx)
		}
	}
	write := doctor.WriteText
	if o.json {
		write = doctor.WriteJSON
	}
	if err := write(stdout, rs); err != nil {
		fmt.Fprintln(stderr, "smsbridge doctor:", err)
		return exitFailed
	}
	if doctor.Failed(rs) > 0 {
		return exitFailed
	}
	return 0
}
