package obs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
	"go.uber.org/zap"
)

func TestServerEndpoints(t *testing.T) {
	defer goleak.VerifyNone(t)
	m := NewMetrics()
	m.Consumed("enrich", 3)
	m.Polled("afp", 2, 1, nil)
	m.Polled("afp", 0, 0, errors.New("boom"))
	var ready atomic.Bool
	s, err := Listen("127.0.0.1:0", m, zap.NewNop(), map[string]Check{"kafka": ready.Load})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + s.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "kafka") {
		t.Errorf("/readyz before ready = %d %q, want 503 naming kafka", code, body)
	}
	ready.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d, want 200", code)
	}
	_, body := get("/metrics")
	for _, want := range []string{
		`wirehose_messages_in_total{stage="enrich"} 3`,
		`wirehose_feed_items_total{feed="afp",kind="new"} 2`,
		`wirehose_feed_polls_total{feed="afp",outcome="error"} 1`,
		`wirehose_errors_total{kind="poll",stage="ingest"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestLogConfigValidate(t *testing.T) {
	tests := []struct {
		c    LogConfig
		want string
	}{
		{LogConfig{Format: "json", Level: "info"}, ""},
		{LogConfig{Format: "xml", Level: "info"}, "log.format"},
		{LogConfig{Format: "console", Level: "loud"}, "log.level"},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Validate(%+v) = %v, want %q", tt.c, err, tt.want)
		}
	}
}
