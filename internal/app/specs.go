package app

import "github.com/wirehose/wirehose/internal/config"

// Help texts shared by the workers' flags.
var commonHelp = map[string]string{
	"kafka.brokers":               "Kafka bootstrap brokers, comma-separated",
	"kafka.client_id":             "client id sent to Kafka",
	"kafka.topic_prefix":          "prefix of every topic name",
	"kafka.batch_timeout":         "how long a producer waits to fill a batch",
	"kafka.write_timeout":         "deadline of one produce, retries included",
	"kafka.dial_timeout":          "deadline of one broker connection",
	"topics.create":               "create missing topics at start",
	"topics.partitions":           "partitions of the raw and stories topics (the ceiling on parallel workers)",
	"topics.replication_factor":   "replication factor of created topics",
	"consumer.group":              "consumer group id",
	"consumer.batch_size":         "messages processed and committed together",
	"consumer.batch_linger":       "wait for a fuller batch after the first message",
	"consumer.max_attempts":       "processing attempts before a message goes to the dead-letter topic",
	"consumer.session_timeout":    "how long the group waits for a crashed member before reassigning its partitions",
	"log.format":                  "json or console",
	"log.level":                   "debug, info, warn or error",
	"http_addr":                   "address of /metrics, /healthz and /readyz (empty disables)",
	"shutdown_timeout":            "on SIGTERM, time to finish in-flight work and commit",
	"feeds":                       "feeds file (YAML)",
	"poll.interval":               "poll interval of feeds that set none",
	"poll.concurrency":            "feeds fetched at once",
	"poll.max_seen":               "item hashes remembered per feed",
	"poll.timeout":                "deadline of one fetch",
	"poll.max_body_bytes":         "largest feed body accepted, after decompression",
	"poll.user_agent":             "User-Agent sent to feed servers",
	"once":                        "poll every feed once (all feeds, without joining the replicas' group), then exit",
	"topics.feedstate_partitions": "partitions of the feed-state topic: the ceiling on ingest replicas sharing the feeds",
	"poll.per_host":               "fetches at once to one host",
	"poll.host_gap":               "least time between two fetch starts to one host",
	"poll.schedule.min_interval":  "shortest poll interval the schedule learns",
	"poll.schedule.max_interval":  "longest poll interval the schedule learns",
	"poll.schedule.max_backoff":   "ceiling of the error backoff",
	"poll.schedule.jitter":        "spread of every delay, as a fraction of it",
	"poll.schedule.silent_factor": "a feed is silent after this many times its cadence without a new item",
	"db":                          "SQLite file path, or postgres:// DSN",
	"enrich.dedupe_window":        "how long the dedupe index remembers a story, to recognise its versions, repeats and copies",
	"enrich.dedupe_max":           "stories the dedupe index holds (about 2 KB of memory each); the oldest go first",
}

var brokersAlias = map[string]string{"brokers": "kafka.brokers"}

// IngestSpec is the command line of the ingest worker.
func IngestSpec(name string) config.Spec {
	return config.Spec{Name: name, Help: commonHelp, Aliases: brokersAlias, Summary: `Polls the feeds of a feeds file (RSS, Atom, JSON Feed) with conditional GET and produces
items that are new or changed for their feed to the raw topic, keyed by story. Replicas share
the feeds through the consumer group wirehose-ingest over the feed-state topic, where every
feed's state (validators, schedule, seen items) lives.`}
}

// EnrichSpec is the command line of the enrich worker.
func EnrichSpec(name string) config.Spec {
	return config.Spec{Name: name, Help: commonHelp, Aliases: brokersAlias, Summary: `Consumes raw items (consumer group wirehose-enrich), cleans the text, decides the story's
uri and fingerprint, decides each item's version, or that it copies another story (an
appearance) or repeats one (dropped), detects the language, and produces stories. Run
several: they share the raw topic's partitions, and the dedupe index through the compacted
dedupe topic, which each restores at start.`}
}

// SinkSpec is the command line of the sink worker.
func SinkSpec(name string) config.Spec {
	return config.Spec{Name: name, Help: commonHelp, Aliases: brokersAlias, Summary: `Consumes stories (consumer group wirehose-sink) and upserts them in batches into SQLite
or PostgreSQL; offsets are committed only after the database commit.`}
}

// DevSpec is the command line of `wirehose dev`.
func DevSpec() config.Spec {
	help := map[string]string{
		"feeds":         "feeds file (YAML); optional with --demo",
		"data":          "directory for the embedded broker's data and the SQLite database",
		"db":            "storage (default DATA/wirehose.db); a postgres:// DSN works too",
		"broker_addr":   "loopback address of the embedded Kafka-protocol broker (kcat and other wirehose commands can use it)",
		"brokers":       "use this Kafka cluster instead of the embedded broker",
		"topic_prefix":  "prefix of every topic name",
		"partitions":    "partitions of the topics it creates",
		"once":          "poll every feed once, wait until everything is stored and committed, exit 0",
		"drain_timeout": "with --once: how long to wait for the pipeline to drain",
		"demo":          "also serve built-in synthetic wire feeds on loopback and poll them",
		"demo_items":    "with --demo: also serve a bulk feed of this many generated items",
	}
	for k, v := range commonHelp {
		if _, ok := help[k]; !ok {
			help[k] = v
		}
	}
	return config.Spec{Name: "wirehose dev", Help: help, Aliases: map[string]string{"http": "http_addr"},
		Summary: `Runs ingest, enrich and sink in one process on an embedded Kafka-protocol broker (persisted
under --data) and SQLite at DATA/wirehose.db — no Java, Kafka or database server needed.
With --brokers it uses a real Kafka instead of the embedded broker.`}
}

// StoriesSpec is the command line of `wirehose stories`.
func StoriesSpec() config.Spec {
	return config.Spec{Name: "wirehose stories", Help: map[string]string{
		"db":     "SQLite file path or postgres:// DSN",
		"json":   "print one Story JSON object (IPTC ninjs field names) per line",
		"q":      "full-text query over headline, body and the names of people, organisations and places (any form the story used, the canonical name)",
		"since":  "only stories created or updated within this duration, e.g. 2h",
		"limit":  "at most this many stories",
		"usable": "hide killed and withheld stories",
	}, Summary: "Lists stored stories, newest first."}
}

// TopicsSpec is the command line of `wirehose topics`.
func TopicsSpec() config.Spec {
	return config.Spec{Name: "wirehose topics", Args: "create|describe", Help: commonHelp, Aliases: map[string]string{
		"brokers": "kafka.brokers", "partitions": "topics.partitions", "replication-factor": "topics.replication_factor",
	}, Summary: `create: creates the pipeline's topics that are missing (idempotent).
describe: prints partitions, leaders, replicas, ISR and high watermarks.`}
}
