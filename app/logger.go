package app

import (
	"io"
	"time"

	"github.com/rs/zerolog"

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
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.RFC3339}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Str("service", "smsbridge").Logger()
}
