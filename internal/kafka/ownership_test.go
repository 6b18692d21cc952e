package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// owners records which member holds which partition, and any moment two held one.
type owners struct {
	mu       sync.Mutex
	holder   map[int]string
	held     map[string][]int
	overlaps []string
	calls    map[string]int
}

func newOwners() *owners {
	return &owners{holder: map[int]string{}, held: map[string][]int{}, calls: map[string]int{}}
}

// member is fn for OwnPartitions: it holds its partitions until its context ends, then
// keeps them for drain more, as a poller finishing its writes does.
func (o *owners) member(name string, drain time.Duration) func(context.Context, []int) error {
	return func(ctx context.Context, partitions []int) error {
		o.mu.Lock()
		o.calls[name]++
		for _, p := range partitions {
			if h, ok := o.holder[p]; ok {
				o.overlaps = append(o.overlaps, fmt.Sprintf("partition %d given to %s while %s held it", p, name, h))
			}
			o.holder[p] = name
		}
		o.held[name] = partitions
		o.mu.Unlock()

		<-ctx.Done()
		time.Sleep(drain)

		o.mu.Lock()
		for _, p := range partitions {
			if o.holder[p] == name {
				delete(o.holder, p)
			}
		}
		delete(o.held, name)
		o.mu.Unlock()
		return nil
	}
}

func (o *owners) holding(name string) []int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.held[name])
}

func (o *owners) overlapsSeen() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.overlaps)
}

func testOwnership(group, topic string) OwnershipConfig {
	return OwnershipConfig{Group: group, Topic: topic, SessionTimeout: 6 * time.Second}
}

type runningMember struct {
	cancel context.CancelFunc
	done   chan error
}

func startMember(t *testing.T, b backend, oc OwnershipConfig, fn func(context.Context, []int) error) *runningMember {
	ctx, cancel := context.WithCancel(context.Background())
	m := &runningMember{cancel: cancel, done: make(chan error, 1)}
	go func() { m.done <- OwnPartitions(ctx, b.cfg, oc, testLogger(t), fn) }()
	t.Cleanup(func() {
		cancel()
		<-m.done
	})
	return m
}

func (m *runningMember) stop(t *testing.T) error {
	t.Helper()
	m.cancel()
	select {
	case err := <-m.done:
		m.done <- err // for the cleanup
		return err
	case <-time.After(60 * time.Second):
		t.Fatal("OwnPartitions did not return within 60s of cancellation")
		return nil
	}
}

func TestOwnPartitionsSharesWithoutOverlap(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const partitions = 6
		topic, group := uniqueName(t, "state"), uniqueName(t, "owners")
		createTopic(t, b, topic, partitions, nil)
		cleanupGroup(t, b, group)
		oc := testOwnership(group, topic)
		o := newOwners()
		drain := 300 * time.Millisecond // well inside StopWithin

		a := startMember(t, b, oc, o.member("a", drain))
		eventually(t, "a owns every partition", func() bool { return len(o.holding("a")) == partitions })

		bm := startMember(t, b, oc, o.member("b", drain))
		eventually(t, "a and b share the partitions", func() bool {
			ha, hb := o.holding("a"), o.holding("b")
			return len(ha) > 0 && len(hb) > 0 && len(ha)+len(hb) == partitions
		})
		all := append(o.holding("a"), o.holding("b")...)
		slices.Sort(all)
		if !slices.Equal(all, []int{0, 1, 2, 3, 4, 5}) {
			t.Errorf("partitions held by a and b: %v, want each of 0..5 once", all)
		}

		if err := bm.stop(t); err != nil {
			t.Fatalf("OwnPartitions(b) = %v after cancel, want nil", err)
		}
		if h := o.holding("b"); len(h) != 0 {
			t.Errorf("b still holds %v after OwnPartitions returned", h)
		}
		eventually(t, "a owns every partition again", func() bool { return len(o.holding("a")) == partitions })

		if err := a.stop(t); err != nil {
			t.Fatalf("OwnPartitions(a) = %v after cancel, want nil", err)
		}
		if h := o.holding("a"); len(h) != 0 {
			t.Errorf("a still holds %v after OwnPartitions returned", h)
		}
		if ov := o.overlapsSeen(); len(ov) > 0 {
			t.Errorf("partitions held twice at once:\n%s", strings.Join(ov, "\n"))
		}
	})
}

func TestOwnPartitionsMoreMembersThanPartitions(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "state"), uniqueName(t, "owners")
		createTopic(t, b, topic, 1, nil)
		cleanupGroup(t, b, group)
		oc := testOwnership(group, topic)
		o := newOwners()
		startMember(t, b, oc, o.member("a", 0))
		eventually(t, "a owns the partition", func() bool { return len(o.holding("a")) == 1 })
		startMember(t, b, oc, o.member("b", 0))
		eventually(t, "b joined a generation", func() bool {
			o.mu.Lock()
			defer o.mu.Unlock()
			return o.calls["b"] > 0
		})
		eventually(t, "one of them owns the partition", func() bool {
			return len(o.holding("a"))+len(o.holding("b")) == 1
		})
		if ov := o.overlapsSeen(); len(ov) > 0 {
			t.Errorf("partition held twice at once: %v", ov)
		}
	})
}

func TestOwnPartitionsReturnsTheMembersError(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "state"), uniqueName(t, "owners")
		createTopic(t, b, topic, 2, nil)
		cleanupGroup(t, b, group)
		broken := errors.New("state unreadable")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		err := OwnPartitions(ctx, b.cfg, testOwnership(group, topic), testLogger(t), func(context.Context, []int) error {
			return broken
		})
		if !errors.Is(err, broken) || !strings.Contains(err.Error(), topic) {
			t.Errorf("OwnPartitions = %v, want the member's error, naming the topic", err)
		}
	})
}

func TestOwnershipConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		oc   OwnershipConfig
		want string
	}{
		{"valid with defaults", OwnershipConfig{Group: "g", Topic: "t"}, ""},
		{"no group", OwnershipConfig{Topic: "t"}, "group"},
		{"no topic", OwnershipConfig{Group: "g"}, "topic"},
		{"negative session", OwnershipConfig{Group: "g", Topic: "t", SessionTimeout: -time.Second}, "negative"},
		{"heartbeat too slow", OwnershipConfig{Group: "g", Topic: "t", SessionTimeout: 6 * time.Second, HeartbeatInterval: 3 * time.Second}, "heartbeat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.oc.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
	if got := (OwnershipConfig{Group: "g", Topic: "t"}).StopWithin(); got <= 0 || got >= DefaultOwnershipSessionTimeout/2 {
		t.Errorf("StopWithin = %s, want a third of the session timeout", got)
	}
}
