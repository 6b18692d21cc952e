package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/enrich"
	"github.com/wirehose/wirehose/internal/evaluate"
)

// EvalConfig configures `wirehose eval DIR`.
type EvalConfig struct {
	Enrich  enrich.Config `yaml:"enrich"`
	Verbose bool          `yaml:"verbose"` // list every miss, story by story
	Strict  bool          `yaml:"strict"`  // exit non-zero when a goal is missed
}

// DefaultEvalConfig evaluates the default enricher chain.
func DefaultEvalConfig() EvalConfig { return EvalConfig{Enrich: enrich.DefaultConfig()} }

// Validate checks every field and names the one that is wrong.
func (c EvalConfig) Validate() error { return c.Enrich.Validate() }

// EvalSpec is the command line of `wirehose eval`.
func EvalSpec() config.Spec {
	return config.Spec{Name: "wirehose eval", Args: "DIR", Help: map[string]string{
		"verbose": "list every miss and spurious answer, story by story",
		"strict":  "exit with status 1 when a goal is missed",
	}, Summary: "Runs the enricher chain on a labelled set of stories (testdata/eval/test is the team's " +
		"held-out set) and prints precision, recall and F1 per entity type, quote-speaker, language and " +
		"topic accuracy against their goals."}
}

// EvalCommand is `wirehose eval DIR`.
func EvalCommand(ctx context.Context, c EvalConfig, args []string, out io.Writer) error {
	if len(args) != 1 {
		return usageErrorf("one directory of labelled stories is required")
	}
	cases, err := evaluate.Load(args[0])
	if err != nil {
		return err
	}
	chain, err := enrich.BuildChain(c.Enrich, nil)
	if err != nil {
		return err
	}
	r, err := evaluate.Run(ctx, chain, cases)
	if err != nil {
		return err
	}
	if err := r.Print(out, c.Verbose); err != nil {
		return err
	}
	if missed := r.Missed(); c.Strict && len(missed) > 0 {
		return fmt.Errorf("goals missed: %s", strings.Join(missed, "; "))
	}
	return nil
}
