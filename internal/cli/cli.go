// Package cli parses a subcommand's flags the conventional way, so every
// smsbridge command answers -h and mistakes alike: -h, -help and --help
// print the usage to stdout and exit 0; an unknown flag, a bad value or a
// stray argument prints one line and a hint to stderr and exits 2. It uses
// the standard library's flag package and imports no smsbridge package.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Exit codes shared by every command: 2 is a usage or configuration error.
const (
	ExitOK    = 0
	ExitUsage = 2
)

// Command describes a subcommand for its usage text.
type Command struct {
	Name     string // e.g. "reconcile"
	Args     string // what follows the flags, e.g. "" or "[CMD]"
	Summary  string // one line: what it does
	MaxArgs  int    // positional arguments allowed after the flags
	Examples []string
}

// NewFlagSet returns a flag set for c that prints nothing on its own.
func (c Command) NewFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("smsbridge "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Usage writes c's usage and fs's flags to w.
func (c Command) Usage(w io.Writer, fs *flag.FlagSet) {
	synopsis := "smsbridge " + c.Name
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		synopsis += " [flags]"
	}
	if c.Args != "" {
		synopsis += " " + c.Args
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis, c.Summary)
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if len(c.Examples) > 0 {
		fmt.Fprintf(w, "\nexamples:\n  %s\n", strings.Join(c.Examples, "\n  "))
	}
}

// Parse parses args into fs. It returns done = true when the command must
// stop now with code: after printing the usage (-h, code 0) or a one-line
// mistake (code 2).
func (c Command) Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.Usage(stdout, fs)
		return ExitOK, true
	case err != nil:
		return c.Fail(stderr, err.Error()), true
	case fs.NArg() > c.MaxArgs:
		return c.Fail(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(c.MaxArgs))), true
	}
	return ExitOK, false
}

// Fail prints a usage mistake as one line with a hint, and returns 2.
func (c Command) Fail(stderr io.Writer, problem string) int {
	fmt.Fprintf(stderr, "smsbridge %s: %s (run 'smsbridge %s -h' for usage)\n", c.Name, problem, c.Name)
	return ExitUsage
}

// StringList is a repeatable string flag.
type StringList []string

func (l *StringList) String() string     { return strings.Join(*l, ",") }
func (l *StringList) Set(v string) error { *l = append(*l, v); return nil }

// DurationVar defines a duration flag whose bad values are explained: the
// standard library's says only "parse error", which leaves a reader
// guessing what the flag wants. The usage should name the type in
// backquotes (e.g. "a `duration` such as 2h") for -h to show it.
func DurationVar(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*duration)(p), name, usage)
}

type duration time.Duration

func (d *duration) String() string { return time.Duration(*d).String() }

func (d *duration) Set(v string) error {
	parsed, err := time.ParseDuration(v)
	if err != nil {
		return errors.New("not a duration; write it like 24h, 90m or 1h30m")
	}
	*d = duration(parsed)
	return nil
}

// SignalContext is the context a long-running command runs under: it ends
// at SIGTERM (a container stopping) or SIGINT (Ctrl-C), the same two for
// every command.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
}
