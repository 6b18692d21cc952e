// Command wirehose-enrich consumes raw items, turns them into stories and produces them to the
// stories topic. Run several: they share the work through the consumer group.
package main

import (
	"os"

	"github.com/wirehose/wirehose/internal/app"
)

func main() {
	os.Exit(app.Main(app.EnrichSpec("wirehose-enrich"), app.DefaultEnrichConfig(), os.Args[1:], os.Stderr, app.RunEnrich))
}
