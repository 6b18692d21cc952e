package obs

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
)

func TestConsumerLagReplacedAndDropped(t *testing.T) {
	m := NewMetrics()
	m.ConsumerLag("wirehose-enrich", "wire.raw", map[int]int64{0: 5, 1: 7})
	m.ConsumerLag("wirehose-sink", "wire.stories", map[int]int64{0: 2})
	if got := mustValue(t, m, "wirehose_consumer_lag", "group", "wirehose-enrich", "partition", "1"); got != 7 {
		t.Errorf("lag of partition 1 = %g, want 7", got)
	}
	// A new measure replaces the old one whole: partition 1 is gone.
	m.ConsumerLag("wirehose-enrich", "wire.raw", map[int]int64{0: 1})
	if _, ok := value(t, m, "wirehose_consumer_lag", "group", "wirehose-enrich", "partition", "1"); ok {
		t.Error("a partition missing from the last measure is still exported")
	}
	if got := mustValue(t, m, "wirehose_consumer_lag", "group", "wirehose-enrich", "partition", "0"); got != 1 {
		t.Errorf("lag of partition 0 = %g, want 1", got)
	}
	// A failed measure drops the group's series, not the others'.
	m.ConsumerLag("wirehose-enrich", "wire.raw", nil)
	if _, ok := value(t, m, "wirehose_consumer_lag", "group", "wirehose-enrich"); ok {
		t.Error("a failed measure left the group's lag exported")
	}
	if got := mustValue(t, m, "wirehose_consumer_lag", "group", "wirehose-sink", "topic", "wire.stories", "partition", "0"); got != 2 {
		t.Errorf("other group's lag = %g, want 2", got)
	}

	m.TopicSize("wire.dlq", map[int]int64{0: 3})
	if got := mustValue(t, m, "wirehose_dlq_retained_messages", "topic", "wire.dlq", "partition", "0"); got != 3 {
		t.Errorf("dlq size = %g, want 3", got)
	}
	m.TopicSize("wire.dlq", nil)
	if _, ok := value(t, m, "wirehose_dlq_retained_messages"); ok {
		t.Error("a failed size measure left the size exported")
	}
}

func TestReadyEvaluatedAtScrape(t *testing.T) {
	m := NewMetrics()
	var ready atomic.Bool
	m.WatchReady(map[string]Check{"consumer": ready.Load, "poller": func() bool { return true }})
	if got := mustValue(t, m, "wirehose_ready", "component", "consumer"); got != 0 {
		t.Errorf("ready before = %g, want 0", got)
	}
	ready.Store(true)
	if got := mustValue(t, m, "wirehose_ready", "component", "consumer"); got != 1 {
		t.Errorf("ready after = %g, want 1", got)
	}
	if got := mustValue(t, m, "wirehose_ready", "component", "poller"); got != 1 {
		t.Errorf("poller ready = %g, want 1", got)
	}
}

func TestEnrichDecisionsAndLatency(t *testing.T) {
	m := NewMetrics()
	m.StoryVersion("new")
	m.StoryVersion("new")
	m.StoryVersion("kill")
	m.StoryAppearance("duplicate")
	m.StoryAppearance("near_duplicate")
	m.StoryAppearance("near_duplicate")
	m.RepeatDropped()
	tests := []struct {
		name      string
		got, want float64
	}{
		{"new versions", mustValue(t, m, "wirehose_enrich_versions_total", "verdict", "new"), 2},
		{"kills", mustValue(t, m, "wirehose_enrich_versions_total", "verdict", "kill"), 1},
		{"duplicates", mustValue(t, m, "wirehose_enrich_duplicates_total", "relation", "duplicate"), 1},
		{"near duplicates", mustValue(t, m, "wirehose_enrich_duplicates_total", "relation", "near_duplicate"), 2},
		{"repeats", mustValue(t, m, "wirehose_enrich_repeats_total"), 1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %g, want %g", tt.name, tt.got, tt.want)
		}
	}

	m.Stored("story", 3*time.Second)
	m.Stored("story", -time.Second) // a clock behind the fetcher's counts as zero
	m.Stored("appearance", time.Hour)
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	sums := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "wirehose_end_to_end_seconds" {
			continue
		}
		for _, s := range mf.GetMetric() {
			kind := s.GetLabel()[0].GetValue()
			counts[kind] = s.GetHistogram().GetSampleCount()
			sums[kind] = s.GetHistogram().GetSampleSum()
		}
	}
	if counts["story"] != 2 || sums["story"] != 3 || counts["appearance"] != 1 || sums["appearance"] != 3600 {
		t.Errorf("end-to-end counts %v sums %v, want story 2 / 3s and appearance 1 / 3600s", counts, sums)
	}
}

func TestAllMetricNamesLint(t *testing.T) {
	names := registeredNames(t)
	m := NewMetrics()
	m.Stored("story", time.Second)
	m.ConsumerLag("g", "t", map[int]int64{0: 1})
	m.TopicSize("d", map[int]int64{0: 1})
	m.WatchReady(map[string]Check{"c": func() bool { return true }})
	m.StoryVersion("new")
	m.StoryAppearance("duplicate")
	m.RepeatDropped()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "wirehose_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
	for _, n := range []string{"wirehose_end_to_end_seconds_bucket", "wirehose_consumer_lag", "wirehose_ready",
		"wirehose_enrich_versions_total", "wirehose_enrich_duplicates_total", "wirehose_enrich_repeats_total",
		"wirehose_dlq_retained_messages", "wirehose_messages_in_total", "wirehose_processing_seconds_bucket"} {
		if !names[n] {
			t.Errorf("%s not registered", n)
		}
	}
}
