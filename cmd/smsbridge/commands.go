package main

import (
	"fmt"
	"io"
	"os"

	"github.com/smsbridge/smsbridge/internal/cli"
	doctorcmd "github.com/smsbridge/smsbridge/internal/doctor/command"
	"github.com/smsbridge/smsbridge/internal/reconcile"
	"github.com/smsbridge/smsbridge/internal/remind"
)

// command is one subcommand: its description for help, and how to run it.
// Commands that have flags parse them themselves with package cli; run gets
// the arguments after the command's name.
type command struct {
	cli.Command
	run func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order help shows them. Adding one is
// adding an entry here.
func commands() []command {
	return []command{
		{serveCommand, serve},
		{cli.Command{Name: "dev", Summary: "Run the sandbox: simulated Stream and Twilio and a web console, no accounts (builds with -tags sandbox)."}, sandbox},
		flagless(cli.Command{Name: "hash-password", Summary: "Read a password from stdin (asked twice on a terminal) and print its bcrypt hash for ADMIN_USERS.",
			Examples: []string{"smsbridge hash-password", "printf '%s' 'the password' | smsbridge hash-password"}}, hashPasswordStdin),
		{cli.Command{Name: "doctor", Summary: "Check the Twilio and Stream console settings a working bridge needs; --fix, --probe, --json."}, doctorcmd.Main},
		{cli.Command{Name: "reconcile", Summary: "Repair from Twilio's message log what webhooks lost during an outage."}, reconcile.Main},
		{cli.Command{Name: "remind", Summary: "Send a day's reminders from a CSV file; safe to run again."}, remind.Main},
		flagless(cli.Command{Name: "healthcheck", Summary: "Exit 0 when the local /healthz answers 200 (the container's HEALTHCHECK)."}, healthcheck),
		flagless(cli.Command{Name: "version", Summary: "Print the version."}, printVersion),
		{helpCommand, help},
	}
}

// run dispatches args (without the program name) to a command.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return help(nil, stdout, stderr)
	case "-v", "--version":
		return printVersion(stdout, stderr)
	}
	if c, ok := lookup(args[0]); ok {
		return c.run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "smsbridge: unknown command %q (run 'smsbridge help' for the list)\n", args[0])
	return exitConfig
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.Name == name {
			return c, true
		}
	}
	return command{}, false
}

// help lists the commands, or shows one's usage by running it with -h.
func help(args []string, stdout, stderr io.Writer) int {
	h := helpCommand
	if code, done := h.Parse(h.NewFlagSet(), args, stdout, stderr); done {
		return code
	}
	if len(args) == 1 {
		c, ok := lookup(args[0])
		if !ok {
			return h.Fail(stderr, fmt.Sprintf("unknown command %q", args[0]))
		}
		if c.Name == "help" {
			return help(nil, stdout, stderr)
		}
		return c.run([]string{"-h"}, stdout, stderr)
	}
	fmt.Fprintln(stdout, "smsbridge relays SMS between patients (Twilio) and a clinic's chat dashboard (Stream).")
	fmt.Fprintln(stdout, "\nusage: smsbridge [CMD] [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(stdout, "  %-14s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(stdout, "\n'smsbridge help CMD' or 'smsbridge CMD -h' shows a command's flags.")
	fmt.Fprintln(stdout, "Configuration comes from the environment, or a dotenv file with -env-file:")
	fmt.Fprintln(stdout, "see docs/configuration.md or .env.example.")
	return 0
}

var helpCommand = cli.Command{Name: "help", Args: "[CMD]", MaxArgs: 1,
	Summary: "List the commands, or show one command's usage and flags."}

// flagless makes a command that takes neither flags nor arguments: it
// answers -h and refuses anything else, as every command does.
func flagless(c cli.Command, f func(stdout, stderr io.Writer) int) command {
	return command{c, func(args []string, stdout, stderr io.Writer) int {
		if code, done := c.Parse(c.NewFlagSet(), args, stdout, stderr); done {
			return code
		}
		return f(stdout, stderr)
	}}
}

func hashPasswordStdin(stdout, stderr io.Writer) int { return hashPassword(os.Stdin, stdout, stderr) }

func printVersion(stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, versionString())
	return 0
}
