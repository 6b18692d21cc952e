package kafka

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestParseDeadLetterID(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		partition int
		offset    int64
		ok        bool
	}{
		{"partition and offset", "3:17", 3, 17, true},
		{"spaces around", " 0:0 ", 0, 0, true},
		{"bare number", "17", 0, 0, false},
		{"negative offset", "1:-2", 0, 0, false},
		{"not numbers", "a:b", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, o, err := ParseDeadLetterID(tt.in)
			if (err == nil) != tt.ok || p != tt.partition || o != tt.offset {
				t.Fatalf("ParseDeadLetterID(%q) = %d, %d, %v; want %d, %d, ok=%v", tt.in, p, o, err, tt.partition, tt.offset, tt.ok)
			}
			if tt.ok && DeadLetterID(p, o) != strings.TrimSpace(tt.in) {
				t.Errorf("DeadLetterID(%d, %d) = %q, want %q", p, o, DeadLetterID(p, o), tt.in)
			}
		})
	}
}

func TestRedriveMessage(t *testing.T) {
	failed := pipeline.Message{Partition: 1, Offset: 4, Key: []byte("k"), Value: []byte("v"), Headers: []pipeline.Header{
		{Key: "trace-id", Value: []byte("t1")},
		{Key: HeaderError, Value: []byte("boom")},
		{Key: HeaderStage, Value: []byte("enrich")},
		{Key: HeaderTopic, Value: []byte("wire.raw")},
		{Key: HeaderPartition, Value: []byte("2")},
		{Key: HeaderOffset, Value: []byte("9")},
		{Key: HeaderAttempts, Value: []byte("3")},
		{Key: HeaderRedrives, Value: []byte("2")},
	}}
	tests := []struct {
		name    string
		mutate  func(*DeadLetter)
		wantErr string
	}{
		{"redrivable", func(*DeadLetter) {}, ""},
		{"no original topic", func(d *DeadLetter) { d.Topic = "" }, "original topic is unknown"},
		{"value omitted", func(d *DeadLetter) { d.ValueOmitted = 7000; d.Value = nil }, "still at wire.raw partition 2 offset 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decodeDeadLetter(failed)
			tt.mutate(&d)
			m, err := d.RedriveMessage()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("RedriveMessage error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h := map[string]string{}
			for _, x := range m.Headers {
				h[x.Key] = string(x.Value)
			}
			if m.Topic != "wire.raw" || string(m.Key) != "k" || string(m.Value) != "v" {
				t.Errorf("redrive message %s %q=%q, want wire.raw k=v", m.Topic, m.Key, m.Value)
			}
			if len(h) != 2 || h["trace-id"] != "t1" || h[HeaderRedrives] != "3" {
				t.Errorf("redrive headers %v, want trace-id and %s=3 only", h, HeaderRedrives)
			}
		})
	}
}

func TestRedriveRoundTrip(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		orig := uniqueName(t, "raw")
		dlq := uniqueName(t, "dlq")
		createTopic(t, b, orig, 2, nil)
		createTopic(t, b, dlq, 2, map[string]string{"retention.ms": "86400000"})
		cleanupTopics(t, b, RedrivenTopic(dlq))
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		p := NewProducer(b.cfg, testLogger(t))
		defer p.Close()
		d := NewDLQ(p, dlq)

		// Two messages fail in a stage; a third is in the DLQ without its value.
		poison := pipeline.Message{Topic: orig, Partition: 1, Offset: 7, Key: []byte("story-a"), Value: []byte("not an envelope"),
			Headers: []pipeline.Header{{Key: "trace-id", Value: []byte("t-a")}}}
		if err := d.Send(ctx, "enrich", poison, 3, errors.New("decode envelope: invalid character")); err != nil {
			t.Fatal(err)
		}
		other := pipeline.Message{Topic: orig, Partition: 0, Offset: 2, Key: []byte("story-b"), Value: []byte("{}")}
		if err := d.Send(ctx, "sink", other, 1, errors.New("story without uri")); err != nil {
			t.Fatal(err)
		}
		omitted := pipeline.Message{Topic: dlq, Key: []byte("story-c"), Headers: []pipeline.Header{
			{Key: HeaderTopic, Value: []byte(orig)}, {Key: HeaderStage, Value: []byte("enrich")}, {Key: HeaderValueOmitted, Value: []byte("9000")}}}
		if err := p.Write(ctx, omitted); err != nil {
			t.Fatal(err)
		}

		letters, err := ReadDeadLetters(ctx, b.cfg, dlq)
		if err != nil {
			t.Fatalf("ReadDeadLetters: %v", err)
		}
		if len(letters) != 3 {
			t.Fatalf("read %d dead letters, want 3", len(letters))
		}
		byKey := map[string]DeadLetter{}
		for _, l := range letters {
			byKey[string(l.Key)] = l
		}
		a := byKey["story-a"]
		if a.Stage != "enrich" || a.Topic != orig || a.SourcePartition != 1 || a.SourceOffset != 7 || a.Attempts != 3 ||
			!strings.Contains(a.Error, "invalid character") || a.FailedAt.IsZero() || a.Redrives != 0 || a.Redriven != nil {
			t.Errorf("dead letter story-a decoded as %+v", a)
		}
		if got, err := ReadDeadLetters(ctx, b.cfg, dlq); err != nil || len(got) != 3 || got[0].ID() != letters[0].ID() {
			t.Errorf("a second read gave %d letters (err %v), want the same 3 in the same order", len(got), err)
		}

		// The letter without its value cannot be redriven, and stops the whole redrive.
		if n, err := Redrive(ctx, b.cfg, dlq, letters, testLogger(t)); err == nil || n != 0 {
			t.Fatalf("Redrive with a value-less letter = %d, %v; want 0 and an error", n, err)
		}
		n, err := Redrive(ctx, b.cfg, dlq, []DeadLetter{a}, testLogger(t))
		if err != nil || n != 1 {
			t.Fatalf("Redrive = %d, %v; want 1", n, err)
		}

		var back []pipeline.Message
		if err := ReadTopic(ctx, b.cfg, orig, func(m pipeline.Message) error { back = append(back, m); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(back) != 1 {
			t.Fatalf("original topic holds %d messages after the redrive, want 1", len(back))
		}
		r := back[0]
		h := map[string]string{}
		for _, x := range r.Headers {
			h[x.Key] = string(x.Value)
		}
		if string(r.Key) != "story-a" || string(r.Value) != "not an envelope" || h["trace-id"] != "t-a" || h[HeaderRedrives] != "1" || h[HeaderError] != "" {
			t.Errorf("redriven message %q=%q headers %v; want the original key, value and trace-id, %s=1, no failure headers",
				r.Key, r.Value, h, HeaderRedrives)
		}
		if want := PartitionOf([]byte("story-a"), 2); r.Partition != want {
			t.Errorf("redriven to partition %d, want %d, where its key belongs", r.Partition, want)
		}

		// It fails again: back in the DLQ, with its redrive count.
		if err := d.Send(ctx, "enrich", r, 3, errors.New("decode envelope: invalid character")); err != nil {
			t.Fatal(err)
		}
		letters, err = ReadDeadLetters(ctx, b.cfg, dlq)
		if err != nil {
			t.Fatal(err)
		}
		if len(letters) != 4 {
			t.Fatalf("read %d dead letters, want 4", len(letters))
		}
		var again []DeadLetter
		for _, l := range letters {
			if string(l.Key) != "story-a" {
				continue
			}
			again = append(again, l)
		}
		if len(again) != 2 || again[0].Redriven == nil || again[0].Redriven.Redrives != 1 || again[1].Redriven != nil || again[1].Redrives != 1 {
			t.Fatalf("story-a letters %+v; want the first marked redriven, the second unmarked with 1 redrive", again)
		}

		// A redrive of everything redrivable sends only the letter not sent before.
		var redrivable []DeadLetter
		for _, l := range letters {
			if l.ValueOmitted == 0 {
				redrivable = append(redrivable, l)
			}
		}
		n, err = Redrive(ctx, b.cfg, dlq, redrivable, testLogger(t))
		if err != nil || n != 2 {
			t.Fatalf("second Redrive = %d, %v; want 2 (story-a's new letter and story-b)", n, err)
		}
		back = back[:0]
		if err := ReadTopic(ctx, b.cfg, orig, func(m pipeline.Message) error { back = append(back, m); return nil }); err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, m := range back {
			for _, x := range m.Headers {
				if x.Key == HeaderRedrives {
					counts[string(m.Key)+"="+string(x.Value)]++
				}
			}
		}
		if len(back) != 3 || counts["story-a=1"] != 1 || counts["story-a=2"] != 1 || counts["story-b=1"] != 1 {
			t.Errorf("original topic redrives %v over %d messages, want story-a=1, story-a=2, story-b=1", counts, len(back))
		}
	})
}
