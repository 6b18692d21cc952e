// Package devbroker runs the embedded Kafka-protocol broker behind `wirehose dev`: franz-go's
// kfake, persisted to a data directory so topics and committed offsets survive a restart.
// It is a development convenience, not Apache Kafka: production and the integration tests
// run against a real broker.
package devbroker

import (
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Config places the embedded broker.
type Config struct {
	Addr       string // loopback host:port clients connect to, e.g. 127.0.0.1:9092
	DataDir    string // where the log and group state persist
	Partitions int    // default partitions for topics created without a count
}

// Validate checks that the broker stays on loopback and has somewhere to persist.
func (c Config) Validate() error {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("broker_addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("broker_addr: the embedded broker listens on loopback only, got %q", host)
	}
	if c.DataDir == "" {
		return errors.New("data: a directory is required")
	}
	return nil
}

// Broker is a running embedded broker.
type Broker struct {
	c *kfake.Cluster
}

// Start listens on c.Addr and loads any state already in c.DataDir.
func Start(c Config) (*Broker, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded broker data dir: %w", err)
	}
	partitions := c.Partitions
	if partitions <= 0 {
		partitions = 3
	}
	cluster, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.DataDir(c.DataDir),
		kfake.DefaultNumPartitions(partitions),
		// kfake asks for 127.0.0.1:<port>; bind exactly the address the user chose instead.
		kfake.ListenFn(func(network, _ string) (net.Listener, error) { return net.Listen(network, c.Addr) }),
	)
	if err != nil {
		return nil, fmt.Errorf("embedded broker on %s (choose another with --broker-addr, or use a real Kafka with --brokers): %w", c.Addr, err)
	}
	return &Broker{c: cluster}, nil
}

// Addr is the address clients bootstrap from.
func (b *Broker) Addr() string { return b.c.ListenAddrs()[0] }

// Close persists state and stops the broker.
func (b *Broker) Close() { b.c.Close() }
