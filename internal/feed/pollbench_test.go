package feed_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// The poll-cycle benchmark: one PollAll over pollBenchFeeds loopback feeds that
// mostly answer 304, the steady state of an ingest watching thousands of feeds.
// The feed server runs in a child process (this test binary, re-run as
// TestMain), so the CPU time measured is the poller's alone.
const (
	pollBenchFeeds = 2000
	// pollBenchChangeEvery: on each poll after the first, one feed in this many
	// has a new item (2%); the others answer 304 to the conditional GET.
	pollBenchChangeEvery = 50
	pollBenchItems       = 20 // items per document
	pollBenchServeEnv    = "WIREHOSE_POLLBENCH_SERVE"
)

// BenchmarkPollCycle reports, per full pass over 2,000 feeds:
//   - feeds/s: feeds polled per wall-clock second (loopback, so an upper bound);
//   - cpu-ms/feed: user+system CPU time of this process per feed polled;
//   - cores@2000/min: the share of one core that polling 2,000 feeds a minute
//     takes (CPU seconds of one pass / 60); the goal is under 0.25;
//   - server-cpu-ms/feed: the loopback feed server's CPU, for comparison;
//   - not-modified-%: the share of polls answered 304.
//
// It asserts the pass is complete (no failures, mostly 304, the changed feeds'
// items emitted), not any speed.
func BenchmarkPollCycle(b *testing.B) {
	srv := startPollBenchServer(b)
	ff := feed.FeedsFile{AllowPrivateNetworks: true}
	for i := range pollBenchFeeds {
		ff.Feeds = append(ff.Feeds, feed.Feed{
			ID:     fmt.Sprintf("bench-%04d", i),
			URL:    fmt.Sprintf("http://%s/feeds/%d.xml", srv.addr, i),
			Format: feed.FormatRSS,
		})
	}
	cfg := feed.DefaultPollerConfig()
	cfg.Concurrency = 8
	// One loopback host stands in for many agency hosts: the per-host limit must
	// not be what the benchmark measures.
	cfg.PerHost = cfg.Concurrency
	cfg.HostGap = -1
	w := &pollBenchWriter{}
	p, err := feed.NewPoller(cfg, ff, w, "wire.raw", zap.NewNop(), feed.WithStateStore(newPollBenchStore()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()

	// The first pass fetches every document in full and emits every item.
	res, err := p.PollAll(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if t := res.Totals(); t.Failed > 0 || t.New != pollBenchFeeds*pollBenchItems {
		b.Fatalf("first pass: %+v (first failure: %v), want every item of every feed new", t, pollBenchFailure(res))
	}

	b.ReportAllocs()
	b.ResetTimer()
	cpu0, start := pollBenchCPU(b), time.Now()
	var notModified, changedFeeds int
	for range b.N {
		res, err := p.PollAll(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t := res.Totals()
		if t.Failed > 0 {
			b.Fatalf("%d feeds failed; first: %v", t.Failed, pollBenchFailure(res))
		}
		notModified += t.NotModified
		changedFeeds += t.Feeds - t.NotModified
		if t.New < t.Feeds-t.NotModified {
			b.Fatalf("%d feeds answered 200 but only %d new items were emitted", t.Feeds-t.NotModified, t.New)
		}
	}
	elapsed, cpu := time.Since(start), pollBenchCPU(b)-cpu0
	b.StopTimer()

	polls := float64(b.N * pollBenchFeeds)
	if share := float64(notModified) / polls; share < 0.9 {
		b.Fatalf("only %.0f%% of polls answered 304, want most", 100*share)
	}
	serverCPU := srv.stop(b)
	b.ReportMetric(polls/elapsed.Seconds(), "feeds/s")
	b.ReportMetric(cpu.Seconds()*1e3/polls, "cpu-ms/feed")
	b.ReportMetric(cpu.Seconds()/float64(b.N)/60, "cores@2000/min")
	b.ReportMetric(serverCPU.Seconds()*1e3/(polls+pollBenchFeeds), "server-cpu-ms/feed")
	b.ReportMetric(100*float64(notModified)/polls, "not-modified-%")
}

func pollBenchFailure(res feed.PollResult) error {
	for _, f := range res.Feeds {
		if f.Err != nil {
			return f.Err
		}
	}
	return nil
}

// pollBenchCPU is the user+system CPU time this process has used so far.
func pollBenchCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pollBenchWriter accepts every message, as an acknowledging broker would.
type pollBenchWriter struct{ n atomic.Int64 }

func (w *pollBenchWriter) Write(_ context.Context, msgs ...pipeline.Message) error {
	w.n.Add(int64(len(msgs)))
	return nil
}

// pollBenchStore keeps feed states in memory but encodes every Save into the
// records the feed-state topic would get, so that cost is in the measurement.
type pollBenchStore struct {
	mu      sync.Mutex
	records map[string][]byte
}

func newPollBenchStore() *pollBenchStore { return &pollBenchStore{records: map[string][]byte{}} }

func (s *pollBenchStore) Partitions() int      { return 1 }
func (s *pollBenchStore) Partition(string) int { return 0 }
func (s *pollBenchStore) Load(context.Context, []int) (map[string]feed.FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return feed.DecodeStates(s.records)
}

func (s *pollBenchStore) Save(_ context.Context, st feed.FeedState, withSeen bool) error {
	recs, err := feed.StateRecords(st, withSeen)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.records[r.Key] = r.Value
	}
	return nil
}

// pollBenchServer is the child process serving the feeds.
type pollBenchServer struct {
	addr  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	once  sync.Once
	cpu   time.Duration
}

func startPollBenchServer(b *testing.B) *pollBenchServer {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), pollBenchServeEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("start the feed server process: %v", err)
	}
	s := &pollBenchServer{cmd: cmd, stdin: stdin}
	b.Cleanup(func() { s.stop(b) })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "feed server listening on "); ok {
			s.addr = addr
			break
		}
	}
	if s.addr == "" {
		b.Fatalf("the feed server process did not say where it listens: %v", sc.Err())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }() // the rest of its output
	return s
}

// stop ends the server process and returns the CPU time it used.
func (s *pollBenchServer) stop(b *testing.B) time.Duration {
	s.once.Do(func() {
		_ = s.stdin.Close() // the server exits when its stdin closes
		if err := s.cmd.Wait(); err != nil {
			b.Errorf("feed server process: %v", err)
		}
		if s.cmd.ProcessState != nil {
			s.cpu = s.cmd.ProcessState.UserTime() + s.cmd.ProcessState.SystemTime()
		}
	})
	return s.cpu
}

// TestMain turns the test binary into the feed server of BenchmarkPollCycle when that
// benchmark starts it as a child process; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv(pollBenchServeEnv) != "" {
		os.Exit(servePollBenchFeeds())
	}
	os.Exit(m.Run())
}

// servePollBenchFeeds serves the benchmark's feeds until its stdin closes.
func servePollBenchFeeds() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv := &http.Server{Handler: newPollBenchSite(pollBenchFeeds), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Printf("feed server listening on %s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	<-done
	return 0
}

// pollBenchSite serves /feeds/N.xml with an ETag; a feed gets a new item on one
// poll in pollBenchChangeEvery, staggered so each pass changes a few feeds.
type pollBenchSite struct {
	feeds []pollBenchDoc
}

type pollBenchDoc struct {
	mu       sync.Mutex
	requests int
	version  int
	etag     string
	doc      []byte
}

func newPollBenchSite(n int) *pollBenchSite {
	bf := &pollBenchSite{feeds: make([]pollBenchDoc, n)}
	for i := range bf.feeds {
		bf.feeds[i].render(i)
	}
	return bf
}

var pollBenchEpoch = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)

// render writes the document of version v: items v-19 … v, newest first.
func (f *pollBenchDoc) render(id int) {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench wire</title><link>http://wire.example/</link>`)
	for n := f.version + pollBenchItems - 1; n >= f.version; n-- {
		pub := pollBenchEpoch.Add(time.Duration(n) * 10 * time.Minute).Format(time.RFC1123Z)
		fmt.Fprintf(&buf, `<item><guid isPermaLink="false">bench-%d-%d</guid><title>Wire story %d of feed %d</title>`+
			`<link>http://wire.example/%d/%d</link><pubDate>%s</pubDate>`+
			`<description>Council approves the budget for the coming year after a long debate; item %d.</description></item>`,
			id, n, n, id, id, n, pub, n)
	}
	buf.WriteString(`</channel></rss>`)
	f.doc = buf.Bytes()
	f.etag = `"` + strconv.Itoa(id) + "-" + strconv.Itoa(f.version) + `"`
}

func (bf *pollBenchSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/feeds/")
	id, err := strconv.Atoi(strings.TrimSuffix(name, ".xml"))
	if !ok || err != nil || id < 0 || id >= len(bf.feeds) {
		http.NotFound(w, r)
		return
	}
	f := &bf.feeds[id]
	f.mu.Lock()
	f.requests++
	if f.requests > 1 && (id+f.requests)%pollBenchChangeEvery == 0 {
		f.version++
		f.render(id)
	}
	etag, doc := f.etag, f.doc
	f.mu.Unlock()

	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, _ = w.Write(doc)
}
