// Package pipeline is wirehose's contract: the models that travel between stages
// (RawItem, Story), the versioned envelope they travel in, the topic names, and the
// broker-neutral Message the stages consume and produce. It imports no broker and no
// database, so other programs can read wirehose topics with it.
package pipeline
