package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// kfakeDLQ is a dlq configuration on an embedded broker holding the pipeline's topics.
func kfakeDLQ(t *testing.T) DLQConfig {
	t.Helper()
	cl, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	c := DefaultDLQConfig()
	c.Kafka.Brokers = cl.ListenAddrs()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kafka.EnsureTopics(ctx, c.Kafka, kafka.DefaultTopicSpecs(c.Kafka.Topics(), 2, 1)...); err != nil {
		t.Fatal(err)
	}
	return c
}

func runDLQ(t *testing.T, c DLQConfig, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := DLQCommand(ctx, c, args, &out)
	return out.String(), err
}

func TestDLQCommand(t *testing.T) {
	c := kfakeDLQ(t)
	topics := c.Kafka.Topics()
	p := kafka.NewProducer(c.Kafka, nil)
	defer p.Close()
	d := kafka.NewDLQ(p, topics.DLQ)
	ctx := context.Background()
	failures := []struct {
		stage string
		m     pipeline.Message
		cause string
	}{
		{"enrich", pipeline.Message{Topic: topics.Raw, Partition: 1, Offset: 5, Key: []byte("urn:a"), Value: []byte("<not an envelope>")}, "decode envelope: invalid character '<'"},
		{"sink", pipeline.Message{Topic: topics.Stories, Partition: 0, Offset: 9, Key: []byte("urn:b"),
			Value: []byte(`{"schema":"wirehose.story/1","data":{"uri":""}}`)}, "story without uri " + strings.Repeat("x", 200)},
	}
	for _, f := range failures {
		if err := d.Send(ctx, f.stage, f.m, 3, errors.New(f.cause)); err != nil {
			t.Fatal(err)
		}
	}

	out, err := runDLQ(t, c, "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("list printed %d lines, want a header, 2 dead letters and a count:\n%s", len(lines), out)
	}
	for _, want := range []string{"enrich", topics.Raw + "/1/5", "urn:a", "decode envelope"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.Repeat("x", 100)) {
		t.Errorf("list printed a long error whole, want it clipped:\n%s", out)
	}
	if !strings.Contains(lines[3], "2 dead letters: 0 redriven, 0 failed again") {
		t.Errorf("count line %q", lines[3])
	}
	id := strings.Fields(lines[1])[0]

	sinkOnly := c
	sinkOnly.Stage = "sink"
	if out, _ := runDLQ(t, sinkOnly, "list"); strings.Contains(out, "urn:a") || !strings.Contains(out, "urn:b") {
		t.Errorf("list --stage sink:\n%s", out)
	}
	byText := c
	byText.Match = "INVALID CHAR"
	if out, _ := runDLQ(t, byText, "list"); !strings.Contains(out, "urn:a") || strings.Contains(out, "urn:b") {
		t.Errorf("list --match:\n%s", out)
	}

	out, err = runDLQ(t, c, "show", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"id:          " + id, "wirehose.topic: ", "wirehose.attempts: 3", "key:"} {
		if !strings.Contains(out, want) {
			t.Errorf("show %s lacks %q:\n%s", id, want, out)
		}
	}
	sinkID := ""
	for _, l := range lines[1:3] {
		if strings.Contains(l, "urn:b") {
			sinkID = strings.Fields(l)[0]
		}
	}
	out, err = runDLQ(t, c, "show", sinkID)
	if err != nil || !strings.Contains(out, "{\n  \"schema\": \"wirehose.story/1\",\n  \"data\": {\n    \"uri\": \"\"") {
		t.Errorf("show %s (err %v) does not pretty-print the JSON value:\n%s", sinkID, err, out)
	}
	if _, err := runDLQ(t, c, "show", "7:123"); err == nil || !strings.Contains(err.Error(), "no dead letter 7:123") {
		t.Errorf("show of a missing dead letter: %v", err)
	}

	// A dry run sends nothing.
	out, err = runDLQ(t, c, "redrive")
	if err != nil || !strings.Contains(out, "2 to re-produce") || !strings.Contains(out, "--execute") {
		t.Fatalf("redrive dry run (err %v):\n%s", err, out)
	}
	if n := highWatermarks(t, c, topics.Raw); n != 0 {
		t.Fatalf("raw topic holds %d messages after a dry run, want 0", n)
	}

	exec := c
	exec.Execute = true
	exec.Stage = "enrich"
	out, err = runDLQ(t, exec, "redrive")
	if err != nil || !strings.Contains(out, "re-produced 1 dead letter to their topics") {
		t.Fatalf("redrive --execute --stage enrich (err %v):\n%s", err, out)
	}
	if n := highWatermarks(t, c, topics.Raw); n != 1 {
		t.Fatalf("raw topic holds %d messages after redriving one, want 1", n)
	}
	out, err = runDLQ(t, exec, "redrive")
	if err != nil || !strings.Contains(out, "0 to re-produce, 1 redriven before") || strings.Contains(out, "re-produced") {
		t.Fatalf("second redrive (err %v):\n%s", err, out)
	}
	if n := highWatermarks(t, c, topics.Raw); n != 1 {
		t.Fatalf("raw topic holds %d messages after a second redrive, want still 1", n)
	}
	if out, _ := runDLQ(t, c, "list"); !strings.Contains(out, "2 dead letters: 1 redriven") {
		t.Errorf("list after a redrive:\n%s", out)
	}
}

func TestDLQCommandUsage(t *testing.T) {
	c := DefaultDLQConfig()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no action", nil, "want an action"},
		{"unknown action", []string{"purge"}, "unknown action"},
		{"show without id", []string{"show"}, "one dead letter ID"},
		{"show with a bare number", []string{"show", "12"}, "PARTITION:OFFSET"},
		{"redrive of a bad id", []string{"redrive", "x"}, "PARTITION:OFFSET"},
		{"list with an argument", []string{"list", "x"}, "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DLQCommand(context.Background(), c, tt.args, &bytes.Buffer{})
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("DLQCommand(%v) = %v, want a usage error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestDLQSpecHelpsEveryFlag(t *testing.T) {
	var stderr bytes.Buffer
	code := Command(DLQSpec(), DefaultDLQConfig(), []string{"--help"}, &bytes.Buffer{}, &stderr, DLQCommand)
	if code != ExitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, flag := range []string{"--stage", "--match", "--limit", "--execute", "--kafka-brokers"} {
		i := strings.Index(stderr.String(), flag)
		if i < 0 {
			t.Fatalf("help lacks %s:\n%s", flag, stderr.String())
		}
		line := stderr.String()[i:]
		if j := strings.Index(line, "(env"); j < 0 || strings.TrimSpace(line[len(flag):j]) == "" {
			t.Errorf("%s has no help text:\n%s", flag, stderr.String())
		}
	}
}

func highWatermarks(t *testing.T, c DLQConfig, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	infos, err := kafka.DescribeTopics(ctx, c.Kafka, topic)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, ti := range infos {
		for _, p := range ti.Partitions {
			n += p.HighWatermark
		}
	}
	return n
}
