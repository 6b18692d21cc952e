package enrich

import (
	"testing"
	"time"
)

func TestWindowSeen(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	p1 := position{topic: "wire.raw", partition: 0, offset: 10}
	p2 := position{topic: "wire.raw", partition: 0, offset: 11}
	p3 := position{topic: "wire.raw", partition: 1, offset: 10}

	type step struct {
		s          sighting
		at         time.Time
		wantRepeat bool
		wantFirst  string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first sighting", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
		}},
		{"same uri again", []step{
			{sighting{fp: "a", uri: "u1", from: p1}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u1", from: p2}, at(time.Minute), true, "u1"},
		}},
		{"another uri inside the window", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u2"}, at(time.Hour), true, "u1"},
		}},
		{"other fingerprint", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "b", uri: "u1"}, at(time.Second), false, "u1"},
		}},
		{"just inside the window", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u2"}, at(24*time.Hour - time.Nanosecond), true, "u1"},
		}},
		{"window over: remembered afresh", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u2"}, at(24 * time.Hour), false, "u2"},
			{sighting{fp: "a", uri: "u3"}, at(25 * time.Hour), true, "u2"},
		}},
		{"first seen time is kept, not refreshed by repeats", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u1"}, at(20 * time.Hour), true, "u1"},
			{sighting{fp: "a", uri: "u1"}, at(24 * time.Hour), false, "u1"},
		}},
		{"redelivery from the same position is not a repeat", []step{
			{sighting{fp: "a", uri: "u1", from: p1}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u1", from: p1}, at(time.Minute), false, "u1"},
			{sighting{fp: "a", uri: "u1", from: p3}, at(time.Minute), true, "u1"},
		}},
		{"unknown positions are never redeliveries", []step{
			{sighting{fp: "a", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", uri: "u1"}, at(time.Minute), true, "u1"},
		}},
		{"changed item with the same headline is a repeat", []step{
			{sighting{fp: "a", headline: "h", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", headline: "h", uri: "u1", changed: true}, at(time.Minute), true, "u1"},
		}},
		{"changed item with a corrected headline is not", []step{
			{sighting{fp: "a", headline: "h", uri: "u1", from: p1}, at(0), false, "u1"},
			{sighting{fp: "a", headline: "h2", uri: "u1", from: p2, changed: true}, at(time.Minute), false, "u1"},
			{sighting{fp: "a", headline: "h2", uri: "u1", changed: true}, at(2 * time.Minute), true, "u1"},
			{sighting{fp: "a", headline: "h2", uri: "u1", from: p2, changed: true}, at(3 * time.Minute), false, "u1"},
		}},
		{"unchanged item with another headline is a repeat", []step{
			{sighting{fp: "a", headline: "h", uri: "u1"}, at(0), false, "u1"},
			{sighting{fp: "a", headline: "other", uri: "u2"}, at(time.Minute), true, "u1"},
		}},
		{"clock stepped back: still a repeat", []step{
			{sighting{fp: "a", uri: "u1"}, at(time.Hour), false, "u1"},
			{sighting{fp: "a", uri: "u2"}, at(0), true, "u1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWindow(24*time.Hour, 10)
			for i, st := range tt.steps {
				first, repeat := w.seen(st.s, st.at)
				if repeat != st.wantRepeat || first != st.wantFirst {
					t.Errorf("step %d: seen(%+v) = (%q, %v), want (%q, %v)", i, st.s, first, repeat, st.wantFirst, st.wantRepeat)
				}
			}
		})
	}
}

func TestWindowEvictsOldEntries(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	w := newWindow(time.Hour, 100)
	for i, fp := range []string{"a", "b", "c"} {
		w.seen(sighting{fp: fp, uri: fp}, t0.Add(time.Duration(i)*20*time.Minute))
	}
	if got := w.len(); got != 3 {
		t.Fatalf("len = %d, want 3", got)
	}
	// At 70m, "a" (0m) is over an hour old and goes; "b" (20m) and "c" (40m) stay.
	if _, repeat := w.seen(sighting{fp: "d", uri: "d"}, t0.Add(70*time.Minute)); repeat {
		t.Fatal("new fingerprint reported as a repeat")
	}
	if got := w.len(); got != 3 {
		t.Errorf("len after eviction = %d, want 3 (b, c, d)", got)
	}
	if _, repeat := w.seen(sighting{fp: "b", uri: "x"}, t0.Add(70*time.Minute)); !repeat {
		t.Error("b evicted too early")
	}
	if _, ok := w.byFP["a"]; ok {
		t.Error("a not evicted after the window")
	}
}

func TestWindowEvictsBeyondMax(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	w := newWindow(24*time.Hour, 2)
	for i, fp := range []string{"a", "b", "c"} {
		w.seen(sighting{fp: fp, uri: fp}, t0.Add(time.Duration(i)*time.Second))
	}
	if got := w.len(); got != 2 {
		t.Fatalf("len = %d, want max 2", got)
	}
	// The oldest ("a") went first, so it is new again; "c" is still remembered.
	if _, repeat := w.seen(sighting{fp: "c", uri: "x"}, t0.Add(time.Minute)); !repeat {
		t.Error("c forgotten, want it remembered")
	}
	if _, repeat := w.seen(sighting{fp: "a", uri: "x"}, t0.Add(time.Minute)); repeat {
		t.Error("a still remembered beyond max, want it evicted first")
	}
	if got := w.len(); got != 2 {
		t.Errorf("len = %d, want 2", got)
	}
}

func TestNewWindowMaxAtLeastOne(t *testing.T) {
	w := newWindow(time.Hour, 0)
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	w.seen(sighting{fp: "a", uri: "a"}, t0)
	if _, repeat := w.seen(sighting{fp: "a", uri: "b"}, t0); !repeat {
		t.Error("a window with max 0 remembered nothing, want at least one entry")
	}
}
