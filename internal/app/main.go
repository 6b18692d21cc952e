package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/obs"
)

// Exit statuses shared by every wirehose binary.
const (
	ExitOK     = 0
	ExitFailed = 1 // the worker ran and failed
	ExitUsage  = 2 // bad flags, environment or config file
)

// Configurable is a worker's config: validated once, and carrying the process settings.
type Configurable interface {
	Validate() error
	process() Process
}

func (p Process) process() Process { return p }

// Main is the whole of a worker binary's main: load cfg from file, environment and args,
// validate, build the logger, run until SIGINT/SIGTERM, and return the exit status.
func Main[C Configurable](spec config.Spec, cfg C, args []string, stderr io.Writer,
	run func(context.Context, C, *zap.Logger) error) int {
	if spec.Out == nil {
		spec.Out = stderr
	}
	rest, err := config.Load(spec, &cfg, args)
	if errors.Is(err, config.ErrHelp) {
		return ExitOK
	}
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", spec.Name, err, spec.Name)
		return ExitUsage
	}
	p := cfg.process()
	log, err := obs.NewLogger(p.Log)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", spec.Name, err)
		return ExitUsage
	}
	defer func() { _ = log.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		// Run drains within the shutdown timeout; this is the backstop if it cannot.
		<-ctx.Done()
		time.Sleep(p.ShutdownTimeout + 10*time.Second)
		log.Error("shutdown deadline passed, exiting", zap.Duration("shutdown_timeout", p.ShutdownTimeout))
		os.Exit(ExitFailed)
	}()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("stopped with error", zap.Error(err))
		return ExitFailed
	}
	log.Info("stopped")
	return ExitOK
}
