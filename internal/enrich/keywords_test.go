package enrich

import (
	"context"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestKeywords(t *testing.T) {
	s := pipeline.Story{
		Language:  "en",
		Headlines: []pipeline.Headline{{Value: "Port strike halts container traffic"}},
		Bodies: []pipeline.Body{{Value: "Dock workers began a port strike on Monday. The port strike halted container " +
			"traffic at the busiest terminals, and shipping lines diverted container ships to other ports."}},
	}
	if err := (Keywords{}).Enrich(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Keywords) == 0 || len(s.Keywords) > maxKeywords {
		t.Fatalf("keywords = %v, want 1 to %d", s.Keywords, maxKeywords)
	}
	if !strings.Contains(strings.ToLower(strings.Join(s.Keywords[:min(3, len(s.Keywords))], "|")), "strike") {
		t.Errorf("keywords = %v, want the port strike among the first three", s.Keywords)
	}
}
