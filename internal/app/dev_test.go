package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// A running `wirehose dev` shows on /metrics the per-stage series and the lag of both
// consumer groups, and is ready once every stage is.
func TestDevServesStageMetricsAndLag(t *testing.T) {
	c := DefaultDevConfig()
	c.Demo = true
	c.Data = filepath.Join(t.TempDir(), "data")
	c.BrokerAddr = freeAddr(t)
	c.HTTPAddr = freeAddr(t)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- RunDev(ctx, c, zap.NewNop()) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunDev: %v", err)
		}
	}()

	want := []string{
		`wirehose_messages_in_total{stage="enrich"} 29`,
		`wirehose_messages_in_total{stage="sink"} 29`,
		`wirehose_enrich_versions_total{verdict="new"} 29`,
		`wirehose_consumer_lag{group="wirehose-enrich",partition="0",topic="wire.raw"} 0`,
		`wirehose_consumer_lag{group="wirehose-sink",partition="0",topic="wire.stories"} 0`,
		`wirehose_end_to_end_seconds_count{kind="story"} 29`,
		`wirehose_ready{component="sink"} 1`,
	}
	var body string
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		body = httpGet(t, "http://"+c.HTTPAddr+"/metrics")
		missing := ""
		for _, w := range want {
			if !strings.Contains(body, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			if ready := httpGet(t, "http://"+c.HTTPAddr+"/readyz"); !strings.Contains(ready, "ready") {
				t.Errorf("/readyz = %q once everything is stored", ready)
			}
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("/metrics lacks %s", w)
		}
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return "" // not listening yet
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
