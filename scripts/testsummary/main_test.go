package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p/a","Test":"TestOK"}`,
		`{"Action":"pass","Package":"p/a","Test":"TestOK","Elapsed":0.1}`,
		`{"Action":"run","Package":"p/a","Test":"TestNeedsKafka"}`,
		`{"Action":"output","Package":"p/a","Test":"TestNeedsKafka","Output":"=== RUN   TestNeedsKafka\n"}`,
		`{"Action":"output","Package":"p/a","Test":"TestNeedsKafka","Output":"    a_test.go:9: WIREHOSE_TEST_KAFKA_BROKERS is not set\n"}`,
		`{"Action":"output","Package":"p/a","Test":"TestNeedsKafka","Output":"--- SKIP: TestNeedsKafka (0.00s)\n"}`,
		`{"Action":"skip","Package":"p/a","Test":"TestNeedsKafka"}`,
		`{"Action":"pass","Package":"p/a","Elapsed":0.2}`,
		`{"Action":"output","Package":"p/b","Test":"TestBroken","Output":"    b_test.go:3: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"p/b","Test":"TestBroken"}`,
		`{"Action":"fail","Package":"p/b","Elapsed":0.3}`,
		`not json`,
	}, "\n")
	var out strings.Builder
	code := summarize(strings.NewReader(in), &out)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a failed test", code)
	}
	for _, want := range []string{
		"ok  \tp/a\t0.200s",
		"FAIL\tp/b\t0.300s",
		"TestNeedsKafka (p/a): a_test.go:9: WIREHOSE_TEST_KAFKA_BROKERS is not set",
		"--- FAIL: TestBroken (p/b)\n    b_test.go:3: got 1, want 2",
		"not json",
		"tests: 1 passed, 1 failed, 1 skipped",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var clean strings.Builder
	if code := summarize(strings.NewReader(`{"Action":"pass","Package":"p/a","Test":"T"}`), &clean); code != 0 {
		t.Errorf("exit %d for an all-pass run, want 0", code)
	}
}
