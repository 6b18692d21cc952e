package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var binDir string // the three worker binaries, built once by TestMain

func TestMain(m *testing.M) {
	if os.Getenv("WIREHOSE_TEST_KAFKA_BROKERS") == "" {
		os.Exit(m.Run()) // every test skips and says why
	}
	dir, err := os.MkdirTemp("", "wirehose-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, name := range []string{"ingest", "enrich", "sink"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), "../../cmd/"+name)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n", name, err)
			os.Exit(1)
		}
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func brokers(t *testing.T) []string {
	t.Helper()
	b := os.Getenv("WIREHOSE_TEST_KAFKA_BROKERS")
	if b == "" {
		t.Skip("WIREHOSE_TEST_KAFKA_BROKERS is not set: end-to-end tests need a real Kafka (make test starts one)")
	}
	return strings.Split(b, ",")
}

// stores lists the storage backends to run against; PostgreSQL only when a DSN is given.
func stores(t *testing.T) map[string]func(t *testing.T) string {
	out := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "wirehose.db") },
	}
	if dsn := os.Getenv("WIREHOSE_TEST_POSTGRES_DSN"); dsn != "" {
		out["postgres"] = func(t *testing.T) string { return withSchema(t, dsn, "e2e_"+randID()) }
	} else {
		t.Log("WIREHOSE_TEST_POSTGRES_DSN is not set: the PostgreSQL variants are not run (make test provides it)")
	}
	return out
}

func withSchema(t *testing.T, dsn, schema string) string {
	t.Helper()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func randID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// env is one pipeline instance: its own topic prefix, consumer groups and database.
type env struct {
	t       *testing.T
	brokers []string
	prefix  string
	db      string
	feeds   string
	logDir  string
}

func newEnv(t *testing.T, db string, feedsYAML []byte) *env {
	t.Helper()
	e := &env{t: t, brokers: brokers(t), prefix: "e2e-" + randID() + ".", db: db, logDir: t.TempDir()}
	e.feeds = filepath.Join(t.TempDir(), "feeds.yaml")
	if err := os.WriteFile(e.feeds, feedsYAML, 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) vars(extra ...string) []string {
	v := append(os.Environ(),
		"WIREHOSE_KAFKA_BROKERS="+strings.Join(e.brokers, ","),
		"WIREHOSE_KAFKA_TOPIC_PREFIX="+e.prefix,
		"WIREHOSE_TOPICS_PARTITIONS=3",
		"WIREHOSE_HTTP_ADDR=",
		"WIREHOSE_LOG_LEVEL=info",
		"WIREHOSE_FEEDS="+e.feeds,
		"WIREHOSE_DB="+e.db,
	)
	return append(v, extra...)
}

// proc is a running worker process.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan error
}

func (e *env) start(name string, extra ...string) *proc {
	e.t.Helper()
	return e.startAs(name, name, extra...)
}

// startAs starts the worker binary bin as a process named name (its log file), in the
// consumer group of bin: several processes of one binary share their group.
func (e *env) startAs(bin, name string, extra ...string) *proc {
	e.t.Helper()
	cmd := exec.Command(filepath.Join(binDir, bin))
	cmd.Env = e.vars(append([]string{"WIREHOSE_CONSUMER_GROUP=" + e.prefix + bin}, extra...)...)
	logf, err := os.OpenFile(filepath.Join(e.logDir, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logf.Close() }()
	e.t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if e.t.Failed() {
			e.dumpLog(name)
		}
	})
	return p
}

func (e *env) dumpLog(name string) {
	f, err := os.Open(filepath.Join(e.logDir, name+".log"))
	if err != nil {
		return
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	e.t.Logf("--- last lines of %s log ---\n%s", name, strings.Join(lines, "\n"))
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("%s exited with %v after SIGTERM, want a clean exit", p.name, err)
		}
	case <-time.After(60 * time.Second):
		t.Errorf("%s did not exit within 60s of SIGTERM", p.name)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// kill sends SIGKILL: no drain, no final commit.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Kill()
	<-p.done
}

// wait waits for a process that exits by itself (ingest --once).
func (p *proc) wait(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
	case <-time.After(d):
		t.Fatalf("%s did not finish within %s", p.name, d)
	}
}

func (e *env) kafkaConfig() kafka.Config {
	kc := kafka.DefaultConfig()
	kc.Brokers = e.brokers
	kc.TopicPrefix = e.prefix
	return kc
}

// stored lists every stored story.
func (e *env) stored(ctx context.Context) ([]pipeline.Story, error) {
	st, err := store.Open(ctx, e.db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.List(ctx, store.Query{Limit: 1 << 20})
}

// waitStored waits until at least n stories are stored and returns them.
func (e *env) waitStored(n int, d time.Duration) []pipeline.Story {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var last []pipeline.Story
	var lastErr error
	for {
		last, lastErr = e.stored(ctx)
		if lastErr == nil && len(last) >= n {
			return last
		}
		select {
		case <-ctx.Done():
			e.t.Fatalf("%d stories stored after %s, want %d (last error: %v)", len(last), d, n, lastErr)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (e *env) rawHighWatermark(ctx context.Context) int64 {
	e.t.Helper()
	return e.highWatermark(ctx, e.kafkaConfig().Topics().Raw)
}

// highWatermark is the number of messages a topic has received, summed over partitions.
func (e *env) highWatermark(ctx context.Context, topic string) int64 {
	e.t.Helper()
	infos, err := kafka.DescribeTopics(ctx, e.kafkaConfig(), topic)
	if err != nil {
		e.t.Fatal(err)
	}
	var sum int64
	for _, ti := range infos {
		for _, p := range ti.Partitions {
			sum += p.HighWatermark
		}
	}
	return sum
}

func serveFeeds(t *testing.T, items int) (base string, hits *hitCounter) {
	t.Helper()
	hits = &hitCounter{n: map[string]int{}}
	h := demo.Handler(demo.Options{Items: items})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.add(r.URL.Path)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

type hitCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hitCounter) add(p string) { h.mu.Lock(); h.n[p]++; h.mu.Unlock() }
func (h *hitCounter) get(p string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[p]
}
