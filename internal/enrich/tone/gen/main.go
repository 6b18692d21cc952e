// Command gen builds vader_en.tsv, the compact English tone lexicon, from the
// VADER sentiment lexicon (vader_lexicon.txt of the vaderSentiment package,
// MIT licence, C.J. Hutto). Run from internal/enrich/tone:
//
//	pip download vaderSentiment==3.3.2 --no-deps -d /tmp/vader
//	unzip -o /tmp/vader/vaderSentiment-3.3.2-py2.py3-none-any.whl -d /tmp/vader/x
//	go run ./gen /tmp/vader/x/vaderSentiment/vader_lexicon.txt > vader_en.tsv
//
// It keeps word entries (letters, with inner hyphens or apostrophes), drops
// emoticons and chat abbreviations, and keeps the mean valence rounded to one
// decimal.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen path/to/vader_lexicon.txt")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open lexicon: %w", err)
	}
	defer f.Close()
	type entry struct {
		word  string
		score float64
	}
	var out []entry
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 2 || !isWord(fields[0]) || seen[fields[0]] {
			continue // the first entry of a repeated word wins
		}
		seen[fields[0]] = true
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return fmt.Errorf("parse valence of %q: %w", fields[0], err)
		}
		out = append(out, entry{fields[0], v})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read lexicon: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].word < out[j].word })
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "# Derived from the VADER sentiment lexicon (vaderSentiment 3.3.2, vader_lexicon.txt).")
	fmt.Fprintln(w, "# Copyright (c) 2016 C.J. Hutto. MIT License. Columns: word, mean valence (-4..4).")
	for _, e := range out {
		fmt.Fprintf(w, "%s\t%s\n", e.word, strconv.FormatFloat(e.score, 'f', 1, 64))
	}
	return w.Flush()
}

// isWord keeps dictionary words: lower-case letters with optional inner
// hyphens or apostrophes, at least two characters; emoticons fall out.
func isWord(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case (r == '-' || r == '\'') && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return true
}
