package kafka

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"
)

// lagRecorder keeps the last measure of each group and topic; a nil map is kept as
// a failed measure.
type lagRecorder struct {
	mu    sync.Mutex
	lag   map[string]map[int]int64
	size  map[string]map[int]int64
	calls int
}

func newLagRecorder() *lagRecorder {
	return &lagRecorder{lag: map[string]map[int]int64{}, size: map[string]map[int]int64{}}
}

func (r *lagRecorder) ConsumerLag(group, topic string, per map[int]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lag[group+"/"+topic] = per
	r.calls++
}

func (r *lagRecorder) TopicSize(topic string, per map[int]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.size[topic] = per
}

func (r *lagRecorder) get(group, topic string) (map[int]int64, map[int]int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.lag[group+"/"+topic]
	return maps.Clone(l), maps.Clone(r.size[topic]), ok
}

func TestMonitorLag(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		missing := uniqueName(t, "missing")
		createTopic(t, b, topic, 2, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, 5)
		info := describeTopic(t, b, topic)
		want := map[int]int64{}
		var total int64
		for _, p := range info.Partitions {
			want[p.ID] = p.HighWatermark
			total += p.HighWatermark
		}
		if total != 5 {
			t.Fatalf("high watermarks %v, want 5 messages in all", want)
		}

		r := newLagRecorder()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- MonitorLag(ctx, b.cfg, LagMonitorConfig{
				Groups:   []LagTarget{{Group: group, Topic: topic}, {Group: group, Topic: missing}},
				Sizes:    []string{topic},
				Interval: 50 * time.Millisecond,
			}, r, testLogger(t))
		}()
		eventually(t, "two measures", func() bool {
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.calls >= 4
		})
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("MonitorLag = %v, want nil after cancel", err)
		}

		lag, size, _ := r.get(group, topic)
		if !maps.Equal(lag, want) {
			t.Errorf("lag of a group that never committed = %v, want the high watermarks %v", lag, want)
		}
		if !maps.Equal(size, want) {
			t.Errorf("topic size = %v, want %v", size, want)
		}
		if lag, _, ok := r.get(group, missing); !ok || lag != nil {
			t.Errorf("lag on a missing topic = %v (reported %v), want a nil measure", lag, ok)
		}
	})
}

func TestLagMonitorConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		c    LagMonitorConfig
		ok   bool
	}{
		{"empty", LagMonitorConfig{}, true},
		{"a target", LagMonitorConfig{Groups: []LagTarget{{"g", "t"}}, Sizes: []string{"dlq"}, Interval: time.Second}, true},
		{"no group", LagMonitorConfig{Groups: []LagTarget{{"", "t"}}}, false},
		{"no topic", LagMonitorConfig{Groups: []LagTarget{{"g", ""}}}, false},
		{"unnamed sized topic", LagMonitorConfig{Sizes: []string{""}}, false},
		{"negative interval", LagMonitorConfig{Interval: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
