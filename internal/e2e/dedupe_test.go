package e2e

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// The corpus of the dedupe test: one agency feed and three partner outlets, served on
// loopback, changing in phases. The texts are in testdata/dedupe, one story a file:
// the headline, a blank line, then paragraphs separated by blank lines.
//
//	agency (Meridian Press)      harbour v1..v4 (new, update, CORRECTION:, KILL:),
//	                             grid, rail, bank-rates, bank-payments
//	coastal-herald (partner)     harbour v1 and grid republished with the outlet's
//	                             footer ("Read more" line, copyright) and the agency's
//	                             credit line: exact duplicates; grid-windfarm, its own
//	                             story on grid's company
//	harbourline (partner)        grid republished word for word in other markup and
//	                             typography: an exact duplicate; rail lightly rewritten
//	                             under a byline and a date line: a near duplicate
//	tidewater-gazette (partner)  grid republished under the outlet's copyright line
//	                             and the agency's credit: an exact duplicate
//
// Where the items land on the raw topic is chosen (through their guids, see guidOn):
// the copies of harbour and rail sit on their original's partition, the three copies of
// grid on one partition each, so grid has a copy on every partition. Two enrich workers
// share the raw topic's partitions, so whenever both hold some, at least one copy of grid
// is decided by the worker that does not read grid's partition and knows grid only
// through the dedupe topic it tails.
//
// The bank stories (same central bank, same governor, same day) and grid and
// grid-windfarm (same operator, same chief executive, same coast) are different stories
// sharing their entities and topic: they must stay apart.
const (
	agencyFeed      = "meridian-wire"
	coastalFeed     = "coastal-herald"
	harbourlineFeed = "harbourline"
	tidewaterFeed   = "tidewater-gazette"

	// dedupePartitions is the raw topic's partition count in these tests (env.vars).
	dedupePartitions = 3
)

// Phases of the feeds: each is served once the previous one is stored, so every
// original is decided before its copies and every version before the next.
const (
	phaseOriginals = iota + 1
	phaseCopies
	phaseUpdate
	phaseCorrection
	phaseKill
)

var phaseNames = [...]string{phaseOriginals: "originals", phaseCopies: "copies", phaseUpdate: "update",
	phaseCorrection: "correction", phaseKill: "kill"}

type wireStory struct {
	headline string
	paras    []string
}

func loadStory(t *testing.T, name string) wireStory {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "dedupe", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(strings.TrimSpace(string(b)), "\n\n")
	if len(blocks) < 2 {
		t.Fatalf("%s: want a headline and at least one paragraph", name)
	}
	return wireStory{headline: strings.TrimSpace(blocks[0]), paras: blocks[1:]}
}

// feedItem is one RSS item as served.
type feedItem struct {
	guid, link, title string
	published         time.Time
	paras             []string // the body's paragraphs
	// html, when set, is the body as served; else each paragraph is a <p>.
	html string
}

// wrapper is how a partner frames a republished agency story: lines before and after it.
type wrapper struct {
	before, after []string
}

var (
	// The outlet's footer and the agency's credit line.
	coastalWrap = wrapper{after: []string{
		"(Meridian Press)",
		"Read more: Coastal Herald's coverage of the western coast",
		"© 2026 Coastal Herald. All rights reserved.",
	}}
	// A byline and a date line above a rewrite, a teaser and the credit below.
	harbourlineWrap = wrapper{
		before: []string{"By Harbourline staff", "Published 12 March 2026, 11:40"},
		after:  []string{"Related: Harbourline transport pages", "— Meridian Press"},
	}
	// The agency's credit and the outlet's copyright line below a pickup.
	tidewaterWrap = wrapper{after: []string{
		"— Meridian Press",
		"© 2026 Tidewater Gazette",
	}}
)

func (w wrapper) wrap(paras []string) []string {
	out := append([]string(nil), w.before...)
	out = append(out, paras...)
	return append(out, w.after...)
}

// restyled is a story's text in another outlet's markup and typography: a wrapping div,
// the opening words in bold, curly quotes and apostrophes, a non-breaking space.
func restyled(paras []string) string {
	curly := strings.NewReplacer("'", "\u2019", " crowns", "\u00a0crowns")
	var b strings.Builder
	b.WriteString(`<div class="article-body">`)
	for i, p := range paras {
		p = htmlEsc(p)
		if i == 0 {
			first, rest, _ := strings.Cut(p, ",")
			p = "<strong>" + first + "</strong>," + rest
		}
		// Opening and closing quotes alternate within a paragraph.
		for open := true; strings.Contains(p, `"`); open = !open {
			q := "\u201d"
			if open {
				q = "\u201c"
			}
			p = strings.Replace(p, `"`, q, 1)
		}
		b.WriteString("\n  <p>" + curly.Replace(p) + "</p>")
	}
	b.WriteString("\n</div>")
	return b.String()
}

// dedupeCorpus holds every item of every phase, and what the store must end with.
type dedupeCorpus struct {
	phase atomic.Int32
	feeds map[string]func(phase int) []feedItem
	// the agency's stories as first published, by corpus name ("harbour", "grid", ...)
	agency map[string]feedItem
	copies []copyOf // partner items that are copies, with their originals
	own    feedItem // the partner's own story
	// spread is the agency story (corpus name) with a copy on every raw partition
	spread string
	// the harbour story's versions, oldest first
	harbour []feedItem
}

// copyOf is a partner item and the agency story it copies.
type copyOf struct {
	feed     string
	item     feedItem
	original string // corpus name of the agency story
	relation string
}

var (
	dedupeBase = time.Date(2026, 3, 12, 8, 0, 0, 0, time.UTC)
	providers  = map[string]string{agencyFeed: "Meridian Press", coastalFeed: "Coastal Herald",
		harbourlineFeed: "Harbourline Daily", tidewaterFeed: "Tidewater Gazette"}
	// The feeds in the order they are configured.
	feedIDs = []string{agencyFeed, coastalFeed, harbourlineFeed, tidewaterFeed}
)

// rawKey is the story key ingest gives an item of feed.
func rawKey(feed string, it feedItem) string {
	return pipeline.StoryKey(pipeline.RawItem{Feed: feed, Provider: providers[feed], GUID: it.guid, Link: it.link, Title: it.title})
}

// rawPartition is the raw topic's partition ingest writes an item of feed to.
func rawPartition(feed string, it feedItem) int {
	return kafka.PartitionOf([]byte(rawKey(feed, it)), dedupePartitions)
}

// guidOn gives it the first guid stem-0, stem-1, ... whose story key lands on the raw
// topic's partition p.
func guidOn(t *testing.T, feed, stem string, it feedItem, p int) feedItem {
	t.Helper()
	for n := range 100 {
		it.guid = fmt.Sprintf("%s-%d", stem, n)
		if rawPartition(feed, it) == p {
			return it
		}
	}
	t.Fatalf("no guid for %s lands on partition %d", stem, p)
	return it
}

func newDedupeCorpus(t *testing.T) *dedupeCorpus {
	c := &dedupeCorpus{agency: map[string]feedItem{}}
	agencyItem := func(name string, minutes int, s wireStory) feedItem {
		return feedItem{
			guid:      "urn:meridian:2026:" + name,
			link:      "https://meridianpress.example/world/" + name,
			title:     s.headline,
			published: dedupeBase.Add(time.Duration(minutes) * time.Minute),
			paras:     s.paras,
		}
	}
	for i, name := range []string{"grid", "rail", "bank-rates", "bank-payments"} {
		c.agency[name] = agencyItem(name, 10+5*i, loadStory(t, name))
	}
	for i, minutes := range []int{0, 40, 70, 95} {
		c.harbour = append(c.harbour, agencyItem("harbour", minutes, loadStory(t, fmt.Sprintf("harbour-v%d", i+1))))
	}
	c.agency["harbour"] = c.harbour[0]

	// partner adds a copy of original whose story key lands on the raw partition shift
	// places after the original's.
	partner := func(feed, stem, original string, shift, minutes int, s wireStory, paras []string, html, relation string) {
		host := strings.ReplaceAll(feed, "-", "") + ".example"
		it := feedItem{
			link: "https://" + host + "/news/" + stem + "?utm_source=wire", title: s.headline,
			published: dedupeBase.Add(time.Duration(minutes) * time.Minute), paras: paras, html: html,
		}
		p := (rawPartition(agencyFeed, c.agency[original]) + shift) % dedupePartitions
		c.copies = append(c.copies, copyOf{feed: feed, original: original, relation: relation, item: guidOn(t, feed, stem, it, p)})
	}
	harbour1, grid, rail := loadStory(t, "harbour-v1"), loadStory(t, "grid"), loadStory(t, "rail-rewrite")
	partner(coastalFeed, "ch-harbour", "harbour", 0, 120, harbour1, coastalWrap.wrap(harbour1.paras), "", pipeline.RelationDuplicate)
	// grid: one copy on each partition of the raw topic.
	c.spread = "grid"
	partner(coastalFeed, "ch-grid", "grid", 0, 125, grid, coastalWrap.wrap(grid.paras), "", pipeline.RelationDuplicate)
	partner(harbourlineFeed, "hl-grid", "grid", 1, 130, grid, grid.paras, restyled(grid.paras), pipeline.RelationDuplicate)
	partner(tidewaterFeed, "tg-grid", "grid", 2, 132, grid, tidewaterWrap.wrap(grid.paras), "", pipeline.RelationDuplicate)
	partner(harbourlineFeed, "hl-rail", "rail", 0, 135, rail, harbourlineWrap.wrap(rail.paras), "", pipeline.RelationNearDuplicate)
	wf := loadStory(t, "grid-windfarm")
	c.own = feedItem{guid: "ch-skarholm-1", link: "https://coastalherald.example/news/skarholm", title: wf.headline,
		published: dedupeBase.Add(128 * time.Minute), paras: append([]string{"By Jonas Berg, Coastal Herald"}, wf.paras...)}

	c.feeds = map[string]func(int) []feedItem{
		agencyFeed: func(phase int) []feedItem {
			v := c.harbour[max(0, phase-phaseCopies)]
			out := []feedItem{v}
			for _, name := range []string{"grid", "rail", "bank-rates", "bank-payments"} {
				out = append(out, c.agency[name])
			}
			return out
		},
		coastalFeed:     func(phase int) []feedItem { return c.partnerItems(coastalFeed, phase) },
		harbourlineFeed: func(phase int) []feedItem { return c.partnerItems(harbourlineFeed, phase) },
		tidewaterFeed:   func(phase int) []feedItem { return c.partnerItems(tidewaterFeed, phase) },
	}
	c.phase.Store(phaseOriginals)
	return c
}

func (c *dedupeCorpus) partnerItems(feed string, phase int) []feedItem {
	if phase < phaseCopies {
		return nil
	}
	var out []feedItem
	for _, cp := range c.copies {
		if cp.feed == feed {
			out = append(out, cp.item)
		}
	}
	if feed == coastalFeed {
		out = append(out, c.own)
	}
	return out
}

func (c *dedupeCorpus) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
	items, ok := c.feeds[id]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>https://%s.example/</link><description>Stories from %s</description><language>en</language>\n",
		esc(providers[id]), id, esc(providers[id]))
	for _, it := range items(int(c.phase.Load())) {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate>`,
			esc(it.guid), esc(it.title), esc(it.link), it.published.Format(time.RFC1123Z))
		fmt.Fprintf(&b, "<description>%s</description><content:encoded><![CDATA[", esc(it.paras[0]))
		if it.html != "" {
			b.WriteString(it.html)
		} else {
			for _, p := range it.paras {
				b.WriteString("<p>" + htmlEsc(p) + "</p>\n")
			}
		}
		b.WriteString("]]></content:encoded></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	_, _ = w.Write([]byte(b.String()))
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func htmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (c *dedupeCorpus) feedsYAML(base string) []byte {
	var b strings.Builder
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	for _, id := range feedIDs {
		fmt.Fprintf(&b, "  - id: %s\n    url: %s/%s.xml\n    format: rss\n    provider: %s\n", id, base, id, providers[id])
	}
	return []byte(b.String())
}

// wantSource is one expected appearance of a story.
type wantSource struct {
	feed, guid, relation string
}

// wantStory is a story as the store must hold it at the end.
type wantStory struct {
	name      string
	uri       string
	headline  string
	verdicts  []string // History, oldest first
	pubStatus string
	sources   []wantSource
}

// expected lists the stories the corpus must end as, by uri.
func (c *dedupeCorpus) expected() map[string]wantStory {
	out := map[string]wantStory{}
	for name, it := range c.agency {
		w := wantStory{name: name, uri: rawKey(agencyFeed, it), headline: it.title, verdicts: []string{pipeline.VerdictNew},
			pubStatus: pipeline.PubStatusUsable, sources: []wantSource{{agencyFeed, it.guid, pipeline.RelationOriginal}}}
		if name == "harbour" {
			last := c.harbour[len(c.harbour)-1]
			w.headline = last.title
			w.verdicts = []string{pipeline.VerdictNew, pipeline.VerdictUpdate, pipeline.VerdictCorrection, pipeline.VerdictKill}
			w.pubStatus = pipeline.PubStatusCanceled
		}
		for _, cp := range c.copies {
			if cp.original == name {
				w.sources = append(w.sources, wantSource{cp.feed, cp.item.guid, cp.relation})
			}
		}
		out[w.uri] = w
	}
	own := wantStory{name: "grid-windfarm", uri: rawKey(coastalFeed, c.own), headline: c.own.title, verdicts: []string{pipeline.VerdictNew},
		pubStatus: pipeline.PubStatusUsable, sources: []wantSource{{coastalFeed, c.own.guid, pipeline.RelationOriginal}}}
	out[own.uri] = own
	return out
}

// uriOf returns the uri of a corpus story.
func (c *dedupeCorpus) uriOf(name string) string {
	if name == "grid-windfarm" {
		return rawKey(coastalFeed, c.own)
	}
	return rawKey(agencyFeed, c.agency[name])
}

// snapshot reads every stored story, by uri.
func (e *env) snapshot() (map[string]pipeline.Story, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := e.stored(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]pipeline.Story, len(list))
	for _, s := range list {
		out[s.URI] = s
	}
	return out, nil
}

// waitSnapshot waits until the stored stories satisfy cond.
func (e *env) waitSnapshot(what string, d time.Duration, cond func(map[string]pipeline.Story) bool) {
	e.t.Helper()
	deadline := time.Now().Add(d)
	var last map[string]pipeline.Story
	var err error
	for {
		if last, err = e.snapshot(); err == nil && cond(last) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("gave up after %s waiting for %s; stored: %s (last error: %v)", d, what, describeStories(last), err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func describeStories(m map[string]pipeline.Story) string {
	var lines []string
	for _, s := range m {
		var src []string
		for _, x := range s.Sources {
			src = append(src, x.Feed+":"+x.Relation)
		}
		lines = append(lines, fmt.Sprintf("\n  %s v%d (%d versions) %s %q sources %v", s.URI, s.Version, s.Versions, s.PubStatus, s.Headline(), src))
	}
	sort.Strings(lines)
	return strings.Join(lines, "")
}

var httpListening = regexp.MustCompile(`"http listening".*"addr":"([^"]+)"`)

// waitReady waits until the worker's /readyz answers 200: for enrich, its dedupe index is
// restored and its consumer has joined a generation of its group.
func (e *env) waitReady(name string, d time.Duration) {
	e.t.Helper()
	var addr string
	waitFor(e.t, name+" serves /readyz", d, func() bool {
		if addr == "" {
			b, err := os.ReadFile(filepath.Join(e.logDir, name+".log"))
			if err != nil {
				return false
			}
			m := httpListening.FindSubmatch(b)
			if m == nil {
				return false
			}
			addr = string(m[1])
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// dedupeSettings keep the workers quick to react and to hand partitions over.
var dedupeSettings = []string{
	"WIREHOSE_CONSUMER_SESSION_TIMEOUT=6s",
	"WIREHOSE_CONSUMER_BATCH_SIZE=10",
	"WIREHOSE_HTTP_ADDR=127.0.0.1:0",
}

// startDedupeWorkers starts a sink and two enrich workers in one group and waits until
// both enrich workers are ready, so that no rebalance moves partitions while items flow.
func (e *env) startDedupeWorkers() []*proc {
	e.t.Helper()
	procs := []*proc{
		e.startAs("sink", "sink", dedupeSettings...),
		e.startAs("enrich", "enrich-0", dedupeSettings...),
	}
	e.waitReady("enrich-0", time.Minute)
	procs = append(procs, e.startAs("enrich", "enrich-1", dedupeSettings...))
	e.waitReady("enrich-1", time.Minute)
	return procs
}

// TestDedupeThroughRealKafka runs ingest, two enrich workers and a sink over a real Kafka
// on a corpus of syndicated copies (one story copied onto every partition of the raw
// topic), a near-duplicate rewrite, a version chain ending in a kill, and false friends;
// checks the stored stories, versions and appearances; then replays the raw topic, phase
// by phase, into a fresh dedupe index and a fresh store and checks that the replay stores
// the same.
func TestDedupeThroughRealKafka(t *testing.T) {
	brokers(t)
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			corpus := newDedupeCorpus(t)
			srv := httptest.NewServer(corpus)
			t.Cleanup(srv.Close)
			feedsYAML := corpus.feedsYAML(srv.URL)
			want := corpus.expected()

			const phaseWait = 45 * time.Second
			live := newEnv(t, db(t), feedsYAML)
			workers := live.startDedupeWorkers()
			ingest := live.start("ingest", "WIREHOSE_POLL_INTERVAL=1s", "WIREHOSE_POLL_SCHEDULE_MIN_INTERVAL=1s",
				"WIREHOSE_POLL_SCHEDULE_MAX_INTERVAL=2s", "WIREHOSE_CONSUMER_SESSION_TIMEOUT=6s")
			// marks[k] is each raw partition's high watermark once phase k was stored: the
			// records of phase k are those from marks[k-1] up to marks[k].
			marks := make([]map[int]int64, phaseKill+1)
			marks[0] = map[int]int64{}
			for phase := phaseOriginals; phase <= phaseKill; phase++ {
				var before enrichGroup
				if phase == phaseCopies {
					before = live.enrichGroup(ctx)
				}
				corpus.phase.Store(int32(phase))
				live.waitPhase(corpus, phase, phaseWait)
				if phase == phaseCopies {
					checkCrossWorker(t, "live", corpus, before, live.enrichGroup(ctx))
				}
				if phase < phaseKill {
					marks[phase] = live.rawMarks(ctx)
				}
			}
			ingest.stop(t)
			// The kill phase ends when ingest stops: whatever it wrote last belongs to it.
			marks[phaseKill] = live.rawMarks(ctx)
			for _, p := range workers {
				defer p.stop(t)
			}
			waitLagZero(t, live, time.Minute)

			first := openStore(ctx, t, live.db)
			t.Run("live", func(t *testing.T) {
				checkDedupeStore(ctx, t, first, want)
				checkStoriesTopic(ctx, t, live, corpus, want)
			})
			raw := readRaw(ctx, t, live)
			checkRawPhases(t, corpus, raw, marks)

			// Replay: the raw topic copied into a fresh pipeline's raw topic (each record on
			// the partition of the same number, in offset order), read by two new enrich
			// workers with an empty dedupe topic and a new sink into an empty store. The
			// copies of grid sit on other partitions than grid itself, and partitions are
			// read independently, so the raw topic copied at once could have a copy decided
			// before its original: the replay feeds the records phase by phase, as the live
			// run received them, each phase once the previous one is stored.
			replay := newEnv(t, db(t), feedsYAML)
			for _, p := range replay.startDedupeWorkers() {
				defer p.stop(t)
			}
			for phase := phaseOriginals; phase <= phaseKill; phase++ {
				var before enrichGroup
				if phase == phaseCopies {
					before = replay.enrichGroup(ctx)
				}
				n := copyRawRecords(ctx, t, raw, replay, marks[phase-1], marks[phase])
				if n == 0 {
					t.Fatalf("the live run wrote no raw record in the %s phase", phaseNames[phase])
				}
				replay.waitPhase(corpus, phase, phaseWait)
				if phase == phaseCopies {
					checkCrossWorker(t, "replay", corpus, before, replay.enrichGroup(ctx))
				}
				// The live run served the next phase a poll (a second at least) after this
				// one was stored; the replay leaves the same time before the next records.
				time.Sleep(time.Second)
			}
			waitLagZero(t, replay, time.Minute)
			second := openStore(ctx, t, replay.db)
			t.Run("replay", func(t *testing.T) {
				checkDedupeStore(ctx, t, second, want)
				checkStoriesTopic(ctx, t, replay, corpus, want)
			})
			sameStores(ctx, t, first, second)
		})
	}
}

// shape is what the store holds of a story once a phase is stored: how many versions and
// how many appearances (the original's included).
type shape struct {
	versions, sources int
}

// phaseShapes gives, by uri, the shape of every story once phase is stored.
func (c *dedupeCorpus) phaseShapes(phase int) map[string]shape {
	out := map[string]shape{}
	for _, it := range c.agency {
		out[rawKey(agencyFeed, it)] = shape{versions: 1, sources: 1}
	}
	if phase >= phaseCopies {
		for _, cp := range c.copies {
			s := out[c.uriOf(cp.original)]
			s.sources++
			out[c.uriOf(cp.original)] = s
		}
		out[c.uriOf("grid-windfarm")] = shape{versions: 1, sources: 1}
	}
	h := out[c.uriOf("harbour")]
	h.versions = max(1, phase-phaseCopies+1)
	out[c.uriOf("harbour")] = h
	return out
}

// waitPhase waits until the store holds at least what phase adds: every story of the
// phase with its versions and appearances. What it must not hold is checked at the end.
func (e *env) waitPhase(c *dedupeCorpus, phase int, d time.Duration) {
	e.t.Helper()
	shapes := c.phaseShapes(phase)
	e.waitSnapshot("the "+phaseNames[phase]+" phase stored", d, func(m map[string]pipeline.Story) bool {
		for uri, w := range shapes {
			s, ok := m[uri]
			if !ok || s.Versions < w.versions || len(s.Sources) < w.sources {
				return false
			}
		}
		return true
	})
}

// rawMarks returns each raw partition's high watermark.
func (e *env) rawMarks(ctx context.Context) map[int]int64 {
	e.t.Helper()
	infos, err := kafka.DescribeTopics(ctx, e.kafkaConfig(), e.kafkaConfig().Topics().Raw)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int]int64{}
	for _, ti := range infos {
		for _, p := range ti.Partitions {
			out[p.ID] = p.HighWatermark
		}
	}
	if len(out) != dedupePartitions {
		e.t.Fatalf("raw topic has %d partitions, want %d", len(out), dedupePartitions)
	}
	return out
}

// enrichGroup is the enrich consumer group as the broker describes it: its state, and the
// raw partitions each member is assigned, by member id.
type enrichGroup struct {
	state   string
	members map[string][]int
}

func (g enrichGroup) String() string {
	ids := slices.Sorted(maps.Keys(g.members))
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s:%v", id, g.members[id]))
	}
	return g.state + " [" + strings.Join(parts, " ") + "]"
}

// enrichGroup describes the enrich workers' consumer group.
func (e *env) enrichGroup(ctx context.Context) enrichGroup {
	e.t.Helper()
	group, raw := e.prefix+"enrich", e.kafkaConfig().Topics().Raw
	cl := &kafkago.Client{Addr: kafkago.TCP(e.brokers...), Timeout: 10 * time.Second}
	resp, err := cl.DescribeGroups(ctx, &kafkago.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		e.t.Fatalf("describe group %s: %v", group, err)
	}
	if len(resp.Groups) != 1 || resp.Groups[0].Error != nil {
		e.t.Fatalf("describe group %s: %+v", group, resp.Groups)
	}
	g := enrichGroup{state: resp.Groups[0].GroupState, members: map[string][]int{}}
	for _, m := range resp.Groups[0].Members {
		var ps []int
		for _, a := range m.MemberAssignments.Topics {
			if a.Topic == raw {
				ps = append(ps, a.Partitions...)
			}
		}
		slices.Sort(ps)
		g.members[m.MemberID] = ps
	}
	return g
}

// checkCrossWorker checks that the enrich group was the same before and after the copies
// phase — two members, each assigned some of the raw partitions — and so that the worker
// not reading the spread story's partition decided its copies on the partitions it holds.
func checkCrossWorker(t *testing.T, run string, c *dedupeCorpus, before, after enrichGroup) {
	t.Helper()
	if before.String() != after.String() {
		t.Errorf("%s: the enrich group changed during the copies phase: %s before, %s after", run, before, after)
	}
	var all []int
	for _, ps := range after.members {
		all = append(all, ps...)
	}
	slices.Sort(all)
	if after.state != "Stable" || len(after.members) != 2 || !slices.Equal(all, []int{0, 1, 2}) {
		t.Fatalf("%s: enrich group %s: want it stable, two members sharing raw partitions [0 1 2]", run, after)
	}
	for id, ps := range after.members {
		if len(ps) == 0 {
			t.Fatalf("%s: enrich worker %s holds no raw partition: every copy was decided by one worker", run, id)
		}
	}
	own := rawPartition(agencyFeed, c.agency[c.spread])
	var owner string
	for id, ps := range after.members {
		if slices.Contains(ps, own) {
			owner = id
		}
	}
	var cross []string
	for _, cp := range c.copies {
		if p := rawPartition(cp.feed, cp.item); cp.original == c.spread && !slices.Contains(after.members[owner], p) {
			cross = append(cross, fmt.Sprintf("%s/%s on partition %d", cp.feed, cp.item.guid, p))
		}
	}
	if len(cross) == 0 {
		t.Fatalf("%s: no copy of %s lies outside the partitions %v of its original's worker", run, c.spread, after.members[owner])
	}
	t.Logf("%s: %s is on raw partition %d (worker holding %v); copies decided by the other worker: %s",
		run, c.spread, own, after.members[owner], strings.Join(cross, ", "))
}

func openStore(ctx context.Context, t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// checkDedupeStore checks the stored stories against the corpus's expectations.
func checkDedupeStore(ctx context.Context, t *testing.T, st store.Store, want map[string]wantStory) {
	t.Helper()
	all, err := st.List(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var got, wantURIs []string
	for _, s := range all {
		got = append(got, s.URI)
	}
	var usableWant []string
	for uri, w := range want {
		wantURIs = append(wantURIs, uri)
		if w.pubStatus == pipeline.PubStatusUsable {
			usableWant = append(usableWant, uri)
		}
	}
	sameSet(t, "stored stories", got, wantURIs, want)

	usable, err := st.List(ctx, store.Query{Limit: 1000, Usable: true})
	if err != nil {
		t.Fatalf("list usable: %v", err)
	}
	var usableGot []string
	for _, s := range usable {
		usableGot = append(usableGot, s.URI)
	}
	sameSet(t, "usable stories", usableGot, usableWant, want)

	listed := map[string]pipeline.Story{}
	for _, s := range all {
		listed[s.URI] = s
	}
	for uri, w := range want {
		s, ok := listed[uri]
		if !ok {
			continue // reported above
		}
		t.Run(w.name, func(t *testing.T) {
			if s.Versions != len(w.verdicts) || s.Version != len(w.verdicts) {
				t.Errorf("version %d of %d versions, want %d of %d", s.Version, s.Versions, len(w.verdicts), len(w.verdicts))
			}
			if s.PubStatus != w.pubStatus {
				t.Errorf("pubstatus %q, want %q", s.PubStatus, w.pubStatus)
			}
			if s.Headline() != w.headline {
				t.Errorf("headline %q, want %q", s.Headline(), w.headline)
			}
			if s.Dedupe == nil || s.Dedupe.Fingerprint == "" || s.Dedupe.Cluster != uri {
				t.Errorf("dedupe %+v, want a fingerprint and cluster %s", s.Dedupe, uri)
			}
			checkSources(t, s.Sources, w.sources)

			full, err := st.Get(ctx, uri)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			var verdicts []string
			for i, v := range full.History {
				verdicts = append(verdicts, v.Verdict)
				if v.Version != i+1 {
					t.Errorf("history entry %d is version %d, want %d", i, v.Version, i+1)
				}
			}
			if !slices.Equal(verdicts, w.verdicts) {
				t.Errorf("history verdicts %v, want %v", verdicts, w.verdicts)
			}
			checkSources(t, full.Sources, w.sources)
		})
	}
}

// checkSources compares appearances by feed, guid and relation; a near duplicate must
// carry a similarity below 1 and an exact one none.
func checkSources(t *testing.T, got []pipeline.Source, want []wantSource) {
	t.Helper()
	var g, w []string
	for _, s := range got {
		g = append(g, s.Feed+"/"+s.GUID+":"+s.Relation)
		switch s.Relation {
		case pipeline.RelationNearDuplicate:
			if s.Similarity <= 0 || s.Similarity >= 1 {
				t.Errorf("near duplicate %s/%s has similarity %v, want one in (0, 1)", s.Feed, s.GUID, s.Similarity)
			}
		default:
			if s.Similarity != 0 {
				t.Errorf("%s appearance %s/%s has similarity %v, want none", s.Relation, s.Feed, s.GUID, s.Similarity)
			}
		}
		if s.Seen.IsZero() {
			t.Errorf("appearance %s/%s has no seen time", s.Feed, s.GUID)
		}
	}
	for _, s := range want {
		w = append(w, s.feed+"/"+s.guid+":"+s.relation)
	}
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		t.Errorf("appearances\n  %v\nwant\n  %v", g, w)
	}
}

func sameSet(t *testing.T, what string, got, want []string, names map[string]wantStory) {
	t.Helper()
	name := func(uri string) string {
		if w, ok := names[uri]; ok {
			return w.name
		}
		return uri
	}
	var g, w []string
	for _, u := range got {
		g = append(g, name(u))
	}
	for _, u := range want {
		w = append(w, name(u))
	}
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s: %v, want %v", what, g, w)
	}
}

// checkStoriesTopic checks what enrich emitted: one story message per distinct story
// version (redeliveries aside), so the enrichers ran once per version and never on a copy,
// and one appearance per copy. The store alone could not tell: it would turn a copy that
// enrich took for a new story into an appearance.
func checkStoriesTopic(ctx context.Context, t *testing.T, e *env, c *dedupeCorpus, want map[string]wantStory) {
	t.Helper()
	var got, wantOut []string
	seen := map[string]bool{}
	name := func(uri string) string {
		if w, ok := want[uri]; ok {
			return w.name
		}
		return uri // not a story of the corpus
	}
	err := kafka.ReadTopic(ctx, e.kafkaConfig(), e.kafkaConfig().Topics().Stories, func(m pipeline.Message) error {
		schema, err := pipeline.SchemaOf(m.Value)
		if err != nil {
			return err
		}
		var line string
		switch schema {
		case pipeline.SchemaStory:
			s, err := pipeline.DecodeStory(m.Value)
			if err != nil {
				return err
			}
			line = fmt.Sprintf("story %s v%d %s", name(s.URI), s.Version, s.Verdict)
		case pipeline.SchemaAppearance:
			a, err := pipeline.DecodeAppearance(m.Value)
			if err != nil {
				return err
			}
			line = fmt.Sprintf("appearance of %s: %s/%s %s", name(a.URI), a.Source.Feed, a.Source.GUID, a.Source.Relation)
		default:
			line = "schema " + schema
		}
		if !seen[line] {
			seen[line] = true
			got = append(got, line)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the stories topic: %v", err)
	}
	for _, w := range want {
		for i, v := range w.verdicts {
			wantOut = append(wantOut, fmt.Sprintf("story %s v%d %s", w.name, i+1, v))
		}
	}
	for _, cp := range c.copies {
		wantOut = append(wantOut, fmt.Sprintf("appearance of %s: %s/%s %s", cp.original, cp.feed, cp.item.guid, cp.relation))
	}
	sort.Strings(got)
	sort.Strings(wantOut)
	if !slices.Equal(got, wantOut) {
		t.Errorf("the stories topic holds\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(wantOut, "\n  "))
	}
}

// readRaw reads e's raw topic, by partition in offset order, and checks that every record
// sits on the partition its key routes to (what the replay's copy relies on).
func readRaw(ctx context.Context, t *testing.T, e *env) map[int][]pipeline.Message {
	t.Helper()
	raw := e.kafkaConfig().Topics().Raw
	if n, err := kafka.PartitionCount(ctx, e.kafkaConfig(), raw); err != nil || n != dedupePartitions {
		t.Fatalf("raw topic has %d partitions (%v), want %d", n, err, dedupePartitions)
	}
	out := map[int][]pipeline.Message{}
	err := kafka.ReadTopic(ctx, e.kafkaConfig(), raw, func(m pipeline.Message) error {
		if got := kafka.PartitionOf(m.Key, dedupePartitions); got != m.Partition {
			return fmt.Errorf("record %q at partition %d offset %d routes to partition %d", m.Key, m.Partition, m.Offset, got)
		}
		out[m.Partition] = append(out[m.Partition], m)
		return nil
	})
	if err != nil {
		t.Fatalf("read the raw topic: %v", err)
	}
	return out
}

// checkRawPhases checks the live run's raw topic against its phase marks, which the
// replay relies on: every item is first written in the phase that serves it first (each
// original before its copies, each harbour version in the phase of its own), and the copies
// of the spread story lie on every partition.
func checkRawPhases(t *testing.T, c *dedupeCorpus, raw map[int][]pipeline.Message, marks []map[int]int64) {
	t.Helper()
	phaseOf := func(m pipeline.Message) int {
		for k := phaseOriginals; k <= phaseKill; k++ {
			if m.Offset < marks[k][m.Partition] {
				return k
			}
		}
		return 0
	}
	// The phase each key is first written in, and the headlines written of harbour, by phase.
	first := map[string]int{}
	harbour := map[int][]string{}
	for p := range dedupePartitions {
		for _, m := range raw[p] {
			k := phaseOf(m)
			if k == 0 {
				t.Errorf("raw record %q at partition %d offset %d lies past the last phase's mark %d", m.Key, p, m.Offset, marks[phaseKill][p])
				continue
			}
			if _, ok := first[string(m.Key)]; !ok {
				first[string(m.Key)] = k
			}
			if string(m.Key) == c.uriOf("harbour") {
				it, err := pipeline.DecodeRaw(m.Value)
				if err != nil {
					t.Fatalf("decode raw record of harbour: %v", err)
				}
				harbour[k] = append(harbour[k], it.Title)
			}
		}
	}
	check := func(what, key string, want int) {
		if got := first[key]; got != want {
			t.Errorf("raw topic: %s first written in phase %d (%s), want %d (%s)", what, got, phaseNames[got], want, phaseNames[want])
		}
	}
	for name := range c.agency {
		check(name, c.uriOf(name), phaseOriginals)
	}
	check("grid-windfarm", c.uriOf("grid-windfarm"), phaseCopies)
	covered := map[int]bool{}
	for _, cp := range c.copies {
		check(fmt.Sprintf("copy %s/%s of %s", cp.feed, cp.item.guid, cp.original), rawKey(cp.feed, cp.item), phaseCopies)
		if cp.original == c.spread {
			covered[rawPartition(cp.feed, cp.item)] = true
		}
	}
	if len(covered) != dedupePartitions {
		t.Errorf("the copies of %s lie on %d raw partitions, want all %d", c.spread, len(covered), dedupePartitions)
	}
	for k := phaseUpdate; k <= phaseKill; k++ {
		v := c.harbour[k-phaseCopies]
		if !slices.Contains(harbour[k], v.title) {
			t.Errorf("raw topic: harbour records of the %s phase have headlines %q, want %q among them", phaseNames[k], harbour[k], v.title)
		}
		for _, h := range harbour[k] {
			for _, old := range c.harbour[k-phaseCopies+1:] {
				if h == old.title {
					t.Errorf("raw topic: harbour %q written in the %s phase, before it was served", h, phaseNames[k])
				}
			}
		}
	}
}

// copyRawRecords writes to to's raw topic the records of raw from offset from[p] up to
// to[p] of every partition p, in offset order, keys, values, headers and times as they
// are; with the same partition count, each lands on the partition of the same number. It
// returns how many it wrote.
func copyRawRecords(ctx context.Context, t *testing.T, raw map[int][]pipeline.Message, dst *env, from, to map[int]int64) int {
	t.Helper()
	topic := dst.kafkaConfig().Topics().Raw
	p := kafka.NewProducer(dst.kafkaConfig(), nil)
	defer p.Close()
	n := 0
	for part := range dedupePartitions {
		var msgs []pipeline.Message
		for _, m := range raw[part] {
			if m.Offset >= from[part] && m.Offset < to[part] {
				m.Topic, m.Partition, m.Offset = topic, 0, 0
				msgs = append(msgs, m)
			}
		}
		if len(msgs) == 0 {
			continue
		}
		if err := p.Write(ctx, msgs...); err != nil {
			t.Fatalf("copy %d records of partition %d to %s: %v", len(msgs), part, topic, err)
		}
		n += len(msgs)
	}
	return n
}

// sameStores checks that two stores hold the same stories: the same list, and for each
// story the same version, history and appearances.
func sameStores(ctx context.Context, t *testing.T, a, b store.Store) {
	t.Helper()
	la, err := a.List(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := b.List(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(la) != len(lb) {
		t.Fatalf("the replay stored %d stories, the live run %d", len(lb), len(la))
	}
	for i := range la {
		ga, err := a.Get(ctx, la[i].URI)
		if err != nil {
			t.Fatal(err)
		}
		gb, err := b.Get(ctx, la[i].URI)
		if err != nil {
			t.Errorf("the replay has no story %s: %v", la[i].URI, err)
			continue
		}
		sortSources(&ga)
		sortSources(&gb)
		ja, _ := json.MarshalIndent(ga, "", " ")
		jb, _ := json.MarshalIndent(gb, "", " ")
		if string(ja) != string(jb) {
			t.Errorf("story %s differs after the replay:\nlive:   %s\nreplay: %s", la[i].URI, ja, jb)
		}
		if la[i].URI != lb[i].URI {
			t.Errorf("list position %d: live %s, replay %s", i, la[i].URI, lb[i].URI)
		}
	}
}

// sortSources orders appearances by feed and guid: the store keeps them in the order
// they were stored, which two runs over several partitions need not share.
func sortSources(s *pipeline.Story) {
	sort.Slice(s.Sources, func(i, j int) bool {
		if s.Sources[i].Feed != s.Sources[j].Feed {
			return s.Sources[i].Feed < s.Sources[j].Feed
		}
		return s.Sources[i].GUID < s.Sources[j].GUID
	})
}
