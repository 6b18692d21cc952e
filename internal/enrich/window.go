package enrich

import (
	"container/list"
	"time"
)

// position is where a message was read. A record read again from the same position
// is a redelivery, not a repeat: its output may never have been written.
type position struct {
	topic     string
	partition int
	offset    int64
}

// known reports whether the position came from a broker; messages built without one
// (tests, replays from files) carry none.
func (p position) known() bool { return p.topic != "" }

// sighting is one story as the window sees it.
type sighting struct {
	fp       string   // content fingerprint
	headline string   // folded headline: a changed item with a new one is not a repeat
	uri      string   // story uri
	from     position // where the message was read
	changed  bool     // the feed says the item changed since it was first emitted
}

type windowEntry struct {
	fp       string
	headline string
	uri      string // the first uri seen with fp
	from     position
	at       time.Time
}

// window remembers fingerprints seen in the last d, at most max of them, to drop
// exact repeats. It holds no goroutines and reads no clock: callers pass now. It is
// not safe for concurrent use.
type window struct {
	d     time.Duration
	max   int
	byFP  map[string]*list.Element
	order *list.List // of *windowEntry, oldest first
}

// newWindow returns a window over d holding at most max fingerprints (at least one).
func newWindow(d time.Duration, max int) *window {
	if max < 1 {
		max = 1
	}
	return &window{d: d, max: max, byFP: make(map[string]*list.Element), order: list.New()}
}

// seen records s at now and reports whether it repeats content first seen within d
// before now, and the uri that content was first seen under. Not a repeat:
//   - a fingerprint not in the window (it is remembered from now on);
//   - a redelivery of the message that first had the fingerprint;
//   - a changed item whose headline differs from the one remembered (a headline
//     correction), which then becomes the remembered headline.
//
// Entries older than d are evicted, then the oldest beyond max.
func (w *window) seen(s sighting, now time.Time) (first string, repeat bool) {
	w.evictOlder(now)
	if el, ok := w.byFP[s.fp]; ok {
		e := el.Value.(*windowEntry)
		switch {
		case now.Sub(e.at) >= w.d:
			// Expired but not yet evicted: entries behind a newer one when the clock
			// stepped back. Forget it and remember this sighting instead.
			w.remove(el)
		case e.from.known() && e.from == s.from:
			return e.uri, false
		case s.changed && e.headline != s.headline:
			e.headline, e.from = s.headline, s.from
			return e.uri, false
		default:
			return e.uri, true
		}
	}
	w.byFP[s.fp] = w.order.PushBack(&windowEntry{fp: s.fp, headline: s.headline, uri: s.uri, from: s.from, at: now})
	for w.order.Len() > w.max {
		w.remove(w.order.Front())
	}
	return s.uri, false
}

// len returns the number of fingerprints remembered.
func (w *window) len() int { return w.order.Len() }

func (w *window) evictOlder(now time.Time) {
	for el := w.order.Front(); el != nil; el = w.order.Front() {
		if now.Sub(el.Value.(*windowEntry).at) < w.d {
			return
		}
		w.remove(el)
	}
}

func (w *window) remove(el *list.Element) {
	delete(w.byFP, el.Value.(*windowEntry).fp)
	w.order.Remove(el)
}
