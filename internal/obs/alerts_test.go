package obs

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wirehose/wirehose/internal/feed"
)

const deployDir = "../../deploy"

// registeredNames builds a Metrics, feeds every hook once so that each family has a
// series, and returns the names a scrape shows, histograms with their _bucket, _sum
// and _count.
func registeredNames(t *testing.T) map[string]bool {
	t.Helper()
	m := NewMetrics()
	m.Consumed("enrich", 1)
	m.Produced("enrich", 1)
	m.Failed("sink", "flush")
	m.DeadLettered("enrich")
	m.Processing("enrich", time.Millisecond)
	m.FeedPolled("afp", feed.PollReport{Status: 200, Bytes: 1, New: 1, LastSuccess: time.Now(), NextPoll: time.Now(), Interval: time.Minute})
	m.FeedPolled("afp", feed.PollReport{Status: 200, ParseError: true, ErrorStreak: 1})
	m.StoryVersion("new")
	m.StoryAppearance("duplicate")
	m.RepeatDropped()
	m.Enriched("entities", time.Millisecond, false)
	m.Enriched("entities", 0, true)
	m.Stored("story", time.Second)
	m.ConsumerLag("wirehose-enrich", "wire.raw", map[int]int64{0: 3})
	m.TopicSize("wire.dlq", map[int]int64{0: 1})
	m.WatchReady(map[string]Check{"consumer": func() bool { return true }})

	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		n := mf.GetName()
		switch mf.GetType().String() {
		case "HISTOGRAM":
			names[n+"_bucket"], names[n+"_sum"], names[n+"_count"] = true, true, true
		case "SUMMARY":
			names[n+"_sum"], names[n+"_count"], names[n] = true, true, true
		default:
			names[n] = true
		}
	}
	return names
}

var metricName = regexp.MustCompile(`\bwirehose_[a-z0-9_]+`)

// usedNames lists the wirehose metric names an expression refers to.
func usedNames(expr string) []string { return metricName.FindAllString(expr, -1) }

func alertExprs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	out := map[string]string{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" || r.Expr == "" {
				t.Errorf("alerts.yml: a rule without alert name or expression: %+v", r)
			}
			out[r.Alert] = r.Expr
		}
	}
	return out
}

func dashboardExprs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployDir, "grafana", "dashboards", "wirehose.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("wirehose.json: %v", err)
	}
	out := map[string]string{}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("dashboard panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			out[p.Title+" "+tg.RefID] = tg.Expr
		}
	}
	return out
}

func TestAlertsAndDashboardUseRegisteredMetrics(t *testing.T) {
	names := registeredNames(t)
	sources := map[string]map[string]string{"alerts.yml": alertExprs(t), "wirehose.json": dashboardExprs(t)}
	for file, exprs := range sources {
		if len(exprs) == 0 {
			t.Errorf("%s: no expressions found", file)
		}
		for where, expr := range exprs {
			used := usedNames(expr)
			if len(used) == 0 && !regexp.MustCompile(`^up\b`).MatchString(expr) {
				t.Errorf("%s %s: %q uses no wirehose metric", file, where, expr)
			}
			for _, n := range used {
				if !names[n] {
					t.Errorf("%s %s: %s is not a metric wirehose registers", file, where, n)
				}
			}
		}
	}
}

func TestRuleTestSeriesAreRegistered(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "prometheus", "alerts_test.yml"))
	if err != nil {
		t.Fatal(err)
	}
	names := registeredNames(t)
	var used []string
	for _, line := range regexp.MustCompile(`(?m)^\s*- series:.*$`).FindAllString(string(b), -1) {
		used = append(used, usedNames(line)...)
	}
	if len(used) == 0 {
		t.Fatal("alerts_test.yml names no wirehose series")
	}
	for _, n := range used {
		if !names[n] {
			t.Errorf("alerts_test.yml: %s is not a metric wirehose registers", n)
		}
	}
}

func TestAlertsCoverTheOperatorsQuestions(t *testing.T) {
	exprs := alertExprs(t)
	tests := []struct {
		question string
		metric   string
	}{
		{"a feed failing", "wirehose_feed_error_streak"},
		{"a feed silent", "wirehose_feed_silent"},
		{"lag growing", "wirehose_consumer_lag"},
		{"dead letters written", "wirehose_dlq_messages_total"},
		{"the sink failing", "wirehose_errors_total"},
		{"a worker not ready", "wirehose_ready"},
	}
	for _, tt := range tests {
		found := false
		for _, expr := range exprs {
			for _, n := range usedNames(expr) {
				found = found || n == tt.metric
			}
		}
		if !found {
			t.Errorf("no alert on %s (%s)", tt.question, tt.metric)
		}
	}
}

func TestUsedNames(t *testing.T) {
	got := usedNames(`histogram_quantile(0.9, sum by (le) (rate(wirehose_end_to_end_seconds_bucket[5m]))) / up{job="wirehose"}`)
	sort.Strings(got)
	if len(got) != 1 || got[0] != "wirehose_end_to_end_seconds_bucket" {
		t.Errorf("usedNames = %q, want the one histogram bucket series", got)
	}
}

// TestAlertRules runs the rules' unit tests in alerts_test.yml with promtool, when it
// is installed (Debian and Ubuntu: apt-get install prometheus).
func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (apt-get install prometheus): alert rule unit tests not run")
	}
	dir := filepath.Join(deployDir, "prometheus")
	for _, args := range [][]string{
		{"check", "config", "prometheus.yml"},
		{"test", "rules", "alerts_test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
