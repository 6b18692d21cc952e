// Command wirehose is the operator's CLI and the all-in-one binary: `wirehose dev` runs the
// whole pipeline in one process on an embedded broker and SQLite; `stories` and `topics`
// inspect a running or finished pipeline; `ingest`, `enrich` and `sink` run one worker each.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wirehose/wirehose/internal/app"
)

const usage = `wirehose — a streaming pipeline for news-agency wire feeds.

Usage: wirehose <command> [flags]

Commands:
  dev       run ingest, enrich and sink in one process (embedded broker and SQLite by default)
  stories   list stored stories, newest first
  story     print one story with its versions and appearances
  topics    create or describe the pipeline's Kafka topics
  feeds     check a feeds file, import OPML, show every feed's health
  replay    reset a consumer group's offsets (dry run unless --execute) to re-read a topic
  reprocess enrich and store raw items again into a separate store, on a fresh group and index
  dlq       list, show and redrive dead letters
  eval      measure the enrichers on a labelled set of stories
  ingest    run the ingest worker (same as wirehose-ingest)
  enrich    run the enrich worker (same as wirehose-enrich)
  sink      run the sink worker (same as wirehose-sink)
  version   print the version

Run 'wirehose <command> --help' for a command's flags. Every flag can also be set in a YAML
file (--config) or as a WIREHOSE_* environment variable.
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return app.ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		return app.Main(app.DevSpec(), app.DefaultDevConfig(), rest, stderr, app.RunDev)
	case "stories":
		return app.Command(app.StoriesSpec(), app.DefaultStoriesConfig(), rest, stdout, stderr, app.StoriesCommand)
	case "eval":
		return app.Command(app.EvalSpec(), app.DefaultEvalConfig(), rest, stdout, stderr, app.EvalCommand)
	case "story":
		return app.Command(app.StorySpec(), app.DefaultStoryConfig(), rest, stdout, stderr, app.StoryCommand)
	case "topics":
		return app.Command(app.TopicsSpec(), app.DefaultTopicsConfig(), rest, stdout, stderr, app.TopicsCommand)
	case "feeds":
		return app.Command(app.FeedsSpec(), app.DefaultFeedsConfig(), rest, stdout, stderr, app.FeedsCommand)
	case "replay":
		return app.Command(app.ReplaySpec(), app.DefaultReplayConfig(), rest, stdout, stderr, app.ReplayCommand)
	case "reprocess":
		return app.Command(app.ReprocessSpec(), app.DefaultReprocessConfig(), rest, stdout, stderr, app.ReprocessCommand)
	case "dlq":
		return app.Command(app.DLQSpec(), app.DefaultDLQConfig(), rest, stdout, stderr, app.DLQCommand)
	case "ingest":
		return app.Main(app.IngestSpec("wirehose ingest"), app.DefaultIngestConfig(), rest, stderr, app.RunIngest)
	case "enrich":
		return app.Main(app.EnrichSpec("wirehose enrich"), app.DefaultEnrichConfig(), rest, stderr, app.RunEnrich)
	case "sink":
		return app.Main(app.SinkSpec("wirehose sink"), app.DefaultSinkConfig(), rest, stderr, app.RunSink)
	case "version", "--version":
		fmt.Fprintln(stdout, "wirehose", version)
		return app.ExitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return app.ExitOK
	default:
		fmt.Fprintf(stderr, "wirehose: unknown command %q\n\n%s", cmd, usage)
		return app.ExitUsage
	}
}
