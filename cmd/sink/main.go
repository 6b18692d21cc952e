// Command wirehose-sink consumes stories and upserts them into SQLite or PostgreSQL,
// committing offsets only after the database commit.
package main

import (
	"os"

	"github.com/wirehose/wirehose/internal/app"
)

func main() {
	os.Exit(app.Main(app.SinkSpec("wirehose-sink"), app.DefaultSinkConfig(), os.Args[1:], os.Stderr, app.RunSink))
}
