package evaluate

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Goals the enrichers are held to on the held-out set.
const (
	GoalPeople        = 0.90 // F1
	GoalPlaces        = 0.85 // F1, with the right country
	GoalOrganisations = 0.80 // F1
	GoalSpeakers      = 0.85 // gold quotes found with the right speaker
	GoalLanguage      = 0.98
	GoalTopic         = 0.75 // main topic
)

// Missed lists the goals the report does not reach, as "<measure> <value> < <goal>".
func (r *Report) Missed() []string {
	var out []string
	for _, g := range r.goals() {
		if g.value < g.goal {
			out = append(out, fmt.Sprintf("%s %.3f < %.2f", g.name, g.value, g.goal))
		}
	}
	return out
}

type goal struct {
	name        string
	value, goal float64
}

func (r *Report) goals() []goal {
	return []goal{
		{"people F1", r.People.F1(), GoalPeople},
		{"organisations F1", r.Organisations.F1(), GoalOrganisations},
		{"places F1", r.Places.F1(), GoalPlaces},
		{"quote speaker", r.Speakers.Value(), GoalSpeakers},
		{"language", r.Language.Value(), GoalLanguage},
		{"main topic", r.Topic.Value(), GoalTopic},
	}
}

// Print writes the report as two tables: entities with precision, recall and F1, and
// the per-story answers with their accuracy; each with its goal when it has one.
func (r *Report) Print(w io.Writer, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "%d stories\n\n", r.Stories)
	fmt.Fprintln(tw, "entities\tgold\tfound\tTP\tFP\tFN\tprecision\trecall\tF1\tgoal\t")
	for _, row := range []struct {
		name string
		c    Count
		goal float64
	}{{"people", r.People, GoalPeople}, {"organisations", r.Organisations, GoalOrganisations}, {"places (with country)", r.Places, GoalPlaces}} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%s\t\n", row.name, row.c.TP+row.c.FN, row.c.TP+row.c.FP,
			row.c.TP, row.c.FP, row.c.FN, row.c.Precision(), row.c.Recall(), row.c.F1(), goalText(row.c.F1(), row.goal))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "answers\tright\tof\taccuracy\tgoal\t")
	for _, row := range []struct {
		name string
		a    Accuracy
		goal float64
	}{
		{"quotes found", r.QuotesFound, 0}, {"quote speaker", r.Speakers, GoalSpeakers},
		{"language", r.Language, GoalLanguage}, {"main topic", r.Topic, GoalTopic},
		{"provider (agency)", r.Provider, 0}, {"dateline place (with country)", r.Located, 0}, {"byline", r.By, 0},
	} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%s\t\n", row.name, row.a.Right, row.a.Total, row.a.Value(), goalText(row.a.Value(), row.goal))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if verbose {
		fmt.Fprintln(w)
		for _, e := range r.Errors {
			fmt.Fprintln(w, e)
		}
	}
	return nil
}

func goalText(v, goal float64) string {
	switch {
	case goal == 0:
		return ""
	case v >= goal:
		return fmt.Sprintf("≥ %.2f met", goal)
	}
	return fmt.Sprintf("≥ %.2f MISSED", goal)
}
