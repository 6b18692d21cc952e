package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type kafkaPart struct {
	Brokers      []string      `yaml:"brokers"`
	BatchTimeout time.Duration `yaml:"batch_timeout"`
}

type Common struct {
	Workers int `yaml:"workers"`
}

type testConfig struct {
	Kafka    kafkaPart `yaml:"kafka"`
	DB       string    `yaml:"db"`
	Once     bool      `yaml:"once"`
	Common   `yaml:",inline"`
	internal string
}

func defaults() testConfig {
	return testConfig{Kafka: kafkaPart{Brokers: []string{"localhost:9092"}, BatchTimeout: 5 * time.Millisecond}, DB: "wirehose.db", Common: Common{Workers: 1}}
}

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("kafka:\n  brokers: [file:1]\n  batch_timeout: 10ms\ndb: from-file.db\nworkers: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want testConfig
		rest []string
	}{
		{"defaults only", nil, nil, defaults(), []string{}},
		{"file over defaults", []string{"--config", file}, nil,
			testConfig{Kafka: kafkaPart{Brokers: []string{"file:1"}, BatchTimeout: 10 * time.Millisecond}, DB: "from-file.db", Common: Common{Workers: 3}}, []string{}},
		{"env over file", []string{"--config", file}, map[string]string{"WIREHOSE_KAFKA_BROKERS": "a:1, b:2", "WIREHOSE_ONCE": "true"},
			testConfig{Kafka: kafkaPart{Brokers: []string{"a:1", "b:2"}, BatchTimeout: 10 * time.Millisecond}, DB: "from-file.db", Once: true, Common: Common{Workers: 3}}, []string{}},
		{"flag over env, alias and bool switch", []string{"--brokers", "f:9", "rest", "--once", "--db=x.db"}, map[string]string{"WIREHOSE_KAFKA_BROKERS": "a:1"},
			testConfig{Kafka: kafkaPart{Brokers: []string{"f:9"}, BatchTimeout: 5 * time.Millisecond}, DB: "x.db", Once: true, Common: Common{Workers: 1}}, []string{"rest"}},
		{"config file from env", nil, map[string]string{"WIREHOSE_CONFIG": file},
			testConfig{Kafka: kafkaPart{Brokers: []string{"file:1"}, BatchTimeout: 10 * time.Millisecond}, DB: "from-file.db", Common: Common{Workers: 3}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaults()
			spec := Spec{Name: "t", Aliases: map[string]string{"brokers": "kafka.brokers"}, Env: envOf(tt.env)}
			rest, err := Load(spec, &cfg, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg, tt.want) {
				t.Errorf("config = %+v, want %+v", cfg, tt.want)
			}
			if len(rest)+len(tt.rest) > 0 && !reflect.DeepEqual(rest, tt.rest) {
				t.Errorf("rest = %q, want %q", rest, tt.rest)
			}
		})
	}
}

func TestLoadErrorsNameTheField(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("kafka:\n  brokerz: [x]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad duration flag", []string{"--kafka-batch-timeout", "soon"}, nil, "kafka.batch_timeout (from --kafka-batch-timeout): not a duration"},
		{"bad int env", nil, map[string]string{"WIREHOSE_WORKERS": "two"}, "workers (from WIREHOSE_WORKERS): not a whole number"},
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined: -nope"},
		{"unknown yaml key", []string{"--config", bad}, nil, "field brokerz not found"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.yaml")}, nil, "config file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaults()
			_, err := Load(Spec{Name: "t", Env: envOf(tt.env)}, &cfg, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestHelpListsEveryFieldWithItsEnv(t *testing.T) {
	cfg := defaults()
	var out strings.Builder
	_, err := Load(Spec{Name: "t", Summary: "does things", Out: &out, Env: envOf(nil)}, &cfg, []string{"--help"})
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	for _, want := range []string{"does things", "--kafka-brokers", "WIREHOSE_KAFKA_BROKERS", "--db", "(default wirehose.db)", "--config"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestEnvNames(t *testing.T) {
	names, err := EnvNames(&testConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"WIREHOSE_CONFIG", "WIREHOSE_KAFKA_BROKERS", "WIREHOSE_KAFKA_BATCH_TIMEOUT", "WIREHOSE_DB", "WIREHOSE_ONCE", "WIREHOSE_WORKERS"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("EnvNames = %q, want %q", names, want)
	}
	if _, err := EnvNames(testConfig{}); err == nil {
		t.Error("EnvNames of a non-pointer: want an error")
	}
}
