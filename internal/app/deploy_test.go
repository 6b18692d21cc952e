package app

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/wirehose/wirehose/internal/config"
)

// configFor returns a fresh default config of a wirehose subcommand, as a pointer.
func configFor(cmd string) (any, bool) {
	switch cmd {
	case "dev":
		c := DefaultDevConfig()
		return &c, true
	case "ingest":
		c := DefaultIngestConfig()
		return &c, true
	case "enrich":
		c := DefaultEnrichConfig()
		return &c, true
	case "sink":
		c := DefaultSinkConfig()
		return &c, true
	case "topics":
		c := DefaultTopicsConfig()
		return &c, true
	case "stories":
		c := DefaultStoriesConfig()
		return &c, true
	}
	return nil, false
}

// The compose file cannot be run here (no container engine), so check it against the code:
// every worker's command is a real subcommand and every WIREHOSE_* variable is one that
// subcommand reads.
func TestComposeMatchesTheBinaries(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Build       any               `yaml:"build"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("parse compose file: %v", err)
	}
	roles := map[string]bool{}
	for name, svc := range compose.Services {
		if svc.Image != "wirehose:dev" {
			continue
		}
		if len(svc.Command) == 0 {
			t.Errorf("service %s: no command", name)
			continue
		}
		cfg, ok := configFor(svc.Command[0])
		if !ok {
			t.Errorf("service %s: %q is not a wirehose command", name, svc.Command[0])
			continue
		}
		roles[svc.Command[0]] = true
		if svc.Command[0] == "topics" && (len(svc.Command) != 2 || (svc.Command[1] != "create" && svc.Command[1] != "describe")) {
			t.Errorf("service %s: topics needs create or describe, got %q", name, svc.Command)
		}
		names, err := config.EnvNames(cfg)
		if err != nil {
			t.Fatal(err)
		}
		known := map[string]bool{}
		for _, n := range names {
			known[n] = true
		}
		for k, v := range svc.Environment {
			if !known[k] {
				t.Errorf("service %s: %s is not read by `wirehose %s`", name, k, svc.Command[0])
			}
			// The value must load: an invalid duration or number would stop the worker.
			c, _ := configFor(svc.Command[0])
			if _, err := config.Load(config.Spec{Name: name, Env: func(n string) (string, bool) {
				if n == k {
					return v, true
				}
				return "", false
			}}, c, nil); err != nil {
				t.Errorf("service %s: %s=%q: %v", name, k, v, err)
			}
		}
	}
	for _, want := range []string{"ingest", "enrich", "sink"} {
		if !roles[want] {
			t.Errorf("compose file runs no %s worker", want)
		}
	}
}

func TestDockerfileBuildsTheCommands(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	paths := regexp.MustCompile(`\./cmd/[a-z]+`).FindAllString(string(raw), -1)
	if len(paths) < 4 {
		t.Fatalf("Dockerfile builds %v, want the four commands", paths)
	}
	for _, p := range paths {
		if _, err := os.Stat(filepath.Join("../..", p, "main.go")); err != nil {
			t.Errorf("Dockerfile builds %s, which does not exist", p)
		}
	}
	if !strings.Contains(string(raw), "nonroot") {
		t.Error("the image must run as a non-root user")
	}
}

// Every example config file loads into its binary's config and validates.
func TestExampleConfigsValidate(t *testing.T) {
	files, err := filepath.Glob("../../configs/*/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../configs/dev.yaml")
	if len(files) < 7 {
		t.Fatalf("found %d example configs, want dev plus single-node and scaled sets", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			cmd := strings.TrimSuffix(filepath.Base(f), ".yaml")
			cfg, ok := configFor(cmd)
			if !ok {
				t.Fatalf("no command named %q", cmd)
			}
			if _, err := config.Load(config.Spec{Name: cmd, Env: func(string) (string, bool) { return "", false }}, cfg, []string{"--config", f}); err != nil {
				t.Fatal(err)
			}
			if err := cfg.(interface{ Validate() error }).Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Prometheus and Grafana in the compose file read the project's own configuration.
func TestComposeMountsMonitoring(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image   string   `yaml:"image"`
			Volumes []string `yaml:"volumes"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("parse compose file: %v", err)
	}
	for _, tc := range []struct{ image, mount string }{
		{"prom/prometheus", "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"},
		{"prom/prometheus", "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro"},
		{"grafana/grafana", "./grafana/provisioning:/etc/grafana/provisioning:ro"},
		{"grafana/grafana", "./grafana/dashboards:/var/lib/grafana/dashboards:ro"},
	} {
		found := false
		for _, svc := range compose.Services {
			if strings.HasPrefix(svc.Image, tc.image+":") && slices.Contains(svc.Volumes, tc.mount) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s service mounts %s", tc.image, tc.mount)
		}
	}
}
