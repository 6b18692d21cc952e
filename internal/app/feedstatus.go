package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
)

// statusErrorWidth clips the last error in the table; the full text is in the topic and
// in the ingest log.
const statusErrorWidth = 60

// FeedsStatus is `wirehose feeds status [FILE]`: it reads the whole feed-state topic and
// prints one line of health per feed. With a feeds file, feeds that have no state yet are
// listed as never polled, and stored feeds missing from the file are marked.
func FeedsStatus(ctx context.Context, kc kafka.Config, args []string, out io.Writer) error {
	if len(args) > 1 {
		return usageErrorf("status takes at most one feeds file, got %d arguments", len(args))
	}
	var ff *feed.FeedsFile
	if len(args) == 1 {
		f, err := feed.LoadFeeds(args[0])
		if err != nil {
			return err
		}
		ff = &f
	}
	if err := kafka.WaitReady(ctx, kc); err != nil {
		return fmt.Errorf("kafka %v: %w", kc.Brokers, err)
	}
	records, err := kafka.ReadCompactedTopic(ctx, kc, kc.Topics().FeedState)
	if err != nil {
		return err
	}
	states, err := feed.DecodeStates(records)
	var de *feed.StateDecodeError
	if err != nil && !errors.As(err, &de) {
		return err
	}
	var unreadable []string
	if de != nil {
		unreadable = de.Feeds
	}
	return writeFeedStatus(out, states, unreadable, ff, time.Now())
}

// writeFeedStatus prints the table, feeds by id, and a closing count.
func writeFeedStatus(out io.Writer, states map[string]feed.FeedState, unreadable []string, ff *feed.FeedsFile, now time.Time) error {
	inFile := map[string]bool{}
	ids := map[string]bool{}
	for id := range states {
		ids[id] = true
	}
	for _, id := range unreadable {
		ids[id] = true
	}
	if ff != nil {
		for _, f := range ff.Feeds {
			inFile[f.ID] = true
			ids[f.ID] = true
		}
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)

	bad := map[string]bool{}
	for _, id := range unreadable {
		bad[id] = true
	}
	var failing, silent, never int
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tSTATUS\tLAST SUCCESS\tNEXT POLL\tINTERVAL\tERRORS\tSILENT\tLAST ERROR")
	for _, id := range sorted {
		name := id
		if ff != nil && !inFile[id] {
			name += " (not in feeds file)"
		}
		st, ok := states[id]
		switch {
		case bad[id]:
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t%s\n", name, "stored state unreadable (written by a newer wirehose?)")
			failing++
			continue
		case !ok:
			fmt.Fprintf(tw, "%s\t-\tnever polled\t-\t-\t-\t-\t-\n", name)
			never++
			continue
		}
		s := st.Schedule
		lastErr := "-"
		if s.ConsecutiveErrors > 0 {
			failing++
			lastErr = clip(s.LastError, statusErrorWidth)
		}
		silentCol := "-"
		if s.Silent {
			silent++
			silentCol = "yes"
		}
		status := "-"
		if st.LastStatus != 0 {
			status = strconv.Itoa(st.LastStatus)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", name, status, ago(s.LastSuccess, now), until(s.NextPoll, now),
			shortDur(s.Interval), s.ConsecutiveErrors, silentCol, lastErr)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "%d feeds: %d failing, %d silent, %d never polled\n", len(sorted), failing, silent, never)
	return err
}

// ago prints how long ago t was: "3m ago", "never".
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return shortDur(now.Sub(t)) + " ago"
}

// until prints when t comes: "in 2m", "due".
func until(t, now time.Time) string {
	if t.IsZero() || !t.After(now) {
		return "due"
	}
	return "in " + shortDur(t.Sub(now))
}

// shortDur rounds a duration for a person: 45s, 12m, 3h5m, 2d4h.
func shortDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + "m"
	case d < 48*time.Hour:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return strconv.Itoa(h) + "h"
		}
		return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
	}
	d = d.Round(time.Hour)
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return strconv.Itoa(days) + "d"
	}
	return strconv.Itoa(days) + "d" + strconv.Itoa(h) + "h"
}
