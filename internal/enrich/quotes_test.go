package enrich

import (
	"context"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestQuotes(t *testing.T) {
	body := "Chancellor Olaf Scholz met union leaders on Monday.\n\n" +
		"\"We will not let the ports stand still for another week,\" Scholz said after the meeting.\n\n" +
		"The union, Verdi, said in a statement: \"Our members have waited long enough for a fair offer.\""
	s := pipeline.Story{Language: "en", Bodies: []pipeline.Body{{Value: body}},
		People:        []pipeline.Entity{{Name: "Olaf Scholz", Aliases: []string{"Scholz"}}},
		Organisations: []pipeline.Entity{{Name: "Verdi"}}}
	if err := (Quotes{}).Enrich(context.Background(), &s); err != nil {
		t.Fatal(err)
	}
	want := []pipeline.Quote{
		{Text: "We will not let the ports stand still for another week,", Speaker: "Olaf Scholz"},
		{Text: "Our members have waited long enough for a fair offer.", Speaker: "Verdi"},
	}
	if len(s.Quotes) != len(want) {
		t.Fatalf("quotes = %+v, want %+v", s.Quotes, want)
	}
	for i := range want {
		if s.Quotes[i].Speaker != want[i].Speaker || s.Quotes[i].Text == "" {
			t.Errorf("quote %d = %+v, want speaker %q", i, s.Quotes[i], want[i].Speaker)
		}
	}
}
