// Package config loads a binary's configuration struct from, in rising precedence, the
// struct's defaults, a YAML file, WIREHOSE_* environment variables and command-line flags.
//
// The three sources are derived from one place — the struct's yaml tags — so a field named
// `kafka.brokers` in YAML is WIREHOSE_KAFKA_BROKERS in the environment and --kafka-brokers on
// the command line. Nothing is registered globally.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// EnvPrefix starts every environment variable name.
const EnvPrefix = "WIREHOSE_"

// Spec describes one binary's command line.
type Spec struct {
	Name    string            // program name in usage, e.g. "wirehose-ingest"
	Summary string            // what the binary does, first lines of --help
	Args    string            // positional arguments in usage, e.g. "[URI]"
	Aliases map[string]string // short flag → field path, e.g. "brokers" → "kafka.brokers"
	Help    map[string]string // field path → one-line help
	// Extra registers flags that are not config fields (e.g. a subcommand's own switches).
	Extra func(fs *flag.FlagSet)
	// Env looks up environment variables; nil means os.LookupEnv.
	Env func(string) (string, bool)
	// Out receives --help output; nil means os.Stderr.
	Out io.Writer
}

// Field is one configurable leaf of a config struct.
type Field struct {
	Path string // yaml path, dot-joined: "kafka.brokers"
	Env  string // WIREHOSE_KAFKA_BROKERS
	Flag string // kafka-brokers
	v    reflect.Value
}

// ErrHelp is returned when --help was asked for; the usage has been printed.
var ErrHelp = flag.ErrHelp

// Load fills cfg (a pointer to a struct holding its defaults) and returns the positional
// arguments left after the flags. Errors name the field and the source that set it.
func Load(spec Spec, cfg any, args []string) ([]string, error) {
	fields, err := Fields(cfg)
	if err != nil {
		return nil, err
	}
	byPath := make(map[string]Field, len(fields))
	for _, f := range fields {
		byPath[f.Path] = f
	}
	env := spec.Env
	if env == nil {
		env = os.LookupEnv
	}
	out := spec.Out
	if out == nil {
		out = os.Stderr
	}

	fs := flag.NewFlagSet(spec.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configPath := fs.String("config", "", "YAML config file (env WIREHOSE_CONFIG)")
	set := map[string]string{} // field path → raw flag value, applied after file and env
	for _, f := range fields {
		path := f.Path
		usage := spec.Help[path]
		if usage == "" {
			usage = path
		}
		fs.Var(rawValue{set: set, path: path, show: show(f.v), isBool: f.v.Kind() == reflect.Bool}, f.Flag, fmt.Sprintf("%s (env %s)", usage, f.Env))
	}
	for alias, path := range spec.Aliases {
		f, ok := byPath[path]
		if !ok {
			return nil, fmt.Errorf("config: alias --%s names unknown field %q", alias, path)
		}
		fs.Var(rawValue{set: set, path: path, show: show(f.v), isBool: f.v.Kind() == reflect.Bool}, alias, "same as --"+f.Flag)
	}
	if spec.Extra != nil {
		spec.Extra(fs)
	}
	// Flags may come before or after positional arguments ("topics create --brokers x").
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(out, spec, fs)
				return nil, ErrHelp
			}
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			positional = append(positional, args[1:]...)
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}

	path := *configPath
	if path == "" {
		path, _ = env(EnvPrefix + "CONFIG")
	}
	if path != "" {
		if err := loadFile(path, cfg); err != nil {
			return nil, err
		}
	}
	for _, f := range fields {
		if raw, ok := env(f.Env); ok {
			if err := setValue(f.v, raw); err != nil {
				return nil, fmt.Errorf("%s (from %s): %w", f.Path, f.Env, err)
			}
		}
	}
	// Flags win; apply them in a stable order so errors are deterministic.
	paths := make([]string, 0, len(set))
	for p := range set {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := byPath[p]
		if err := setValue(f.v, set[p]); err != nil {
			return nil, fmt.Errorf("%s (from --%s): %w", f.Path, f.Flag, err)
		}
	}
	return positional, nil
}

func loadFile(path string, cfg any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	node := yaml.Node{}
	if err := yaml.Unmarshal(b, &node); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if len(node.Content) == 0 {
		return nil // empty file: defaults stand
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	return nil
}

// Fields lists the configurable leaves of cfg (a pointer to a struct), following nested
// structs; a field without a yaml tag, or tagged "-", is not configurable.
func Fields(cfg any) ([]Field, error) {
	v := reflect.ValueOf(cfg)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("config: want a pointer to a struct, got %T", cfg)
	}
	var out []Field
	walk(v.Elem(), "", &out)
	return out, nil
}

// EnvNames lists every environment variable a config struct reads, WIREHOSE_CONFIG included.
func EnvNames(cfg any) ([]string, error) {
	fields, err := Fields(cfg)
	if err != nil {
		return nil, err
	}
	names := []string{EnvPrefix + "CONFIG"}
	for _, f := range fields {
		names = append(names, f.Env)
	}
	return names, nil
}

var durationType = reflect.TypeOf(time.Duration(0))

func walk(v reflect.Value, prefix string, out *[]Field) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if opts == "inline" && sf.Type.Kind() == reflect.Struct {
			walk(v.Field(i), prefix, out)
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && fv.Type() != durationType {
			walk(fv, path, out)
			continue
		}
		*out = append(*out, Field{
			Path: path,
			Env:  EnvPrefix + strings.ToUpper(strings.ReplaceAll(path, ".", "_")),
			Flag: strings.ReplaceAll(strings.ReplaceAll(path, ".", "-"), "_", "-"),
			v:    fv,
		})
	}
}

func setValue(v reflect.Value, raw string) error {
	raw = strings.TrimSpace(raw)
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration (like 500ms, 30s, 5m): %q", raw)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(raw)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not a boolean (true or false): %q", raw)
		}
		v.SetBool(b)
	case v.Kind() >= reflect.Int && v.Kind() <= reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not a whole number: %q", raw)
		}
		v.SetInt(n)
	case v.Kind() == reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("not a number: %q", raw)
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var list []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		v.Set(reflect.ValueOf(list))
	default:
		return fmt.Errorf("unsupported config type %s", v.Type())
	}
	return nil
}

func show(v reflect.Value) string {
	switch {
	case v.Type() == durationType:
		return time.Duration(v.Int()).String()
	case v.Kind() == reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v.Interface())
	}
}

// rawValue records a flag's text; it is applied to the struct after the file and env.
type rawValue struct {
	set    map[string]string
	path   string
	show   string
	isBool bool
}

func (r rawValue) String() string {
	if r.set == nil {
		return ""
	}
	return r.show
}

func (r rawValue) Set(s string) error { r.set[r.path] = s; return nil }

// IsBoolFlag lets "--once" stand for "--once=true" for boolean fields.
func (r rawValue) IsBoolFlag() bool { return r.isBool }

func printUsage(w io.Writer, spec Spec, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s [flags] %s\n\n", spec.Name, spec.Args)
	if spec.Summary != "" {
		fmt.Fprintf(w, "%s\n\n", strings.TrimSpace(spec.Summary))
	}
	fmt.Fprintf(w, "Flags (precedence: flag > %s* environment > --config YAML file > default):\n", EnvPrefix)
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s\n        %s%s\n", f.Name, f.Usage, def)
	})
}
