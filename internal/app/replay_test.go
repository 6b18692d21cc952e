package app

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestReplayFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no target", []string{"--group", "g", "--topic", "t"}, "a target is required"},
		{"two targets", []string{"--group", "g", "--topic", "t", "--to-earliest", "--shift-by", "-5"}, "only one target"},
		{"bad datetime", []string{"--group", "g", "--topic", "t", "--to-datetime", "yesterday"}, "RFC 3339"},
		{"bad offset", []string{"--group", "g", "--topic", "t", "--to-offset", "-1"}, "to_offset"},
		{"bad partitions", []string{"--group", "g", "--topic", "t", "--to-latest", "--partitions", "0,x"}, "partitions"},
		{"no group", []string{"--topic", "t", "--to-latest"}, "group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Command(ReplaySpec(), DefaultReplayConfig(), tt.args, &stdout, &stderr, ReplayCommand)
			if code != ExitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), ExitUsage, tt.want)
			}
		})
	}
}

func TestReplayDryRunAndExecute(t *testing.T) {
	kc, _ := rawBroker(t, 30)
	raw := kc.Topics().Raw
	args := []string{"--brokers", strings.Join(kc.Brokers, ","), "--group", "wirehose-enrich", "--topic", raw, "--to-earliest"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kafka.ResetOffsets(ctx, kc, kafka.OffsetReset{Group: "wirehose-enrich", Topic: raw, Target: kafka.ResetTarget{Kind: kafka.ToLatest}}); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := Command(ReplaySpec(), DefaultReplayConfig(), args, &stdout, &stderr, ReplayCommand); code != ExitOK {
		t.Fatalf("dry run exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "dry run") || !strings.Contains(stdout.String(), "TOTAL") {
		t.Errorf("dry run output:\n%s", stdout.String())
	}
	// The total line: 30 to read, 30 re-read.
	if !regexp.MustCompile(`TOTAL\s+30\s+30\n`).MatchString(stdout.String()) {
		t.Errorf("dry run total is not 30 to read and 30 re-read:\n%s", stdout.String())
	}
	if lag, _, err := kafka.GroupLag(ctx, kc, "wirehose-enrich", raw); err != nil || lag != 0 {
		t.Errorf("lag after a dry run = %d, %v; want 0 (nothing changed)", lag, err)
	}

	stdout.Reset()
	if code := Command(ReplaySpec(), DefaultReplayConfig(), append(args, "--execute"), &stdout, &stderr, ReplayCommand); code != ExitOK {
		t.Fatalf("execute exit %d: %s", code, stderr.String())
	}
	if lag, _, err := kafka.GroupLag(ctx, kc, "wirehose-enrich", raw); err != nil || lag != 30 {
		t.Errorf("lag after --execute to-earliest = %d, %v; want 30\n%s", lag, err, stdout.String())
	}
	t.Log("\n" + stdout.String())
	if strings.Contains(stdout.String(), "warning") {
		t.Errorf("a warning with no live members:\n%s", stdout.String())
	}

	// With a live member, the dry run warns and --execute is refused.
	cc := kafka.ConsumerConfig{Group: "wirehose-enrich", Topic: raw, Stage: "test", SessionTimeout: 6 * time.Second, HeartbeatInterval: time.Second}
	member := kafka.NewConsumer[struct{}](kc, cc, idleProcessor{}, kafka.NewDLQ(kafka.NewProducer(kc, nil), kc.Topics().DLQ), nil)
	mctx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- member.Run(mctx) }()
	defer func() { stop(); <-stopped }()
	for !member.Ready() && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	stdout.Reset()
	if code := Command(ReplaySpec(), DefaultReplayConfig(), args, &stdout, &stderr, ReplayCommand); code != ExitOK {
		t.Fatalf("dry run with a live member: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "warning: --execute would be refused now") {
		t.Errorf("dry run with a live member does not warn:\n%s", stdout.String())
	}
	stderr.Reset()
	if code := Command(ReplaySpec(), DefaultReplayConfig(), append(args, "--execute"), &stdout, &stderr, ReplayCommand); code != ExitFailed || !strings.Contains(stderr.String(), "stop the workers first") {
		t.Errorf("--execute with a live member: exit %d, %s; want exit 1 asking to stop the workers", code, stderr.String())
	}
}

// idleProcessor consumes nothing of interest: it only keeps a member in the group.
type idleProcessor struct{}

func (idleProcessor) Process(context.Context, pipeline.Message) ([]struct{}, error) { return nil, nil }
func (idleProcessor) Flush(context.Context, []struct{}) error                       { return nil }
