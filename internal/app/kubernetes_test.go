package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

const kubeDir = "../../deploy/kubernetes"

// The manifests cannot be applied here (no cluster), so they are checked against the code:
// kustomize's few transformers that the manifests use are applied by kustomizeBuild, and
// every rendered worker must start with the configuration it is given.
func TestKubernetesMatchesTheBinaries(t *testing.T) {
	image, entrypoint := dockerImage(t)
	for _, tc := range []struct {
		name, dir  string
		components []string
		complete   bool // secrets provided, namespace set: deployable as it is
	}{
		{name: "base", dir: "base"},
		{name: "example overlay", dir: "overlays/example", complete: true},
		{name: "base with the CPU autoscaler", dir: "base", components: []string{"components/hpa-cpu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := kustomizeBuild(filepath.Join(kubeDir, tc.dir), tc.components...)
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			report := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
			checkManifests(docs, image, entrypoint, tc.complete, report)
			for _, e := range errs {
				t.Error(e)
			}
		})
	}
}

// Every file under deploy/kubernetes is YAML that Kubernetes or kustomize can read: each
// document has an apiVersion, a kind and (unless a kustomization) a name.
func TestEveryManifestParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(kubeDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
			t.Errorf("%s: not a .yaml file", path)
			return nil
		}
		docs, err := readDocs(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		for _, doc := range docs {
			n++
			kind := str(doc["kind"])
			if str(doc["apiVersion"]) == "" || kind == "" {
				t.Errorf("%s: a document without apiVersion or kind", path)
			}
			if kind != "Kustomization" && kind != "Component" && str(get(doc, "metadata", "name")) == "" {
				t.Errorf("%s: %s without metadata.name", path, kind)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("found %d manifests under %s, want the base, its overlay and components", n, kubeDir)
	}
}

// Every path a kustomization names exists, including those of components no overlay uses yet.
func TestKustomizationsReferenceFiles(t *testing.T) {
	files, err := filepath.Glob(kubeDir + "/*/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(kubeDir + "/*/*/kustomization.yaml")
	files = append(files, more...)
	if len(files) < 3 {
		t.Fatalf("found kustomizations %v, want base, an overlay and the hpa-cpu component", files)
	}
	for _, f := range files {
		k, err := readKustomization(filepath.Dir(f))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, p := range k.paths() {
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), p)); err != nil {
				t.Errorf("%s names %s, which does not exist", f, p)
			}
		}
	}
}

// The checks must catch a broken manifest: each case breaks the rendered example overlay in
// one way and wants the error that names it.
func TestKubernetesChecksCatchMistakes(t *testing.T) {
	image, entrypoint := dockerImage(t)
	for _, tc := range []struct {
		name   string
		mutate func(docs []map[string]any)
		want   string
	}{
		{"unknown subcommand", func(d []map[string]any) { setContainer(d, "wirehose-enrich", "args", []any{"enrichment"}) }, "not a wirehose worker"},
		{"misspelt env var", func(d []map[string]any) {
			configMap(d, "wirehose-enrich")["WIREHOSE_CONSUMER_BATCHSIZE"] = "10"
		}, "WIREHOSE_CONSUMER_BATCHSIZE (ConfigMap wirehose-enrich) is not read by `wirehose enrich`"},
		{"env var of another worker", func(d []map[string]any) { configMap(d, "wirehose-enrich")["WIREHOSE_DB"] = "x.db" }, "WIREHOSE_DB (ConfigMap wirehose-enrich) is not read by `wirehose enrich`"},
		{"value that does not load", func(d []map[string]any) { configMap(d, "wirehose-common")["WIREHOSE_SHUTDOWN_TIMEOUT"] = "30" }, "not a duration"},
		{"unknown flag", func(d []map[string]any) { setContainer(d, "wirehose-sink", "args", []any{"sink", "--batch-size", "5"}) }, "flag provided but not defined"},
		{"config that does not validate", func(d []map[string]any) { configMap(d, "wirehose-enrich")["WIREHOSE_CONSUMER_SESSION_TIMEOUT"] = "1s" }, "consumer.session_timeout"},
		{"probe on the wrong path", func(d []map[string]any) {
			get(container(d, "wirehose-ingest"), "readinessProbe", "httpGet").(map[string]any)["path"] = "/ready"
		}, "readinessProbe path"},
		{"http_addr moved off the container port", func(d []map[string]any) { configMap(d, "wirehose-common")["WIREHOSE_HTTP_ADDR"] = ":9100" }, "http_addr port 9100"},
		{"grace period shorter than the shutdown timeout", func(d []map[string]any) {
			get(deployment(d, "wirehose-sink"), "spec", "template", "spec").(map[string]any)["terminationGracePeriodSeconds"] = 20
		}, "terminationGracePeriodSeconds 20"},
		{"root filesystem writable", func(d []map[string]any) {
			container(d, "wirehose-enrich")["securityContext"].(map[string]any)["readOnlyRootFilesystem"] = false
		}, "readOnlyRootFilesystem"},
		{"another image", func(d []map[string]any) { setContainer(d, "wirehose-sink", "image", "registry.example.com/other:1") }, "image"},
		{"scaler on the wrong group", func(d []map[string]any) { trigger(d)["consumerGroup"] = "wirehose-sink" }, "consumerGroup"},
		{"scaler on the wrong topic", func(d []map[string]any) { trigger(d)["topic"] = "wire.stories" }, "topic"},
		{"more replicas than partitions", func(d []map[string]any) {
			find(d, "ScaledObject", "wirehose-enrich")["spec"].(map[string]any)["maxReplicaCount"] = 48
		}, "maxReplicaCount 48"},
		{"missing secret", func(d []map[string]any) {
			for _, doc := range d {
				if str(doc["kind"]) == "Secret" {
					doc["kind"] = "Gone"
				}
			}
		}, "Secret"},
		{"feeds file not mounted", func(d []map[string]any) { configMap(d, "wirehose-ingest")["WIREHOSE_FEEDS"] = "/etc/feeds.yaml" }, "not in a mounted ConfigMap"},
		{"service selecting nothing", func(d []map[string]any) {
			get(find(d, "Service", "wirehose-sink"), "spec", "selector").(map[string]any)["app.kubernetes.io/name"] = "sink"
		}, "selects no Deployment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := kustomizeBuild(filepath.Join(kubeDir, "overlays/example"))
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(docs)
			var errs []string
			checkManifests(docs, image, entrypoint, true, func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) })
			for _, e := range errs {
				if strings.Contains(e, tc.want) {
					return
				}
			}
			t.Errorf("no error mentions %q; got %q", tc.want, errs)
		})
	}
}

// dockerImage returns the image name the Dockerfile documents (docker build -t NAME) and its
// ENTRYPOINT.
func dockerImage(t *testing.T) (string, []string) {
	t.Helper()
	raw, err := os.ReadFile("../../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`docker build .*-t ([a-z0-9./_-]+)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("Dockerfile: no `docker build ... -t NAME` line naming the image")
	}
	e := regexp.MustCompile(`(?m)^ENTRYPOINT (\[.*\])`).FindSubmatch(raw)
	if e == nil {
		t.Fatal("Dockerfile: no exec-form ENTRYPOINT")
	}
	var entry []string
	if err := yaml.Unmarshal(e[1], &entry); err != nil {
		t.Fatalf("Dockerfile ENTRYPOINT: %v", err)
	}
	return string(m[1]), entry
}

// worker is a Deployment's container with the configuration it would start with.
type worker struct {
	deploy    map[string]any
	container map[string]any
	cmd       string
	cfg       Configurable
	env       map[string]string
}

func checkManifests(docs []map[string]any, image string, entrypoint []string, complete bool, report func(string, ...any)) {
	workers := map[string]*worker{} // by Deployment name
	for _, d := range docs {
		if str(d["kind"]) == "Deployment" {
			if w := checkDeployment(docs, d, image, entrypoint, complete, report); w != nil {
				workers[str(get(d, "metadata", "name"))] = w
			}
		}
	}
	roles := map[string]bool{}
	for _, w := range workers {
		roles[w.cmd] = true
	}
	for _, want := range []string{"ingest", "enrich", "sink"} {
		if !roles[want] {
			report("no Deployment runs `wirehose %s`", want)
		}
	}
	for _, d := range docs {
		name := str(get(d, "metadata", "name"))
		switch str(d["kind"]) {
		case "Service":
			checkService(d, name, docs, workers, report)
		case "PodDisruptionBudget":
			if selected(docs, get(d, "spec", "selector", "matchLabels")) == nil {
				report("PodDisruptionBudget %s selects no Deployment", name)
			}
		case "ScaledObject":
			checkScaledObject(d, name, workers, report)
		case "HorizontalPodAutoscaler":
			w := workers[str(get(d, "spec", "scaleTargetRef", "name"))]
			if w == nil {
				report("HorizontalPodAutoscaler %s targets no Deployment", name)
				continue
			}
			if max := toInt(get(d, "spec", "maxReplicas")); max > partitions(w) {
				report("HorizontalPodAutoscaler %s: maxReplicas %d is more than the %d partitions its workers share", name, max, partitions(w))
			}
		}
	}
	for name := range workers {
		if find(docs, "PodDisruptionBudget", name) == nil {
			report("Deployment %s has no PodDisruptionBudget", name)
		}
	}
}

func checkDeployment(docs []map[string]any, d map[string]any, image string, entrypoint []string, complete bool, report func(string, ...any)) *worker {
	name := str(get(d, "metadata", "name"))
	pod, _ := get(d, "spec", "template", "spec").(map[string]any)
	containers := list(pod["containers"])
	if len(containers) != 1 {
		report("Deployment %s: want one container, got %d", name, len(containers))
		return nil
	}
	c, _ := containers[0].(map[string]any)
	where := fmt.Sprintf("Deployment %s", name)

	img := str(c["image"])
	repo := img
	if i := strings.LastIndex(img, ":"); i > strings.LastIndex(img, "/") {
		repo = img[:i]
	}
	if repo != image && !strings.HasSuffix(repo, "/"+image) {
		report("%s: image %q is not the %q image deploy/Dockerfile builds", where, img, image)
	}
	if cmd := strings.Join(strs(c["command"]), " "); cmd != "" && cmd != strings.Join(entrypoint, " ") {
		report("%s: command %q replaces the image's entrypoint %q", where, cmd, entrypoint)
	}
	args := strs(c["args"])
	if len(args) == 0 {
		report("%s: no args; want a worker subcommand", where)
		return nil
	}
	cfg, ok := workerConfig(args[0])
	if !ok {
		report("%s: %q is not a wirehose worker (ingest, enrich or sink)", where, args[0])
		return nil
	}
	w := &worker{deploy: d, container: c, cmd: args[0], env: map[string]string{}}

	// The environment: envFrom ConfigMaps first, then env, as the kubelet does.
	known := map[string]bool{}
	names, _ := config.EnvNames(cfg)
	for _, n := range names {
		known[n] = true
	}
	addEnv := func(k, v, from string) {
		if !strings.HasPrefix(k, config.EnvPrefix) {
			return
		}
		if !known[k] {
			report("%s: %s (%s) is not read by `wirehose %s`", where, k, from, w.cmd)
			return
		}
		one, _ := workerConfig(w.cmd)
		if _, err := config.Load(config.Spec{Name: name, Env: only(k, v)}, one, nil); err != nil {
			report("%s: %s=%q (%s): %v", where, k, v, from, err)
			return
		}
		w.env[k] = v
	}
	for _, ef := range list(c["envFrom"]) {
		ref := str(get(ef, "configMapRef", "name"))
		if ref == "" {
			report("%s: envFrom other than a ConfigMap is not checked", where)
			continue
		}
		cm := find(docs, "ConfigMap", ref)
		if cm == nil {
			report("%s: envFrom ConfigMap %s does not exist", where, ref)
			continue
		}
		data, _ := cm["data"].(map[string]any)
		for _, k := range sortedKeys(data) {
			addEnv(k, str(data[k]), "ConfigMap "+ref)
		}
	}
	for _, e := range list(c["env"]) {
		k := str(get(e, "name"))
		switch {
		case get(e, "value") != nil:
			addEnv(k, str(get(e, "value")), "env")
		case get(e, "valueFrom", "configMapKeyRef") != nil:
			ref, key := str(get(e, "valueFrom", "configMapKeyRef", "name")), str(get(e, "valueFrom", "configMapKeyRef", "key"))
			v, ok := get(find(docs, "ConfigMap", ref), "data", key).(string)
			if !ok {
				report("%s: %s: ConfigMap %s has no key %s", where, k, ref, key)
				continue
			}
			addEnv(k, v, "ConfigMap "+ref)
		case get(e, "valueFrom", "secretKeyRef") != nil:
			ref, key := str(get(e, "valueFrom", "secretKeyRef", "name")), str(get(e, "valueFrom", "secretKeyRef", "key"))
			v, ok := get(find(docs, "Secret", ref), "stringData", key).(string)
			if !ok {
				if complete {
					report("%s: %s: Secret %s with key %s is not in the manifests", where, k, ref, key)
				}
				v = "postgres://wirehose@postgres:5432/wirehose"
			}
			addEnv(k, v, "Secret "+ref)
		default:
			addEnv(k, "", "env")
		}
	}

	// The whole configuration, flags included, loads and validates.
	rest, err := config.Load(config.Spec{Name: name, Env: func(k string) (string, bool) { v, ok := w.env[k]; return v, ok }}, cfg, args[1:])
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		report("%s: `wirehose %s` would not start: %v", where, strings.Join(args, " "), err)
		return nil
	}
	w.cfg = cfg
	p := cfg.process()

	// Probes and ports: the container's http port is the port of http_addr.
	_, portText, err := net.SplitHostPort(p.HTTPAddr)
	httpPort, perr := strconv.Atoi(portText)
	if err != nil || perr != nil {
		report("%s: http_addr %q has no port; the probes need it", where, p.HTTPAddr)
		return w
	}
	ports := map[string]int{}
	hasHTTP := false
	for _, cp := range list(c["ports"]) {
		n := toInt(get(cp, "containerPort"))
		ports[str(get(cp, "name"))] = n
		hasHTTP = hasHTTP || n == httpPort
	}
	if !hasHTTP {
		report("%s: http_addr port %d is not a container port (%v)", where, httpPort, ports)
	}
	for probe, want := range map[string][]string{"livenessProbe": {"/healthz"}, "readinessProbe": {"/readyz"}, "startupProbe": {"/healthz", "/readyz"}} {
		pr := get(c, probe, "httpGet")
		if pr == nil {
			if probe != "startupProbe" {
				report("%s: no %s on %s", where, probe, want[0])
			}
			continue
		}
		if path := str(get(pr, "path")); !slices.Contains(want, path) {
			report("%s: %s path %q, want %s", where, probe, path, strings.Join(want, " or "))
		}
		if got := resolvePort(get(pr, "port"), ports); got != httpPort {
			report("%s: %s on port %v, but http_addr listens on %d", where, probe, get(pr, "port"), httpPort)
		}
	}
	if grace := toInt(pod["terminationGracePeriodSeconds"]); time.Duration(grace)*time.Second <= p.ShutdownTimeout {
		report("%s: terminationGracePeriodSeconds %d is not longer than shutdown_timeout %s: the kubelet would kill a worker still committing", where, grace, p.ShutdownTimeout)
	}

	// Runs as the image's non-root user on a read-only root filesystem, with bounded resources.
	if get(pod, "securityContext", "runAsNonRoot") != true && get(c, "securityContext", "runAsNonRoot") != true {
		report("%s: runAsNonRoot is not set", where)
	}
	if get(c, "securityContext", "readOnlyRootFilesystem") != true {
		report("%s: readOnlyRootFilesystem is not set", where)
	}
	if get(c, "securityContext", "allowPrivilegeEscalation") != false {
		report("%s: allowPrivilegeEscalation is not false", where)
	}
	for _, r := range []string{"requests", "limits"} {
		for _, k := range []string{"cpu", "memory"} {
			if get(c, "resources", r, k) == nil {
				report("%s: resources.%s.%s is not set", where, r, k)
			}
		}
	}

	// Volumes name ConfigMaps that exist; ingest's feeds file is one of them and parses.
	volumes := map[string]string{} // volume name → ConfigMap
	for _, v := range list(pod["volumes"]) {
		if ref := str(get(v, "configMap", "name")); ref != "" {
			if find(docs, "ConfigMap", ref) == nil {
				report("%s: volume %s: ConfigMap %s does not exist", where, str(get(v, "name")), ref)
			}
			volumes[str(get(v, "name"))] = ref
		}
	}
	if ic, ok := cfg.(*IngestConfig); ok {
		data, found := mountedFile(docs, c, volumes, ic.Feeds)
		if !found {
			report("%s: feeds file %s is not in a mounted ConfigMap", where, ic.Feeds)
		} else if err := checkFeedsFile(data); err != nil {
			report("%s: feeds file %s: %v", where, ic.Feeds, err)
		}
	}
	return w
}

func checkService(d map[string]any, name string, docs []map[string]any, workers map[string]*worker, report func(string, ...any)) {
	dep := selected(docs, get(d, "spec", "selector"))
	if dep == nil {
		report("Service %s selects no Deployment", name)
		return
	}
	w := workers[str(get(dep, "metadata", "name"))]
	if w == nil {
		return // the Deployment's own errors are reported
	}
	ports := map[string]int{}
	for _, cp := range list(w.container["ports"]) {
		ports[str(get(cp, "name"))] = toInt(get(cp, "containerPort"))
	}
	_, httpPort, _ := net.SplitHostPort(w.cfg.process().HTTPAddr)
	for _, sp := range list(get(d, "spec", "ports")) {
		target := get(sp, "targetPort")
		if target == nil {
			target = get(sp, "port")
		}
		if got := resolvePort(target, ports); strconv.Itoa(got) != httpPort {
			report("Service %s: targetPort %v is not the metrics port %s", name, target, httpPort)
		}
	}
}

func checkScaledObject(d map[string]any, name string, workers map[string]*worker, report func(string, ...any)) {
	w := workers[str(get(d, "spec", "scaleTargetRef", "name"))]
	if w == nil {
		report("ScaledObject %s targets no worker Deployment", name)
		return
	}
	ec, ok := w.cfg.(*EnrichConfig)
	if !ok {
		report("ScaledObject %s scales `wirehose %s`; only enrich scales on lag", name, w.cmd)
		return
	}
	triggers := list(get(d, "spec", "triggers"))
	if len(triggers) == 0 {
		report("ScaledObject %s has no triggers", name)
	}
	for _, tr := range triggers {
		if str(get(tr, "type")) != "kafka" {
			report("ScaledObject %s: trigger %q, want kafka", name, str(get(tr, "type")))
			continue
		}
		md := get(tr, "metadata")
		if g := str(get(md, "consumerGroup")); g != EnrichGroup || g != ec.Consumer.Group {
			report("ScaledObject %s: consumerGroup %q, but enrich consumes as %q", name, g, ec.Consumer.Group)
		}
		if topic := str(get(md, "topic")); topic != pipeline.DefaultTopicPrefix+"raw" || topic != ec.Kafka.Topics().Raw {
			report("ScaledObject %s: topic %q, but enrich consumes %q", name, topic, ec.Kafka.Topics().Raw)
		}
		if b := str(get(md, "bootstrapServers")); b != strings.Join(ec.Kafka.Brokers, ",") {
			report("ScaledObject %s: bootstrapServers %q, but enrich uses %q", name, b, strings.Join(ec.Kafka.Brokers, ","))
		}
		if n, err := strconv.Atoi(str(get(md, "lagThreshold"))); err != nil || n < 1 {
			report("ScaledObject %s: lagThreshold %q is not a positive number", name, str(get(md, "lagThreshold")))
		}
	}
	if max := toInt(get(d, "spec", "maxReplicaCount")); max < 1 || max > ec.Topics.Partitions {
		report("ScaledObject %s: maxReplicaCount %d, want 1 to the raw topic's %d partitions", name, max, ec.Topics.Partitions)
	}
}

// workerConfig returns the default config of a worker subcommand.
func workerConfig(cmd string) (Configurable, bool) {
	if cmd != "ingest" && cmd != "enrich" && cmd != "sink" {
		return nil, false
	}
	c, ok := configFor(cmd)
	if !ok {
		return nil, false
	}
	w, ok := c.(Configurable)
	return w, ok
}

func partitions(w *worker) int {
	switch c := w.cfg.(type) {
	case *EnrichConfig:
		return c.Topics.Partitions
	case *SinkConfig:
		return c.Topics.Partitions
	case *IngestConfig:
		return c.Topics.FeedStatePartitions
	}
	return 0
}

func only(name, value string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		if k == name {
			return value, true
		}
		return "", false
	}
}

// mountedFile returns the content of path when a volume mount of the container places a
// ConfigMap key there.
func mountedFile(docs []map[string]any, c map[string]any, volumes map[string]string, path string) (string, bool) {
	for _, m := range list(c["volumeMounts"]) {
		cm, ok := volumes[str(get(m, "name"))]
		dir := strings.TrimSuffix(str(get(m, "mountPath")), "/")
		if !ok || filepath.Dir(path) != dir {
			continue
		}
		if v, ok := get(find(docs, "ConfigMap", cm), "data", filepath.Base(path)).(string); ok {
			return v, true
		}
	}
	return "", false
}

func checkFeedsFile(data string) error {
	f, err := os.CreateTemp("", "feeds-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(data); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	_, err = feed.LoadFeeds(f.Name())
	return err
}

func resolvePort(p any, named map[string]int) int {
	if s, ok := p.(string); ok {
		if n, ok := named[s]; ok {
			return n
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	return toInt(p)
}

// selected returns the first Deployment whose pod labels carry every label of selector.
func selected(docs []map[string]any, selector any) map[string]any {
	sel, _ := selector.(map[string]any)
	if len(sel) == 0 {
		return nil
	}
	for _, d := range docs {
		if str(d["kind"]) != "Deployment" {
			continue
		}
		labels, _ := get(d, "spec", "template", "metadata", "labels").(map[string]any)
		match := true
		for k, v := range sel {
			match = match && labels[k] == v
		}
		if match {
			return d
		}
	}
	return nil
}

// kustomization is the part of kustomization.yaml these manifests use.
type kustomization struct {
	Namespace  string   `yaml:"namespace"`
	Resources  []string `yaml:"resources"`
	Components []string `yaml:"components"`
	Patches    []struct {
		Path  string `yaml:"path"`
		Patch string `yaml:"patch"`
	} `yaml:"patches"`
	Images []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
	} `yaml:"images"`
	Replicas []struct {
		Name  string `yaml:"name"`
		Count int    `yaml:"count"`
	} `yaml:"replicas"`
	SecretGenerator []struct {
		Name     string   `yaml:"name"`
		Literals []string `yaml:"literals"`
	} `yaml:"secretGenerator"`
}

func (k kustomization) paths() []string {
	out := append(append([]string{}, k.Resources...), k.Components...)
	for _, p := range k.Patches {
		if p.Path != "" {
			out = append(out, p.Path)
		}
	}
	return out
}

func readKustomization(dir string) (kustomization, error) {
	var k kustomization
	raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return k, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(false)
	if err := dec.Decode(&k); err != nil {
		return k, fmt.Errorf("%s/kustomization.yaml: %w", dir, err)
	}
	return k, nil
}

// kustomizeBuild renders dir the way `kubectl kustomize` does for what these manifests use:
// resources (files and directories), components, strategic-merge patches (lists of named
// items merged by name, `$patch: delete`), images, replicas and secret generators (kept
// under their own names, without the hash suffix).
func kustomizeBuild(dir string, extraComponents ...string) ([]map[string]any, error) {
	k, err := readKustomization(dir)
	if err != nil {
		return nil, err
	}
	var docs []map[string]any
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: resource %s: %w", dir, r, err)
		}
		var more []map[string]any
		if st.IsDir() {
			more, err = kustomizeBuild(p)
		} else {
			more, err = readDocs(p)
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, more...)
	}
	for _, s := range k.SecretGenerator {
		data := map[string]any{}
		for _, l := range s.Literals {
			key, v, _ := strings.Cut(l, "=")
			data[key] = v
		}
		docs = append(docs, map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": s.Name}, "stringData": data})
	}
	components := append([]string{}, k.Components...)
	for _, c := range extraComponents {
		rel, err := filepath.Rel(dir, filepath.Join(kubeDir, c))
		if err != nil {
			return nil, err
		}
		components = append(components, rel)
	}
	for _, c := range components {
		cd := filepath.Join(dir, c)
		ck, err := readKustomization(cd)
		if err != nil {
			return nil, err
		}
		for _, r := range ck.Resources {
			more, err := readDocs(filepath.Join(cd, r))
			if err != nil {
				return nil, err
			}
			docs = append(docs, more...)
		}
		if docs, err = applyPatches(docs, cd, ck); err != nil {
			return nil, err
		}
	}
	if docs, err = applyPatches(docs, dir, k); err != nil {
		return nil, err
	}
	for _, d := range docs {
		if k.Namespace != "" && str(d["kind"]) != "Namespace" {
			d["metadata"].(map[string]any)["namespace"] = k.Namespace
		}
		if str(d["kind"]) != "Deployment" {
			continue
		}
		for _, r := range k.Replicas {
			if str(get(d, "metadata", "name")) == r.Name {
				d["spec"].(map[string]any)["replicas"] = r.Count
			}
		}
		for _, c := range list(get(d, "spec", "template", "spec", "containers")) {
			c := c.(map[string]any)
			for _, im := range k.Images {
				img := str(c["image"])
				if img == im.Name || strings.HasPrefix(img, im.Name+":") {
					name := im.Name
					if im.NewName != "" {
						name = im.NewName
					}
					if im.NewTag != "" {
						name += ":" + im.NewTag
					}
					c["image"] = name
				}
			}
		}
	}
	return docs, nil
}

func applyPatches(docs []map[string]any, dir string, k kustomization) ([]map[string]any, error) {
	for _, p := range k.Patches {
		var patches []map[string]any
		var err error
		if p.Path != "" {
			patches, err = readDocs(filepath.Join(dir, p.Path))
		} else {
			patches, err = decodeDocs(strings.NewReader(p.Patch), dir+" inline patch")
		}
		if err != nil {
			return nil, err
		}
		for _, patch := range patches {
			kind, name := str(patch["kind"]), str(get(patch, "metadata", "name"))
			i := slices.IndexFunc(docs, func(d map[string]any) bool {
				return str(d["kind"]) == kind && str(get(d, "metadata", "name")) == name
			})
			if i < 0 {
				return nil, fmt.Errorf("%s: patch of %s %s, which no resource defines", dir, kind, name)
			}
			if patch["$patch"] == "delete" {
				docs = slices.Delete(docs, i, i+1)
				continue
			}
			docs[i] = merge(docs[i], patch).(map[string]any)
		}
	}
	return docs, nil
}

// merge applies a strategic-merge patch: maps merge key by key, lists of maps with a name
// merge item by item, other values are replaced.
func merge(dst, patch any) any {
	switch p := patch.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			return p
		}
		for k, v := range p {
			d[k] = merge(d[k], v)
		}
		return d
	case []any:
		d, ok := dst.([]any)
		if !ok || len(p) == 0 || str(get(p[0], "name")) == "" {
			return p
		}
		for _, item := range p {
			i := slices.IndexFunc(d, func(x any) bool { return str(get(x, "name")) == str(get(item, "name")) })
			if i < 0 {
				d = append(d, item)
			} else {
				d[i] = merge(d[i], item)
			}
		}
		return d
	}
	return patch
}

func readDocs(path string) ([]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeDocs(f, path)
}

func decodeDocs(r io.Reader, name string) ([]map[string]any, error) {
	dec := yaml.NewDecoder(r)
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
}

// get walks nested maps; a missing key gives nil.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, str(x))
	}
	return out
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func toInt(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case string:
		i, _ := strconv.Atoi(n)
		return i
	}
	return 0
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func find(docs []map[string]any, kind, name string) map[string]any {
	for _, d := range docs {
		if str(d["kind"]) == kind && str(get(d, "metadata", "name")) == name {
			return d
		}
	}
	return nil
}

func deployment(docs []map[string]any, name string) map[string]any {
	return find(docs, "Deployment", name)
}

func container(docs []map[string]any, deploymentName string) map[string]any {
	return list(get(deployment(docs, deploymentName), "spec", "template", "spec", "containers"))[0].(map[string]any)
}

func setContainer(docs []map[string]any, deploymentName, key string, v any) {
	container(docs, deploymentName)[key] = v
}

func configMap(docs []map[string]any, name string) map[string]any {
	return find(docs, "ConfigMap", name)["data"].(map[string]any)
}

func trigger(docs []map[string]any) map[string]any {
	return get(list(get(find(docs, "ScaledObject", "wirehose-enrich"), "spec", "triggers"))[0], "metadata").(map[string]any)
}
