package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/unicode/norm"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Parse errors, checked with errors.Is.
var (
	// ErrUnknownFormat: under format auto, the content is no feed format wirehose knows.
	ErrUnknownFormat = errors.New("unrecognised feed format")
	// ErrFormatMismatch: the feed's declared format is not what the content is.
	ErrFormatMismatch = errors.New("declared format does not match the content")
	// ErrFormatUnsupported: the format is recognised but this version cannot parse it.
	ErrFormatUnsupported = errors.New("feed format not supported")
	// ErrPartialDocument: the document breaks part way (cut off, or bad XML or
	// JSON); the items read before the break are returned with the error.
	ErrPartialDocument = errors.New("document broken part way")
)

// document is what one format parser read: items carrying only what the
// document says (Parse adds the feed's data and the hash), feed-level facts,
// the items it chose not to return, and, when the document broke after some
// items were read, the error it broke with.
type document struct {
	items    []pipeline.RawItem
	ttl      time.Duration
	language string
	skipped  []Skipped
	broken   error
}

// formatParser turns a document already known to be in its format, and already
// in UTF-8 when it is XML, into items. Each format has its own file.
type formatParser func(body []byte) (document, error)

// parserFor is the one place formats are registered.
func parserFor(format string) formatParser {
	switch format {
	case FormatRSS:
		return parseRSS
	case FormatAtom:
		return parseAtom
	case FormatJSONFeed:
		return parseJSONFeed
	case FormatNewsMLG2:
		return parseNewsMLG2
	case FormatNinjs:
		return parseNinjs
	}
	return nil
}

// Parsed is a whole feed document: its items and what the feed says about itself.
type Parsed struct {
	Items []pipeline.RawItem
	// TTL is the feed's own minimum refresh interval (RSS <ttl>); zero when absent.
	TTL time.Duration
	// Language is the language the feed declares for itself (RSS <language>,
	// Atom xml:lang, JSON Feed language); items carry their own in Items.
	Language string
	// Skipped lists the items of the document that are not in Items, and why:
	// pictures and other non-text items, items with neither headline nor text,
	// package references to items not in the document, invalid items.
	Skipped []Skipped
}

// Skipped is one item of a document that does not become a RawItem.
type Skipped struct {
	ID     string `json:"id"` // guid, uri or "item N" (1-based position) when it has none
	Reason string `json:"reason"`
}

// Parse reads a fetched feed document into raw items, in document order. The
// format comes from the content (format auto) or is checked against it.
// contentType is the response's Content-Type; its charset is used for XML
// documents that do not declare their own encoding.
//
// On error the items are nil, except when the error wraps ErrPartialDocument:
// then items holds what was read before the document broke.
func Parse(feed Feed, body []byte, contentType string, fetched time.Time) ([]pipeline.RawItem, error) {
	p, err := ParseFeed(feed, body, contentType, fetched)
	return p.Items, err
}

// ParseFeed is Parse plus the feed-level facts the scheduler and the feed's
// health record use. Errors are as for Parse: with ErrPartialDocument the
// Parsed holds the items before the break.
func ParseFeed(feed Feed, body []byte, contentType string, fetched time.Time) (p Parsed, err error) {
	// A parser panic on hostile input must cost one feed's poll, not the process.
	defer func() {
		if r := recover(); r != nil {
			p, err = Parsed{}, fmt.Errorf("feed %s: parser failed on this document: %v", feed.ID, r)
		}
	}()
	return parseDocument(feed, body, contentType, fetched)
}

func parseDocument(feed Feed, body []byte, contentType string, fetched time.Time) (Parsed, error) {
	if looksLikeXML(body) {
		body = xmlToUTF8(body, contentType)
	} else {
		body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	}
	format, err := resolveFormat(feed, body)
	if errors.Is(err, errEmptyList) {
		return Parsed{}, nil
	}
	if err != nil {
		return Parsed{}, err
	}
	if format == FormatRSS || format == FormatAtom || format == FormatNewsMLG2 {
		if err := checkXMLDepth(body, maxXMLDepth); err != nil {
			return Parsed{}, fmt.Errorf("feed %s: parse %s: %w", feed.ID, formatName(format), err)
		}
	}
	doc, err := parserFor(format)(body)
	if errors.Is(err, ErrFormatUnsupported) {
		return Parsed{}, fmt.Errorf("feed %s: %w", feed.ID, err)
	}
	if err != nil {
		return Parsed{}, fmt.Errorf("feed %s: parse %s: %w", feed.ID, formatName(format), err)
	}
	base, _ := url.Parse(feed.URL)
	out := Parsed{Items: make([]pipeline.RawItem, 0, len(doc.items)), TTL: doc.ttl, Language: cleanLine(doc.language), Skipped: doc.skipped}
	for i, it := range doc.items {
		it = finishItem(it, feed, format, base, fetched)
		if !hasContent(it) {
			// Nothing to show and no status to carry: enrich could make no story of it.
			out.Skipped = append(out.Skipped, Skipped{ID: itemID(it, i), Reason: "no headline or text"})
			continue
		}
		out.Items = append(out.Items, it)
	}
	if doc.broken != nil {
		if len(out.Items) == 0 {
			return Parsed{}, fmt.Errorf("feed %s: parse %s: %w", feed.ID, formatName(format), doc.broken)
		}
		return out, fmt.Errorf("feed %s: parse %s: %w; kept the %d items before the break: %w",
			feed.ID, formatName(format), doc.broken, len(out.Items), ErrPartialDocument)
	}
	return out, nil
}

// hasContent: an item is worth emitting when it has a headline or text, or when
// it is a status notice (withheld, canceled) for an identified story: a kill
// often carries nothing else.
func hasContent(it pipeline.RawItem) bool {
	if it.Title != "" || it.Summary != "" || it.Body != "" {
		return true
	}
	notice := it.PubStatus == pipeline.PubStatusWithheld || it.PubStatus == pipeline.PubStatusCanceled
	return notice && (it.URI != "" || it.GUID != "")
}

func itemID(it pipeline.RawItem, i int) string {
	for _, id := range []string{it.URI, it.GUID, it.Link} {
		if id != "" {
			return id
		}
	}
	return fmt.Sprintf("item %d", i+1)
}

// finishItem adds the feed's data, cleans the text fields, and hashes the content.
func finishItem(it pipeline.RawItem, feed Feed, format string, base *url.URL, fetched time.Time) pipeline.RawItem {
	it.Feed = feed.ID
	it.Format = format
	if feed.Provider != "" || it.Provider == "" {
		// The feeds file names the agency; an agency format's own provider only
		// stands in when it does not.
		it.Provider = feed.Provider
	}
	it.Provider = cleanLine(it.Provider)
	it.FeedURL = feed.URL
	it.Fetched = fetched.UTC()

	it.GUID = cleanLine(it.GUID)
	it.URI = cleanLine(it.URI)
	it.Title = cleanLine(it.Title)
	it.Summary = cleanText(it.Summary)
	it.Body = cleanText(it.Body)
	it.Language = cleanLine(it.Language)
	it.Link = resolveLink(base, cleanLine(it.Link))
	it.Authors = cleanList(it.Authors)
	it.Categories = cleanList(it.Categories)
	it.Published = utc(it.Published)
	it.Updated = utc(it.Updated)
	it.Embargoed = utc(it.Embargoed)
	if it.Version < 0 {
		it.Version = 0
	}
	it.PubStatus = cleanLine(it.PubStatus)
	if it.Urgency < 1 || it.Urgency > 9 {
		it.Urgency = 0 // IPTC urgency is 1..9; anything else is no urgency
	}
	it.ItemClass = cleanLine(it.ItemClass)
	it.By = cleanLine(it.By)
	it.Slugline = cleanLine(it.Slugline)
	it.Dateline = cleanLine(it.Dateline)
	it.Located = cleanLine(it.Located)
	it.Creditline = cleanLine(it.Creditline)
	it.PreviousVersion = cleanLine(it.PreviousVersion)
	it.Signals = cleanList(it.Signals)
	it.Subjects = cleanSubjects(it.Subjects)
	it.Enclosures = cleanEnclosures(base, it.Enclosures)
	it.ContentHash = ContentHash(it)
	return it
}

func cleanSubjects(in []pipeline.Subject) []pipeline.Subject {
	return cleanUnique(in, func(s pipeline.Subject) (pipeline.Subject, bool) {
		s = pipeline.Subject{Code: cleanLine(s.Code), Name: cleanLine(s.Name), Scheme: cleanLine(s.Scheme), Type: cleanLine(s.Type)}
		return s, s.Code != "" || s.Name != ""
	})
}

// cleanUnique cleans every element, keeping the first of equal ones and dropping those
// clean reports empty; nil when nothing is left.
func cleanUnique[T comparable](in []T, clean func(T) (T, bool)) []T {
	if len(in) == 0 {
		return nil
	}
	out := make([]T, 0, len(in))
	seen := make(map[T]bool, len(in))
	for _, v := range in {
		v, ok := clean(v)
		if !ok || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func cleanEnclosures(base *url.URL, in []pipeline.Enclosure) []pipeline.Enclosure {
	if len(in) == 0 {
		return nil
	}
	out := make([]pipeline.Enclosure, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, e := range in {
		e.URL = resolveLink(base, cleanLine(e.URL))
		if e.URL == "" || seen[e.URL] {
			continue
		}
		seen[e.URL] = true
		e.Type = cleanLine(e.Type)
		e.Length = max(e.Length, 0)
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ContentHash is the hex SHA-256 of the item's normalised title, summary, body
// and link, plus its version, publication status and embargo when the format
// gives them (a kill or a lifted embargo changes an item even when its text does
// not). Whitespace and Unicode normalisation differences do not change it, so an
// unchanged item hashes the same on every poll.
func ContentHash(it pipeline.RawItem) string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Summary, it.Body, it.Link} {
		h.Write([]byte(normalise(s)))
		h.Write([]byte{0x1f}) // unit separator: ("ab","") and ("a","b") differ
	}
	// Written only when set, so items of formats without them hash as before.
	if it.Version > 0 {
		fmt.Fprintf(h, "v=%d\x1f", it.Version)
	}
	if it.PubStatus != "" && it.PubStatus != pipeline.PubStatusUsable {
		fmt.Fprintf(h, "s=%s\x1f", it.PubStatus)
	}
	if it.Embargoed != nil {
		fmt.Fprintf(h, "e=%s\x1f", it.Embargoed.UTC().Format(time.RFC3339))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func normalise(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))), " ")
}

// cleanLine is for single-line fields: valid UTF-8, whitespace runs collapsed.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}

// cleanText keeps the text as published (paragraph breaks matter downstream)
// but makes it valid UTF-8 and trims it.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

func cleanList(in []string) []string {
	return cleanUnique(in, func(s string) (string, bool) {
		s = cleanLine(s)
		return s, s != ""
	})
}

// utc is the time in UTC, or nil for a missing, zero or absurd time (JSON
// cannot carry a year beyond 9999).
func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() || t.Year() < 1800 || t.Year() > 9999 {
		return nil
	}
	u := t.UTC()
	return &u
}

// resolveLink makes a relative item link absolute against the feed URL.
func resolveLink(base *url.URL, link string) string {
	if link == "" || base == nil {
		return link
	}
	ref, err := url.Parse(link)
	if err != nil || ref.IsAbs() {
		return link
	}
	return base.ResolveReference(ref).String()
}

// fromGofeed maps gofeed's universal item: description/summary is the
// Summary, content (content:encoded, atom content, content_html) the Body.
// Dates gofeed could not read are tried again with parseDate.
func fromGofeed(it *gofeed.Item, language string, feedAuthors []*gofeed.Person) pipeline.RawItem {
	ri := pipeline.RawItem{
		GUID:       it.GUID,
		Link:       it.Link,
		Title:      it.Title,
		Summary:    it.Description,
		Body:       it.Content,
		Language:   language,
		Categories: it.Categories,
		Published:  it.PublishedParsed,
		Updated:    it.UpdatedParsed,
	}
	if ri.Published == nil && it.Published != "" {
		ri.Published = parseDate(it.Published)
	}
	if ri.Updated == nil && it.Updated != "" {
		ri.Updated = parseDate(it.Updated)
	}
	if ri.Link == "" && len(it.Links) > 0 {
		ri.Link = it.Links[0]
	}
	authors := it.Authors
	if len(authors) == 0 {
		authors = feedAuthors
	}
	for _, p := range authors {
		if p == nil {
			continue
		}
		if p.Name != "" {
			ri.Authors = append(ri.Authors, p.Name)
		} else if p.Email != "" {
			ri.Authors = append(ri.Authors, p.Email)
		}
	}
	for _, e := range it.Enclosures {
		if e != nil {
			ri.Enclosures = append(ri.Enclosures, pipeline.Enclosure{URL: e.URL, Type: e.Type, Length: parseLength(e.Length)})
		}
	}
	return ri
}

// parseLength reads an enclosure's byte length; junk is 0 (unknown).
func parseLength(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
