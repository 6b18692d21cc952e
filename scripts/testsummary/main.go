// Command testsummary reads `go test -json` on stdin and prints what a person needs from a
// long run: one line per package as go test prints it, the reason of every skipped test
// (a skip must say why), the whole output of every failed test, and a closing count line.
// It exits 1 when any test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
	Elapsed    float64
}

type key struct{ pkg, test string }

func main() {
	os.Exit(summarize(os.Stdin, os.Stdout))
}

func summarize(in io.Reader, out io.Writer) int {
	outputs := map[key][]string{}
	var passed, failed, skipped int
	var skips, failures []string
	failedPkg := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			fmt.Fprintln(out, string(line)) // not an event: pass it through
			continue
		}
		k := key{e.Package, e.Test}
		switch e.Action {
		case "build-output":
			fmt.Fprint(out, e.Output)
		case "build-fail":
			failedPkg = true
		case "output":
			outputs[k] = append(outputs[k], e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				printPackage(out, e, outputs[k])
				if e.Action == "fail" {
					failedPkg = true
				}
				delete(outputs, k)
				continue
			}
			switch e.Action {
			case "pass":
				passed++
			case "fail":
				failed++
				failures = append(failures, fmt.Sprintf("--- FAIL: %s (%s)\n%s", e.Test, e.Package, strings.Join(outputs[k], "")))
			case "skip":
				skipped++
				skips = append(skips, fmt.Sprintf("%s (%s): %s", e.Test, shortPkg(e.Package), reason(outputs[k])))
			}
			delete(outputs, k)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testsummary: read:", err)
		return 1
	}
	if len(skips) > 0 {
		sort.Strings(skips)
		fmt.Fprintf(out, "\nskipped tests and why:\n")
		for _, s := range skips {
			fmt.Fprintf(out, "  %s\n", s)
		}
	}
	for _, f := range failures {
		fmt.Fprintf(out, "\n%s", f)
	}
	fmt.Fprintf(out, "\ntests: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 || failedPkg {
		return 1
	}
	return 0
}

func printPackage(out io.Writer, e event, lines []string) {
	switch e.Action {
	case "pass":
		if hasNoTests(lines) {
			fmt.Fprintf(out, "?   \t%s\t[no test files]\n", e.Package)
			return
		}
		fmt.Fprintf(out, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
	case "skip":
		fmt.Fprintf(out, "?   \t%s\t[no test files]\n", e.Package)
	case "fail":
		// Package-level output holds panics, timeouts and TestMain failures.
		fmt.Fprint(out, strings.Join(lines, ""))
		fmt.Fprintf(out, "FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
	}
}

func hasNoTests(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "[no test files]") {
			return true
		}
	}
	return false
}

// reason keeps the test's own lines (what t.Skip printed), not go test's framing.
func reason(lines []string) string {
	var keep []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		keep = append(keep, t)
	}
	if len(keep) == 0 {
		return "(no reason printed)"
	}
	return strings.Join(keep, " / ")
}

func shortPkg(p string) string { return strings.TrimPrefix(p, "github.com/wirehose/wirehose/") }
