package feed

import (
	"time"

	"go.uber.org/zap/zapcore"
)

// FeedResult is the outcome of one poll of one feed.
type FeedResult struct {
	Feed        string
	Status      int // HTTP status; 0 when there was no answer
	Items       int // items in the fetched document
	New         int // emitted as new
	Changed     int // emitted as changed
	NotModified bool
	Bytes       int64 // body bytes fetched, after decompression
	ParseError  bool  // the document could not be parsed, wholly or in part
	Err         error
	Took        time.Duration
	// ConsecutiveErrors counts failed polls in a row, this one included.
	ConsecutiveErrors int
	// NextPoll is when the feed's schedule wants it polled again; zero when the poll
	// was cut short or not made.
	NextPoll time.Time
}

// PollResult is one pass over every feed, in feeds file order.
type PollResult struct {
	Feeds []FeedResult
}

// PollTotals sums a PollResult.
type PollTotals struct {
	Feeds, Items, New, Changed, NotModified, Failed int
}

// Totals sums the per-feed counts.
func (r PollResult) Totals() PollTotals {
	t := PollTotals{Feeds: len(r.Feeds)}
	for _, f := range r.Feeds {
		t.Items += f.Items
		t.New += f.New
		t.Changed += f.Changed
		if f.NotModified {
			t.NotModified++
		}
		if f.Err != nil {
			t.Failed++
		}
	}
	return t
}

// MarshalLogObject lets zap.Any log a pass as totals plus one entry per feed,
// with errors as text (reflection would print them as {}).
func (r PollResult) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	t := r.Totals()
	enc.AddInt("feeds", t.Feeds)
	enc.AddInt("items", t.Items)
	enc.AddInt("new", t.New)
	enc.AddInt("changed", t.Changed)
	enc.AddInt("not_modified", t.NotModified)
	enc.AddInt("failed", t.Failed)
	return enc.AddArray("per_feed", zapcore.ArrayMarshalerFunc(func(ae zapcore.ArrayEncoder) error {
		for _, f := range r.Feeds {
			if err := ae.AppendObject(f); err != nil {
				return err
			}
		}
		return nil
	}))
}

// MarshalLogObject logs one feed's outcome with snake_case keys.
func (f FeedResult) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("feed", f.Feed)
	enc.AddInt("status", f.Status)
	enc.AddInt("items", f.Items)
	enc.AddInt("new", f.New)
	enc.AddInt("changed", f.Changed)
	enc.AddBool("not_modified", f.NotModified)
	enc.AddDuration("took", f.Took)
	if !f.NextPoll.IsZero() {
		enc.AddTime("next_poll", f.NextPoll)
	}
	if f.Err != nil {
		enc.AddString("error", f.Err.Error())
		enc.AddInt("consecutive_errors", f.ConsecutiveErrors)
	}
	return nil
}
