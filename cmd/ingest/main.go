// Command wirehose-ingest polls the feeds of a feeds file and produces new and changed items
// to the raw topic.
package main

import (
	"os"

	"github.com/wirehose/wirehose/internal/app"
)

func main() {
	os.Exit(app.Main(app.IngestSpec("wirehose-ingest"), app.DefaultIngestConfig(), os.Args[1:], os.Stderr, app.RunIngest))
}
