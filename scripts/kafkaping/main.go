// Command kafkaping waits until a Kafka broker answers real protocol requests
// (ApiVersions and Metadata), not merely until its port is open. The test setup
// (scripts/kafka.sh, scripts/test.sh) uses it to know when the broker it
// started is ready, and to describe a broker given in WIREHOSE_TEST_KAFKA_BROKERS.
//
//	go run ./scripts/kafkaping -brokers 127.0.0.1:29092 -timeout 90s [-pid 1234]
//
// It exits 0 and prints one summary line once a broker lists itself in a
// Metadata answer with a controller; it exits 1 with the last error when the
// timeout passes or when the process given by -pid has exited.
//
// With -warm it then asks for a group coordinator until one is found, so a
// fresh broker creates __consumer_offsets now rather than during the first
// test that joins a consumer group (kafka-go backs off 5s while it is missing).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/segmentio/kafka-go"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:29092", "comma-separated bootstrap addresses (host:port)")
	timeout := flag.Duration("timeout", 90*time.Second, "give up after this long")
	interval := flag.Duration("interval", 250*time.Millisecond, "pause between attempts")
	pid := flag.Int("pid", 0, "if set, fail at once when this process (the broker) has exited")
	verbose := flag.Bool("v", false, "print every API version the broker supports")
	warm := flag.Bool("warm", false, "also wait until a consumer group coordinator is available")
	flag.Parse()

	addrs := splitAddrs(*brokers)
	if len(addrs) == 0 {
		fmt.Fprintln(os.Stderr, "kafkaping: -brokers is empty")
		os.Exit(2)
	}

	deadline := time.Now().Add(*timeout)
	var lastErr error
	attempts := 0
	for {
		attempts++
		for _, addr := range addrs {
			summary, apis, err := ping(addr, 5*time.Second)
			if err == nil {
				if *warm {
					if err := warmGroups(addr, deadline, *interval, *pid); err != nil {
						fmt.Fprintf(os.Stderr, "kafkaping: %v\n", err)
						os.Exit(1)
					}
					summary += ", group coordinator ready"
				}
				fmt.Println(summary)
				if *verbose {
					for _, line := range apis {
						fmt.Println("  " + line)
					}
				}
				return
			}
			lastErr = fmt.Errorf("%s: %w", addr, err)
		}
		if *pid > 0 && !alive(*pid) {
			fmt.Fprintf(os.Stderr, "kafkaping: broker process %d exited before answering (last error: %v)\n", *pid, lastErr)
			os.Exit(1)
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "kafkaping: no Metadata answer from %s within %s after %d attempts (last error: %v)\n",
				*brokers, *timeout, attempts, lastErr)
			os.Exit(1)
		}
		time.Sleep(*interval)
	}
}

// ping sends ApiVersions and Metadata to one broker over a fresh transport, so
// that no pooled connection from a failed attempt is reused.
func ping(addr string, limit time.Duration) (string, []string, error) {
	transport := &kafka.Transport{DialTimeout: limit, ClientID: "wirehose-kafkaping"}
	defer transport.CloseIdleConnections()
	client := &kafka.Client{Addr: kafka.TCP(addr), Timeout: limit, Transport: transport}

	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()

	av, err := client.ApiVersions(ctx, &kafka.ApiVersionsRequest{})
	if err != nil {
		return "", nil, fmt.Errorf("ApiVersions: %w", err)
	}
	if av.Error != nil {
		return "", nil, fmt.Errorf("ApiVersions: %w", av.Error)
	}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil {
		return "", nil, fmt.Errorf("Metadata: %w", err)
	}
	if len(md.Brokers) == 0 {
		return "", nil, errors.New("Metadata: no broker registered yet")
	}
	if md.Controller.Host == "" && md.Controller.ID == 0 {
		return "", nil, errors.New("Metadata: no controller yet")
	}

	byName := map[string]kafka.ApiVersionsResponseApiKey{}
	apis := make([]string, 0, len(av.ApiKeys))
	for _, k := range av.ApiKeys {
		byName[k.ApiName] = k
		apis = append(apis, fmt.Sprintf("%-28s key %2d  v%d-v%d", k.ApiName, k.ApiKey, k.MinVersion, k.MaxVersion))
	}
	sort.Strings(apis)

	ids := make([]string, 0, len(md.Brokers))
	for _, b := range md.Brokers {
		ids = append(ids, fmt.Sprintf("%d@%s:%d", b.ID, b.Host, b.Port))
	}
	sort.Strings(ids)

	var keys []string
	for _, name := range []string{"Produce", "Fetch", "Metadata"} {
		if k, ok := byName[name]; ok {
			keys = append(keys, fmt.Sprintf("%s v%d-v%d", name, k.MinVersion, k.MaxVersion))
		}
	}
	summary := fmt.Sprintf("kafka at %s answers: cluster %s, brokers [%s], controller %d, %d topics, %d APIs (%s)",
		addr, md.ClusterID, strings.Join(ids, " "), md.Controller.ID, len(md.Topics), len(av.ApiKeys), strings.Join(keys, ", "))
	return summary, apis, nil
}

// warmGroups repeats FindCoordinator until the broker names a coordinator,
// which makes it create the __consumer_offsets topic.
func warmGroups(addr string, deadline time.Time, interval time.Duration, pid int) error {
	var lastErr error
	for {
		transport := &kafka.Transport{DialTimeout: 5 * time.Second, ClientID: "wirehose-kafkaping"}
		client := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second, Transport: transport}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resp, err := client.FindCoordinator(ctx, &kafka.FindCoordinatorRequest{
			Key:     "wirehose-kafkaping",
			KeyType: kafka.CoordinatorKeyTypeConsumer,
		})
		cancel()
		transport.CloseIdleConnections()
		switch {
		case err != nil:
			lastErr = err
		case resp.Error != nil:
			lastErr = resp.Error
		default:
			return nil
		}
		if pid > 0 && !alive(pid) {
			return fmt.Errorf("broker process %d exited while waiting for a group coordinator (last error: %v)", pid, lastErr)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no group coordinator at %s before the deadline (last error: %v)", addr, lastErr)
		}
		time.Sleep(interval)
	}
}

func splitAddrs(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// alive reports whether a process with this id exists and is not a zombie.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust the signal probe
	}
	// Format: pid (comm) state ...; comm may contain spaces or parentheses.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		state := stat[i+2]
		return state != 'Z' && state != 'X'
	}
	return true
}
