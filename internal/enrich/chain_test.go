package enrich

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

type panicker struct{}

func (panicker) Name() string    { return "panicker" }
func (panicker) Version() string { return "3" }
func (panicker) Enrich(context.Context, *pipeline.Story) error {
	var m map[string]int
	m["boom"]++ // a nil map write: a real bug, not a test-made panic value
	return nil
}

type runCounts struct{ ok, failed map[string]int }

func (r *runCounts) Enriched(name string, _ time.Duration, failed bool) {
	if failed {
		r.failed[name]++
	} else {
		r.ok[name]++
	}
}

func newRunCounts() *runCounts { return &runCounts{ok: map[string]int{}, failed: map[string]int{}} }

func TestChainFailingEnricherLeavesStoryPartlyEnriched(t *testing.T) {
	var runs []string
	broken := errors.New("lexicon missing")
	c := NewChain([]Enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, broken}, panicker{}, recorder{"c", &runs, nil}}, nil, 0, nil)
	obs := newRunCounts()
	s := pipeline.Story{URI: "u", Version: 1, Bodies: []pipeline.Body{{Value: "text"}}}
	if err := c.Run(context.Background(), &s, obs); err != nil {
		t.Fatalf("Run = %v, want the story to flow on", err)
	}
	if s.Located != "ac" {
		t.Errorf("located = %q, want the marks of the enrichers that worked, in order", s.Located)
	}
	e := s.Enrichment
	if e == nil || !e.Partial || len(e.Enrichers) != 4 {
		t.Fatalf("enrichment = %+v, want 4 runs, partial", e)
	}
	if e.Enrichers[1].Error != broken.Error() || !strings.HasPrefix(e.Enrichers[2].Error, "panic: ") ||
		e.Enrichers[0].Error != "" || e.Enrichers[3].Error != "" {
		t.Errorf("runs = %+v, want b's error and the recovered panic recorded", e.Enrichers)
	}
	if e.Enrichers[2].Version != "3" {
		t.Errorf("panicker version = %q, want 3", e.Enrichers[2].Version)
	}
	if obs.failed["b"] != 1 || obs.failed["panicker"] != 1 || obs.ok["a"] != 1 || obs.ok["c"] != 1 {
		t.Errorf("observed ok %v failed %v", obs.ok, obs.failed)
	}

	// Run again on the enriched story: the record is replaced, not appended to.
	if err := c.Run(context.Background(), &s, obs); err != nil {
		t.Fatal(err)
	}
	if len(s.Enrichment.Enrichers) != 4 {
		t.Errorf("second run recorded %d runs, want 4", len(s.Enrichment.Enrichers))
	}
}

func TestChainRequiredPanicFailsTheStory(t *testing.T) {
	c := NewChain([]Enricher{panicker{}}, []string{"panicker"}, 0, nil)
	s := pipeline.Story{URI: "u", Version: 1}
	err := c.Run(context.Background(), &s, newRunCounts())
	if err == nil || !strings.Contains(err.Error(), "required enricher panicker: panic") {
		t.Fatalf("Run = %v, want the required enricher's panic as the story's error", err)
	}
	if pipeline.IsPermanent(err) {
		t.Errorf("a panic is marked permanent; it should be retried before the dead-letter topic")
	}
}

func TestChainTextTooLarge(t *testing.T) {
	var runs []string
	big := pipeline.Story{URI: "u", Version: 1, Bodies: []pipeline.Body{{Value: strings.Repeat("word ", 30)}}}

	c := NewChain([]Enricher{recorder{"a", &runs, nil}}, nil, 100, nil)
	s := big
	if err := c.Run(context.Background(), &s, newRunCounts()); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 0 || !s.Enrichment.Partial || !strings.Contains(s.Enrichment.Enrichers[0].Error, "max_text_bytes") {
		t.Errorf("runs %v, enrichment %+v: want no run and the limit recorded", runs, s.Enrichment)
	}

	c = NewChain([]Enricher{recorder{"a", &runs, nil}}, []string{"a"}, 100, nil)
	s = big
	err := c.Run(context.Background(), &s, newRunCounts())
	if !errors.Is(err, ErrTextTooLarge) || !pipeline.IsPermanent(err) {
		t.Errorf("required enricher on a large story: %v, want a permanent ErrTextTooLarge", err)
	}

	c = NewChain([]Enricher{recorder{"a", &runs, nil}}, []string{"a"}, 1000, nil)
	s = big
	if err := c.Run(context.Background(), &s, newRunCounts()); err != nil || s.Located != "a" {
		t.Errorf("after raising the limit: %v, located %q; want the story enriched", err, s.Located)
	}
}

func TestChainStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var runs []string
	c := NewChain([]Enricher{recorder{"a", &runs, ctx.Err()}}, nil, 0, nil)
	s := pipeline.Story{URI: "u", Version: 1}
	if err := c.Run(ctx, &s, newRunCounts()); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want the cancellation, not a partly enriched story", err)
	}
}

func TestChainConfig(t *testing.T) {
	all := EnricherNames()
	for _, tt := range []struct {
		name    string
		cfg     Config
		want    []string
		wantErr string
	}{
		{name: "default is every enricher", cfg: Config{}, want: all},
		{name: "disable takes one out", cfg: Config{Disable: []string{"language"}}, want: without(all, "language")},
		{name: "explicit order", cfg: Config{Enrichers: []string{"language"}}, want: []string{"language"}},
		{name: "unknown enricher", cfg: Config{Enrichers: []string{"astrology"}}, wantErr: `enrich.enrichers: unknown enricher "astrology"`},
		{name: "listed twice", cfg: Config{Enrichers: []string{"language", "language"}}, wantErr: "listed twice"},
		{name: "required but disabled", cfg: Config{Disable: []string{"language"}, Required: []string{"language"}},
			wantErr: `enrich.required: enricher "language" is not in the chain`},
		{name: "negative text limit", cfg: Config{MaxTextBytes: -1}, wantErr: "enrich.max_text_bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Validate = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := BuildChain(tt.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range c.Enrichers() {
				got = append(got, r.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("chain = %v, want %v", got, tt.want)
			}
		})
	}
}

func without(names []string, drop string) []string {
	var out []string
	for _, n := range names {
		if n != drop {
			out = append(out, n)
		}
	}
	return out
}

// TestRegistryNamesMatchEnrichers builds every registered enricher and checks that the
// name the configuration uses is the one the enricher records on stories.
func TestRegistryNamesMatchEnrichers(t *testing.T) {
	res := &resources{log: zap.NewNop()}
	for _, r := range registry() {
		e, err := r.build(res)
		if err != nil {
			t.Fatalf("build %s: %v", r.name, err)
		}
		if e.Name() != r.name || e.Version() == "" {
			t.Errorf("registered as %q, enricher says %q version %q", r.name, e.Name(), e.Version())
		}
	}
}
