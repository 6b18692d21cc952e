// Package kafka is wirehose's Kafka adapter, built on segmentio/kafka-go; no other package
// imports kafka-go. It offers a synchronous Producer, a committing group Consumer that
// drives a stage's Processor, a dead-letter queue, and topic administration.
//
// Delivery: at-least-once. The Producer returns only when every record is acknowledged by
// all in-sync replicas. The Consumer commits a batch only after its outputs are flushed
// (or its poison messages are acknowledged by the DLQ), and only up to the highest offset
// below which every fetched record is done, because Kafka commits are cumulative. Stages
// must make their effects idempotent: a rebalance or a crash re-delivers what was not
// committed.
//
// Compatibility with Kafka 4.x, which dropped old protocol versions: kafka-go v0.4.51
// negotiates versions the broker accepts for everything this package uses, through
// kafka.Client (Produce v8, Metadata v8, ListOffsets v5, CreateTopics v5, DescribeConfigs
// v3, OffsetFetch v5) and through the Reader's own connections (Fetch v10, JoinGroup v2,
// SyncGroup v0, Heartbeat v0, LeaveGroup v0, FindCoordinator v0, Metadata v6). Three of
// the Reader's fixed versions are the oldest Kafka 4.1 still accepts (OffsetCommit v2,
// OffsetFetch v1, ListOffsets v1): a broker that drops them breaks group consumption.
package kafka
