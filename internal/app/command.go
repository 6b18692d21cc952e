package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"

	"github.com/wirehose/wirehose/internal/config"
)

// Command runs a short-lived subcommand (not a worker): load and validate cfg, then run it
// with positional arguments, and return the exit status.
func Command[C interface{ Validate() error }](spec config.Spec, cfg C, args []string, stdout, stderr io.Writer,
	run func(ctx context.Context, cfg C, args []string, out io.Writer) error) int {
	if spec.Out == nil {
		spec.Out = stderr
	}
	rest, err := config.Load(spec, &cfg, args)
	if errors.Is(err, config.ErrHelp) {
		return ExitOK
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", spec.Name, err, spec.Name)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, rest, stdout); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "%s: %v\nRun '%s --help' for usage.\n", spec.Name, err, spec.Name)
			return ExitUsage
		}
		fmt.Fprintf(stderr, "%s: %v\n", spec.Name, err)
		return ExitFailed
	}
	return ExitOK
}

// errUsage marks a run error caused by the command line (a wrong positional argument).
var errUsage = errors.New("usage")

func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}
