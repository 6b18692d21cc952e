package enrich

import (
	"context"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/topic"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestSubjects(t *testing.T) {
	agency := pipeline.Subject{Code: "dpasubject:185", Name: "Sport"}
	s := pipeline.Story{
		Language:  "en",
		Subjects:  []pipeline.Subject{agency},
		Headlines: []pipeline.Headline{{Value: "Striker's late goal wins the cup final"}},
		Bodies: []pipeline.Body{{Value: "A stoppage-time goal gave the home side a 2-1 win in the cup final on Saturday. " +
			"The coach praised his players, and the league champions ended the season with a trophy after the match."}},
	}
	e := Subjects{c: topic.New()}
	for range 2 { // a second run replaces its own subjects and keeps the agency's
		if err := e.Enrich(context.Background(), &s); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.Subjects) < 2 || s.Subjects[0] != agency {
		t.Fatalf("subjects = %+v, want the agency's code first, then the enricher's", s.Subjects)
	}
	main := s.Subjects[1]
	if main.Code != "medtop:15000000" || main.Name != "sport" || main.Confidence <= 0 || main.Confidence > 1 ||
		!strings.HasSuffix(main.URI, "/mediatopic/15000000") {
		t.Errorf("main topic = %+v, want sport with its uri and a confidence", main)
	}
	codes := map[string]int{}
	for _, sub := range s.Subjects {
		codes[sub.Code]++
	}
	for c, n := range codes {
		if n > 1 {
			t.Errorf("subject %s listed %d times", c, n)
		}
	}
}
