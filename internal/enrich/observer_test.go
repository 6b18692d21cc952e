package enrich

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// decisions records what the stage reported, one line per decision.
type decisions struct{ got []string }

func (d *decisions) StoryVersion(verdict string)          { d.got = append(d.got, "version "+verdict) }
func (d *decisions) StoryAppearance(relation string)      { d.got = append(d.got, "appearance "+relation) }
func (d *decisions) RepeatDropped()                       { d.got = append(d.got, "repeat") }
func (d *decisions) Enriched(string, time.Duration, bool) {}

func TestObserverSeesEveryDecision(t *testing.T) {
	s, now := newTestStage(t, &fakeWriter{}, nil)
	d := &decisions{}
	s.SetObserver(d)
	steps := []func(*pipeline.RawItem){
		sameItem, sameItem, agencyUpdate, partnerCopy, partnerRewrite, agencyCorrection, agencyKill,
	}
	for i, edit := range steps {
		*now = now.Add(time.Minute)
		item := wireItem(t)
		edit(&item)
		if _, err := s.Process(context.Background(), rawMessage(t, item, int64(i+1))); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	want := []string{
		"version " + pipeline.VerdictNew,
		"repeat",
		"version " + pipeline.VerdictUpdate,
		"appearance " + pipeline.RelationDuplicate,
		"appearance " + pipeline.RelationNearDuplicate,
		"version " + pipeline.VerdictCorrection,
		"version " + pipeline.VerdictKill,
	}
	if !reflect.DeepEqual(d.got, want) {
		t.Errorf("decisions = %q, want %q", d.got, want)
	}

	// The counts agree with the stage's own.
	_, stories, appearances, repeats := s.Stats()
	counts := map[string]int64{}
	for _, g := range d.got {
		switch {
		case g == "repeat":
			counts["repeat"]++
		case g[:7] == "version":
			counts["version"]++
		default:
			counts["appearance"]++
		}
	}
	if got := fmt.Sprint(counts["version"], counts["appearance"], counts["repeat"]); got != fmt.Sprint(stories, appearances, repeats) {
		t.Errorf("observed versions, appearances, repeats = %s, stage stats %d %d %d", got, stories, appearances, repeats)
	}
}

func TestObserverNotCalledForFailures(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	d := &decisions{}
	s.SetObserver(d)
	empty := pipeline.RawItem{Feed: "partner-news", GUID: "g-empty", Fetched: testFetched}
	if _, err := s.Process(context.Background(), rawMessage(t, empty, 1)); err == nil {
		t.Fatal("Process of an empty item succeeded, want an error")
	}
	bad := pipeline.Message{Topic: "wire.raw", Offset: 2, Value: []byte("{not json")}
	if _, err := s.Process(context.Background(), bad); err == nil {
		t.Fatal("Process of an undecodable message succeeded, want an error")
	}
	if len(d.got) != 0 {
		t.Errorf("decisions reported for failed messages: %q", d.got)
	}
}

func TestNilObserverIsNoOp(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	s.SetObserver(nil)
	item := wireItem(t)
	processOne(t, s, rawMessage(t, item, 1))
	if _, stories, _, _ := s.Stats(); stories != 1 {
		t.Errorf("stories = %d, want 1", stories)
	}
}
