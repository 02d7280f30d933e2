package app

import (
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/term"

	"github.com/smsbridge/smsbridge/config"
)

// NewLogger builds the process's one logger: JSON lines (or console output
// for people) at the configured level, with timestamps.
func NewLogger(cfg config.Config, w io.Writer) zerolog.Logger {
	level, err := zerolog.ParseLevel(cfg.LogLevel)
	if err != nil {
		level = zerolog.InfoLevel
	}
	if cfg.LogFormat == "console" {
		// Colours only on a terminal: in a file or a log collector the
		// escape codes are noise.
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339, NoColor: !IsTerminal(w)}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Str("service", "smsbridge").Logger()
}

// IsTerminal reports whether w is a terminal (colours, progress bars).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
