package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
)

// serveHTTP starts the worker's /metrics, /healthz and /readyz endpoint, if configured,
// and returns a function that waits for it to stop after ctx ends. The readiness checks
// are exported as wirehose_ready too, for alerts.
func serveHTTP(ctx context.Context, addr string, m *obs.Metrics, log *zap.Logger, checks map[string]obs.Check) (wait func() error, err error) {
	m.WatchReady(checks)
	if addr == "" {
		return func() error { return nil }, nil
	}
	srv, err := obs.Listen(addr, m, log, checks)
	if err != nil {
		return nil, err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx) }()
	return func() error { return <-errc }, nil
}

// ensureTopics creates the pipeline's topics when the worker is asked to, after waiting for
// the brokers to answer.
func ensureTopics(ctx context.Context, kc kafka.Config, t Topics, log *zap.Logger) error {
	if err := kafka.WaitReady(ctx, kc); err != nil {
		return fmt.Errorf("kafka %v: %w", kc.Brokers, err)
	}
	if !t.Create {
		return nil
	}
	created, err := kafka.EnsureTopics(ctx, kc, t.specs(kc.Topics())...)
	if err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	if len(created) > 0 {
		log.Info("topics created", zap.Strings("topics", created))
	}
	return nil
}

// group runs functions until all return; the first error cancels the others.
type group struct {
	wg     sync.WaitGroup
	cancel context.CancelFunc
	mu     sync.Mutex
	errs   []error
}

func newGroup(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(name string, fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
			g.mu.Lock()
			g.errs = append(g.errs, fmt.Errorf("%s: %w", name, err))
			g.mu.Unlock()
			g.cancel()
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return errors.Join(g.errs...)
}
