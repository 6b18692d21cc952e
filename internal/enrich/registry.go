package enrich

import (
	"fmt"
	"slices"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/enrich/entity"
	"github.com/wirehose/wirehose/internal/enrich/gazetteer"
	"github.com/wirehose/wirehose/internal/enrich/topic"
)

// DefaultMaxTextBytes is the largest story text the enrichers take by default.
const DefaultMaxTextBytes = 1 << 20

// registration is one enricher wirehose has: its name and how to build it from the
// reference data loaded for the chain.
type registration struct {
	name  string
	build func(r *resources) (Enricher, error)
}

// registry lists every enricher, in the default order of the chain: each one may use
// what the ones before it set (the entities enricher the dateline's country, the
// quotes enricher the entities). This is the one place an enricher is registered.
func registry() []registration {
	return []registration{
		{"clean", func(*resources) (Enricher, error) { return Clean{}, nil }},
		{"language", func(*resources) (Enricher, error) { return NewLanguage(), nil }},
		{"dateline", func(r *resources) (Enricher, error) {
			g, err := r.gazetteer()
			return Dateline{places: g}, err
		}},
		{"entities", func(r *resources) (Enricher, error) {
			g, err := r.gazetteer()
			if err != nil {
				return nil, err
			}
			return Entities{x: entity.New(g)}, nil
		}},
		{"quotes", func(*resources) (Enricher, error) { return Quotes{}, nil }},
		{"subjects", func(*resources) (Enricher, error) { return Subjects{c: topic.New()}, nil }},
		{"keywords", func(*resources) (Enricher, error) { return Keywords{}, nil }},
		{"tone", func(*resources) (Enricher, error) { return Tone{}, nil }},
	}
}

// EnricherNames returns the name of every enricher, in the default order.
func EnricherNames() []string {
	var names []string
	for _, r := range registry() {
		names = append(names, r.name)
	}
	return names
}

// resources is the reference data enrichers share, loaded at most once per chain and
// only when an enabled enricher needs it.
type resources struct {
	log    *zap.Logger
	places *gazetteer.Gazetteer
}

// gazetteer loads the place data on first use.
func (r *resources) gazetteer() (*gazetteer.Gazetteer, error) {
	if r.places != nil {
		return r.places, nil
	}
	start := time.Now()
	g, err := gazetteer.Load()
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	r.log.Info("gazetteer loaded", zap.Duration("took", time.Since(start)))
	r.places = g
	return g, nil
}

// chainNames is the configured chain: Enrichers (or every enricher) minus Disable.
func (c Config) chainNames() []string {
	names := c.Enrichers
	if len(names) == 0 {
		names = EnricherNames()
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(c.Disable, n) {
			out = append(out, n)
		}
	}
	return out
}

// validateChain checks that the chain's settings name enrichers that exist, once each.
func (c Config) validateChain() error {
	known := EnricherNames()
	for _, list := range []struct {
		field string
		names []string
	}{{"enrich.enrichers", c.Enrichers}, {"enrich.disable", c.Disable}, {"enrich.required", c.Required}} {
		seen := map[string]bool{}
		for _, n := range list.names {
			if !slices.Contains(known, n) {
				return fmt.Errorf("%s: unknown enricher %q (have %v)", list.field, n, known)
			}
			if seen[n] {
				return fmt.Errorf("%s: enricher %q listed twice", list.field, n)
			}
			seen[n] = true
		}
	}
	chain := c.chainNames()
	for _, n := range c.Required {
		if !slices.Contains(chain, n) {
			return fmt.Errorf("enrich.required: enricher %q is not in the chain", n)
		}
	}
	if c.MaxTextBytes < 0 {
		return fmt.Errorf("enrich.max_text_bytes: must not be negative, got %d", c.MaxTextBytes)
	}
	return nil
}

// BuildChain builds the enricher chain cfg configures, loading the reference data its
// enrichers need. cfg should have passed Validate.
func BuildChain(cfg Config, log *zap.Logger) (*Chain, error) {
	if log == nil {
		log = zap.NewNop()
	}
	start := time.Now()
	res := &resources{log: log}
	byName := map[string]registration{}
	for _, r := range registry() {
		byName[r.name] = r
	}
	var enrichers []Enricher
	for _, n := range cfg.chainNames() {
		r, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("enrich: unknown enricher %q", n)
		}
		e, err := r.build(res)
		if err != nil {
			return nil, fmt.Errorf("enrich: build enricher %s: %w", n, err)
		}
		enrichers = append(enrichers, e)
	}
	c := NewChain(enrichers, cfg.Required, cfg.MaxTextBytes, log)
	log.Info("enricher chain ready", zap.Any("enrichers", c.Enrichers()), zap.Strings("required", cfg.Required),
		zap.Duration("took", time.Since(start)))
	return c, nil
}
