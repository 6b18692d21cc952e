package enrich

import (
	"context"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestClean(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"footer and prompts go",
			"The bridge reopened on Monday after repairs.\n\nRead more: Bridge closed for a month\n\nSubscribe to our newsletter\n\n© 2026 Example News. All rights reserved.",
			"The bridge reopened on Monday after repairs."},
		{"story text stays byte for byte", "First paragraph.\n\nSecond — with “quotes”.", "First paragraph.\n\nSecond — with “quotes”."},
		{"a cue inside a real paragraph stays",
			"Readers were asked to share their memories of the old market, which closed in 1998 after a fire destroyed its roof.",
			"Readers were asked to share their memories of the old market, which closed in 1998 after a fire destroyed its roof."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := pipeline.Story{Bodies: []pipeline.Body{{Value: tt.body}}}
			if err := (Clean{}).Enrich(context.Background(), &s); err != nil {
				t.Fatal(err)
			}
			if s.Text() != tt.want {
				t.Errorf("body = %q, want %q", s.Text(), tt.want)
			}
		})
	}
	var none pipeline.Story
	if err := (Clean{}).Enrich(context.Background(), &none); err != nil || len(none.Bodies) != 0 {
		t.Errorf("a story without a body: %v, %v", err, none.Bodies)
	}
}
