// Package obs is wirehose's observability: the zap logger, Prometheus metrics, and the
// small HTTP server every worker runs for /metrics, /healthz and /readyz.
package obs

import (
	"errors"
	"fmt"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// LogConfig selects the log encoding and level.
type LogConfig struct {
	Format string `yaml:"format"` // json (production) or console (development)
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// Validate checks the format and level.
func (c LogConfig) Validate() error {
	if c.Format != "json" && c.Format != "console" {
		return fmt.Errorf("log.format: must be json or console, got %q", c.Format)
	}
	if _, err := zapcore.ParseLevel(c.Level); err != nil || c.Level == "" {
		return errors.New("log.level: must be debug, info, warn or error")
	}
	return nil
}

// NewLogger builds the process's one logger; callers pass it down.
func NewLogger(c LogConfig) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(c.Level)
	if err != nil {
		return nil, fmt.Errorf("log.level: %w", err)
	}
	var zc zap.Config
	if c.Format == "console" {
		zc = zap.NewDevelopmentConfig()
		zc.DisableStacktrace = true
		zc.EncoderConfig.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
	} else {
		zc = zap.NewProductionConfig()
		zc.EncoderConfig.TimeKey = "ts"
		zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	}
	zc.Level = zap.NewAtomicLevelAt(lvl)
	log, err := zc.Build()
	if err != nil {
		return nil, fmt.Errorf("build logger: %w", err)
	}
	return log, nil
}
