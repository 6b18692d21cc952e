package feed

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// Bounds on an OPML document: subscription lists are small, and a file that is
// not must not take the importer down.
const (
	maxOPMLBytes    = 16 << 20
	maxOPMLDepth    = 64
	maxOPMLOutlines = 100_000
	maxSlugLen      = 64
)

// OPMLOutline is an outline of an OPML document that names a feed (it has an
// xmlUrl attribute).
type OPMLOutline struct {
	Title   string   // the title attribute, else text
	XMLURL  string   // the feed's URL
	HTMLURL string   // the site's URL, when given
	Type    string   // the type attribute, lower case: rss, atom, ...
	Folders []string // titles of the enclosing outlines, outermost first
	Line    int      // where the outline starts, for messages
}

// ParseOPML reads the feed outlines of an OPML 1.0, 1.1 or 2.0 document, at
// any depth of nesting, in document order. Attribute names are matched without
// regard to case (xmlUrl, xmlurl and XMLURL are all seen in the wild).
func ParseOPML(r io.Reader) ([]OPMLOutline, error) {
	lr := &io.LimitedReader{R: r, N: maxOPMLBytes + 1}
	d := xml.NewDecoder(lr)
	d.CharsetReader = charset.NewReaderLabel

	var (
		out     []OPMLOutline
		folders []string // title pushed by each open outline
		stack   []string // local names of open elements
		seen    int
		inBody  bool
		rooted  bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if lr.N <= 0 {
			return nil, fmt.Errorf("opml: document larger than %d bytes", maxOPMLBytes)
		}
		if err != nil {
			return nil, fmt.Errorf("opml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if len(stack) == 0 {
				if name != "opml" {
					return nil, fmt.Errorf("opml: not an OPML document: the root element is <%s>", t.Name.Local)
				}
				rooted = true
			}
			stack = append(stack, name)
			if len(stack) > maxOPMLDepth {
				line, _ := d.InputPos()
				return nil, fmt.Errorf("opml: line %d: elements nested deeper than %d", line, maxOPMLDepth)
			}
			if len(stack) == 2 && name == "body" {
				inBody = true
			}
			if !inBody || name != "outline" {
				continue
			}
			if seen++; seen > maxOPMLOutlines {
				return nil, fmt.Errorf("opml: more than %d outlines", maxOPMLOutlines)
			}
			o := outlineOf(t)
			o.Line, _ = d.InputPos()
			folders = append(folders, o.Title)
			if o.XMLURL != "" {
				// Folders ends before this outline's own title.
				o.Folders = append([]string(nil), folders[:len(folders)-1]...)
				out = append(out, o)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case inBody && name == "outline":
				folders = folders[:len(folders)-1]
			case len(stack) == 1 && name == "body":
				inBody = false
			}
		}
	}
	if !rooted {
		return nil, errors.New("opml: empty document")
	}
	return out, nil
}

func outlineOf(t xml.StartElement) OPMLOutline {
	var o OPMLOutline
	var text string
	for _, a := range t.Attr {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "xmlurl":
			o.XMLURL = v
		case "htmlurl":
			o.HTMLURL = v
		case "title":
			o.Title = oneLine(v)
		case "text":
			text = oneLine(v)
		case "type":
			o.Type = strings.ToLower(v)
		}
	}
	if o.Title == "" {
		o.Title = text
	}
	return o
}

// oneLine folds runs of white space, line breaks included, into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ImportOptions apply to every feed of an OPML import.
type ImportOptions struct {
	Provider string        // default agency of every feed; optional
	Interval time.Duration // poll interval of every feed; zero leaves the poller's default
}

// Validate checks the options against the rules of the feeds file.
func (o ImportOptions) Validate() error {
	if o.Interval < 0 {
		return errors.New("interval: must not be negative")
	}
	if o.Interval != 0 && o.Interval < minInterval {
		return fmt.Errorf("interval: %s is below the minimum of %s", o.Interval, minInterval)
	}
	return nil
}

// Import is the feeds file made from OPML outlines.
type Import struct {
	Feeds   FeedsFile
	Titles  []string // the outline title of each feed, for comments
	Skipped []string // outlines left out, each with the reason
}

// ImportOPML turns outlines into feeds: format auto (readers write type="rss"
// for Atom feeds too, so the content decides), ids slugified from the titles
// and made unique with -2, -3... in document order, so the same document
// always gives the same ids. Outlines with an unusable URL, or a URL already
// imported, are skipped with the reason.
func ImportOPML(outlines []OPMLOutline, o ImportOptions) Import {
	var (
		imp     Import
		usedID  = map[string]bool{}
		usedURL = map[string]string{}
	)
	for _, ol := range outlines {
		where := fmt.Sprintf("line %d: outline %q", ol.Line, ol.Title)
		if err := validateFeedURL(ol.XMLURL); err != nil {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("%s: url %s: %v", where, redactedURL(ol.XMLURL), err))
			continue
		}
		if id, dup := usedURL[ol.XMLURL]; dup {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("%s: same url as feed %s", where, id))
			continue
		}
		id := uniqueID(baseID(ol), usedID)
		f := Feed{ID: id, URL: ol.XMLURL, Format: FormatAuto, Provider: strings.TrimSpace(o.Provider), Interval: o.Interval}
		if err := f.Validate(); err != nil {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		usedID[id] = true
		usedURL[ol.XMLURL] = id
		imp.Feeds.Feeds = append(imp.Feeds.Feeds, f)
		imp.Titles = append(imp.Titles, ol.Title)
	}
	return imp
}

// redactedURL is a URL fit for a message: no credentials, no query string.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return strconv.Quote(raw)
	}
	return strconv.Quote(safeURL(u))
}

func baseID(o OPMLOutline) string {
	if s := slugify(o.Title); s != "" {
		return s
	}
	if u, err := url.Parse(o.XMLURL); err == nil {
		if s := slugify(u.Hostname() + " " + u.Path); s != "" {
			return s
		}
	}
	return "feed"
}

func uniqueID(base string, used map[string]bool) string {
	if !used[base] {
		return base
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		id := strings.TrimRight(base[:min(len(base), maxSlugLen-len(suffix))], "-") + suffix
		if !used[id] {
			return id
		}
	}
}

// slugify makes a feed id from a title: accents dropped, lower case, every run
// of other characters one '-', at most maxSlugLen long.
func slugify(s string) string {
	var b strings.Builder
	dash := false
runes:
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // the accent of a decomposed letter
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= maxSlugLen {
			break runes
		}
	}
	out := b.String()
	if len(out) > maxSlugLen {
		out = out[:maxSlugLen]
	}
	return strings.Trim(out, "-")
}

// YAML renders the import as a feeds file, each feed under a comment with its
// outline title, and the skipped outlines listed in the header comment.
func (imp Import) YAML(header string) ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(imp.Feeds); err != nil {
		return nil, fmt.Errorf("encode feeds: %w", err)
	}
	var head []string
	if header != "" {
		head = append(head, header)
	}
	for _, s := range imp.Skipped {
		head = append(head, "skipped: "+s)
	}
	doc.HeadComment = strings.Join(head, "\n")
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value != "feeds" {
			continue
		}
		for j, item := range doc.Content[i+1].Content {
			if j < len(imp.Titles) && imp.Titles[j] != "" {
				item.HeadComment = imp.Titles[j]
			}
		}
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encode feeds: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode feeds: %w", err)
	}
	return []byte(b.String()), nil
}
