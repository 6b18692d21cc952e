package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/kafka"
)

// dlqErrorWidth clips the error in the list; `dlq show` prints it whole.
const dlqErrorWidth = 70

// DLQConfig configures `wirehose dlq list|show|redrive`.
type DLQConfig struct {
	Kafka   kafka.Config `yaml:"kafka"`
	Stage   string       `yaml:"stage"`   // list, redrive: only dead letters of this stage
	Match   string       `yaml:"match"`   // list, redrive: only dead letters whose error or key contains this, any case
	Limit   int          `yaml:"limit"`   // list: the newest this many
	Execute bool         `yaml:"execute"` // redrive: re-produce; without it, only say what would be
}

// DefaultDLQConfig returns the defaults.
func DefaultDLQConfig() DLQConfig { return DLQConfig{Kafka: kafka.DefaultConfig(), Limit: 50} }

// Validate checks every field and names the one that is wrong.
func (c DLQConfig) Validate() error {
	if err := c.Kafka.Validate(); err != nil {
		return err
	}
	if c.Limit < 1 {
		return fmt.Errorf("limit: must be at least 1, got %d", c.Limit)
	}
	return nil
}

// DLQSpec is the command line of `wirehose dlq`.
func DLQSpec() config.Spec {
	help := map[string]string{
		"stage":   "list, redrive: only dead letters of this stage (enrich or sink)",
		"match":   "list, redrive: only dead letters whose error or key contains this text (any case)",
		"limit":   "list: show the newest this many",
		"execute": "redrive: re-produce the dead letters (without it, a dry run lists what would be re-produced)",
	}
	for k, v := range commonHelp {
		if strings.HasPrefix(k, "kafka.") {
			help[k] = v
		}
	}
	return config.Spec{Name: "wirehose dlq", Args: "list | show ID | redrive [ID...]", Help: help, Aliases: brokersAlias,
		Summary: `Inspects and redrives the dead-letter topic, where a stage puts a message it gave up on.
list: one line per dead letter, oldest first: its ID (PARTITION:OFFSET in the dead-letter topic),
when, which stage, the original topic/partition/offset, the key, how many times it was redriven
before it failed (a message that keeps failing comes back with a higher count), whether it was
redriven since, and its error.
show ID: everything about one dead letter: headers, key, and value (JSON pretty-printed).
redrive [ID...]: re-produces the selected dead letters (all, or those named, narrowed by --stage
and --match) to their original topics with their key, value and headers and a
wirehose.redrives count; a dry run unless --execute. A dead letter is redriven once: the
redriven ones are remembered in the compacted topic <dlq topic>.redriven.`}
}

// DLQCommand is `wirehose dlq ACTION ...`.
func DLQCommand(ctx context.Context, c DLQConfig, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("want an action: list, show ID or redrive [ID...]")
	}
	action, rest := args[0], args[1:]
	switch action {
	case "list":
		if len(rest) > 0 {
			return usageErrorf("list takes no arguments, got %q", rest[0])
		}
		return ListDeadLetters(ctx, c, out)
	case "show":
		if len(rest) != 1 {
			return usageErrorf("show wants one dead letter ID (PARTITION:OFFSET, as dlq list prints it), got %d arguments", len(rest))
		}
		return ShowDeadLetter(ctx, c, rest[0], out)
	case "redrive":
		return RedriveDeadLetters(ctx, c, rest, out)
	}
	return usageErrorf("unknown action %q: want list, show or redrive", action)
}

func readDeadLetters(ctx context.Context, c DLQConfig) ([]kafka.DeadLetter, error) {
	if err := kafka.WaitReady(ctx, c.Kafka); err != nil {
		return nil, fmt.Errorf("kafka %v: %w", c.Kafka.Brokers, err)
	}
	return kafka.ReadDeadLetters(ctx, c.Kafka, c.Kafka.Topics().DLQ)
}

// selectDeadLetters keeps the letters of c's stage that match c's text.
func selectDeadLetters(c DLQConfig, letters []kafka.DeadLetter) []kafka.DeadLetter {
	match := strings.ToLower(c.Match)
	var out []kafka.DeadLetter
	for _, d := range letters {
		if c.Stage != "" && d.Stage != c.Stage {
			continue
		}
		if match != "" && !strings.Contains(strings.ToLower(d.Error), match) && !strings.Contains(strings.ToLower(string(d.Key)), match) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// ListDeadLetters prints the dead letters matching c, oldest first, at most the newest
// c.Limit of them, and a count.
func ListDeadLetters(ctx context.Context, c DLQConfig, out io.Writer) error {
	letters, err := readDeadLetters(ctx, c)
	if err != nil {
		return err
	}
	return writeDeadLetters(out, selectDeadLetters(c, letters), c.Limit)
}

func writeDeadLetters(out io.Writer, letters []kafka.DeadLetter, limit int) error {
	shown := letters
	if len(shown) > limit {
		shown = shown[len(shown)-limit:]
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tSTAGE\tORIGIN\tKEY\tREDRIVES\tREDRIVEN\tERROR")
	for _, d := range shown {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID(), failedAt(d).Format(time.RFC3339), dash(d.Stage),
			origin(d), dash(clip(printable(d.Key), 40)), d.Redrives, redriven(d), dash(clip(d.Error, dlqErrorWidth)))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write dead letters: %w", err)
	}
	var done, again int
	for _, d := range letters {
		if d.Redriven != nil {
			done++
		}
		if d.Redrives > 0 {
			again++
		}
	}
	summary := plural(len(letters), "dead letter")
	if len(shown) < len(letters) {
		summary += fmt.Sprintf(" (the newest %d shown; raise --limit for more)", len(shown))
	}
	fmt.Fprintf(out, "%s: %d redriven, %d failed again after a redrive\n", summary, done, again)
	return nil
}

// failedAt is when the stage gave up: the failure header, else the record's time.
func failedAt(d kafka.DeadLetter) time.Time {
	if !d.FailedAt.IsZero() {
		return d.FailedAt.UTC()
	}
	return d.Time.UTC().Truncate(time.Second)
}

func origin(d kafka.DeadLetter) string {
	if d.Topic == "" {
		return "-"
	}
	if d.SourcePartition < 0 {
		return d.Topic
	}
	return fmt.Sprintf("%s/%d/%d", d.Topic, d.SourcePartition, d.SourceOffset)
}

func redriven(d kafka.DeadLetter) string {
	if d.Redriven == nil {
		return "-"
	}
	if d.Redriven.At.IsZero() {
		return "yes"
	}
	return d.Redriven.At.UTC().Format(time.RFC3339)
}

// printable shows text as it is and anything else quoted, escapes visible.
func printable(b []byte) string {
	if utf8.Valid(b) && !bytes.ContainsFunc(b, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }) {
		return string(b)
	}
	return strconv.Quote(string(b))
}

// ShowDeadLetter prints one dead letter whole.
func ShowDeadLetter(ctx context.Context, c DLQConfig, id string, out io.Writer) error {
	p, o, err := kafka.ParseDeadLetterID(id)
	if err != nil {
		return usageErrorf("%v", err)
	}
	letters, err := readDeadLetters(ctx, c)
	if err != nil {
		return err
	}
	for _, d := range letters {
		if d.Partition == p && d.Offset == o {
			return writeDeadLetter(out, d)
		}
	}
	return fmt.Errorf("no dead letter %s in %s (%s; run 'wirehose dlq list')", id, c.Kafka.Topics().DLQ, plural(len(letters), "dead letter"))
}

func writeDeadLetter(out io.Writer, d kafka.DeadLetter) error {
	var b strings.Builder
	fmt.Fprintf(&b, "id:          %s\n", d.ID())
	fmt.Fprintf(&b, "failed at:   %s\n", failedAt(d).Format(time.RFC3339))
	fmt.Fprintf(&b, "stage:       %s\n", dash(d.Stage))
	fmt.Fprintf(&b, "origin:      %s\n", origin(d))
	fmt.Fprintf(&b, "attempts:    %d\n", d.Attempts)
	fmt.Fprintf(&b, "redrives:    %d before this failure\n", d.Redrives)
	if d.Redriven != nil {
		fmt.Fprintf(&b, "redriven:    %s, as redrive %d to %s\n", redriven(d), d.Redriven.Redrives, dash(d.Redriven.Topic))
	} else {
		b.WriteString("redriven:    no\n")
	}
	fmt.Fprintf(&b, "error:       %s\n", dash(d.Error))
	b.WriteString("headers:\n")
	for _, h := range d.Headers {
		fmt.Fprintf(&b, "  %s: %s\n", h.Key, printable(h.Value))
	}
	fmt.Fprintf(&b, "key:         %s\n", printable(d.Key))
	switch {
	case d.ValueOmitted > 0:
		fmt.Fprintf(&b, "value:       (%d bytes, too large to keep here; read it at %s)\n", d.ValueOmitted, origin(d))
	case len(d.Value) == 0:
		b.WriteString("value:       (empty)\n")
	default:
		fmt.Fprintf(&b, "value:       (%d bytes)\n", len(d.Value))
		var pretty bytes.Buffer
		if json.Valid(d.Value) && json.Indent(&pretty, d.Value, "", "  ") == nil {
			b.Write(pretty.Bytes())
		} else {
			b.WriteString(printable(d.Value))
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(out, b.String()); err != nil {
		return fmt.Errorf("write dead letter: %w", err)
	}
	return nil
}

// RedriveDeadLetters re-produces the selected dead letters to their original topics
// (with --execute), or lists what it would re-produce. Dead letters redriven before, and
// ones that cannot be redriven (their value was left out), are listed and left alone.
func RedriveDeadLetters(ctx context.Context, c DLQConfig, ids []string, out io.Writer) error {
	want := map[string]bool{}
	for _, id := range ids {
		p, o, err := kafka.ParseDeadLetterID(id)
		if err != nil {
			return usageErrorf("%v", err)
		}
		want[kafka.DeadLetterID(p, o)] = true
	}
	letters, err := readDeadLetters(ctx, c)
	if err != nil {
		return err
	}
	selected := selectDeadLetters(c, letters)
	if len(want) > 0 {
		found := map[string]bool{}
		var named []kafka.DeadLetter
		for _, d := range selected {
			if want[d.ID()] {
				named = append(named, d)
				found[d.ID()] = true
			}
		}
		for _, id := range ids {
			p, o, _ := kafka.ParseDeadLetterID(id)
			if !found[kafka.DeadLetterID(p, o)] {
				return fmt.Errorf("no dead letter %s in %s matching the filters", id, c.Kafka.Topics().DLQ)
			}
		}
		selected = named
	}
	plan := planRedrive(selected)
	if err := writeRedrivePlan(out, plan, c.Execute); err != nil {
		return err
	}
	if !c.Execute || len(plan.send) == 0 {
		return nil
	}
	n, err := kafka.Redrive(ctx, c.Kafka, c.Kafka.Topics().DLQ, plan.send, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "re-produced %s to their topics\n", plural(n, "dead letter"))
	return nil
}

type redrivePlan struct {
	send    []kafka.DeadLetter
	done    []kafka.DeadLetter // redriven before
	refused map[string]error   // by ID: cannot be redriven
	order   []kafka.DeadLetter // every selected letter, for the listing
}

func planRedrive(letters []kafka.DeadLetter) redrivePlan {
	p := redrivePlan{refused: map[string]error{}, order: letters}
	for _, d := range letters {
		if d.Redriven != nil {
			p.done = append(p.done, d)
			continue
		}
		if _, err := d.RedriveMessage(); err != nil {
			p.refused[d.ID()] = err
			continue
		}
		p.send = append(p.send, d)
	}
	return p
}

func writeRedrivePlan(out io.Writer, p redrivePlan, execute bool) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTAGE\tTO TOPIC\tKEY\tREDRIVE\tACTION")
	for _, d := range p.order {
		action := "re-produce"
		if !execute {
			action = "would re-produce"
		}
		switch {
		case d.Redriven != nil:
			action = "skip: redriven " + redriven(d)
		case p.refused[d.ID()] != nil:
			action = "skip: " + p.refused[d.ID()].Error()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", d.ID(), dash(d.Stage), dash(d.Topic), dash(clip(printable(d.Key), 40)), d.Redrives+1, action)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write redrive plan: %w", err)
	}
	summary := fmt.Sprintf("%s selected: %d to re-produce, %d redriven before, %d cannot be redriven",
		plural(len(p.order), "dead letter"), len(p.send), len(p.done), len(p.refused))
	if !execute && len(p.send) > 0 {
		summary += "; dry run, run again with --execute to re-produce them"
	}
	if _, err := fmt.Fprintln(out, summary); err != nil {
		return fmt.Errorf("write redrive plan: %w", err)
	}
	return nil
}
