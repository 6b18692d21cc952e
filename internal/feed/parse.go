package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
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
)

// formatParser turns a document already known to be in its format into items
// carrying only what the document says; Parse adds the feed's data and the hash.
type formatParser func(body []byte) ([]pipeline.RawItem, error)

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

// Parse reads a fetched feed document into raw items, in document order. The
// format comes from the content (format auto) or is checked against it.
// contentType is the response's Content-Type; its charset is used for XML
// documents that do not declare their own encoding.
func Parse(feed Feed, body []byte, contentType string, fetched time.Time) (items []pipeline.RawItem, err error) {
	// A parser panic on hostile input must cost one feed's poll, not the process.
	defer func() {
		if r := recover(); r != nil {
			items, err = nil, fmt.Errorf("feed %s: parser failed on this document: %v", feed.ID, r)
		}
	}()
	return parseDocument(feed, body, contentType, fetched)
}

// Parsed is a whole feed document: its items and what the feed says about itself.
type Parsed struct {
	Items []pipeline.RawItem
	// TTL is the feed's own minimum refresh interval (RSS <ttl>); zero when absent.
	TTL time.Duration
}

// ParseFeed is Parse plus the feed-level facts the scheduler uses.
func ParseFeed(feed Feed, body []byte, contentType string, fetched time.Time) (Parsed, error) {
	items, err := Parse(feed, body, contentType, fetched)
	return Parsed{Items: items}, err
}

func parseDocument(feed Feed, body []byte, contentType string, fetched time.Time) ([]pipeline.RawItem, error) {
	format, err := resolveFormat(feed, body)
	if err != nil {
		return nil, err
	}
	if format != FormatJSONFeed && format != FormatNinjs {
		body = xmlToUTF8(body, contentType)
	}
	raw, err := parserFor(format)(body)
	if errors.Is(err, ErrFormatUnsupported) {
		return nil, fmt.Errorf("feed %s: %w", feed.ID, err)
	}
	if err != nil {
		return nil, fmt.Errorf("feed %s: parse %s: %w", feed.ID, formatName(format), err)
	}
	base, _ := url.Parse(feed.URL)
	out := make([]pipeline.RawItem, 0, len(raw))
	for _, it := range raw {
		it = finishItem(it, feed, format, base, fetched)
		if it.Title == "" && it.Summary == "" && it.Body == "" && it.GUID == "" && it.Link == "" {
			continue // an empty element: nothing to identify or show
		}
		out = append(out, it)
	}
	return out, nil
}

// finishItem adds the feed's data, cleans the text fields, and hashes the content.
func finishItem(it pipeline.RawItem, feed Feed, format string, base *url.URL, fetched time.Time) pipeline.RawItem {
	it.Feed = feed.ID
	it.Format = format
	it.Provider = feed.Provider
	it.FeedURL = feed.URL
	it.Fetched = fetched.UTC()

	it.GUID = cleanLine(it.GUID)
	it.Title = cleanLine(it.Title)
	it.Summary = cleanText(it.Summary)
	it.Body = cleanText(it.Body)
	it.Language = cleanLine(it.Language)
	it.Link = resolveLink(base, cleanLine(it.Link))
	it.Authors = cleanList(it.Authors)
	it.Categories = cleanList(it.Categories)
	it.Published = utc(it.Published)
	it.Updated = utc(it.Updated)
	it.ContentHash = ContentHash(it)
	return it
}

// ContentHash is the hex SHA-256 of the item's normalised title, summary, body
// and link. Whitespace and Unicode normalisation differences do not change it,
// so an unchanged item hashes the same on every poll.
func ContentHash(it pipeline.RawItem) string {
	h := sha256.New()
	for _, s := range []string{it.Title, it.Summary, it.Body, it.Link} {
		h.Write([]byte(normalise(s)))
		h.Write([]byte{0x1f}) // unit separator: ("ab","") and ("a","b") differ
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
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = cleanLine(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
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

// xmlToUTF8 transcodes an XML document whose encoding is given only by the HTTP
// charset. A document that declares its encoding (or starts with a BOM) is left
// alone: the XML parser honours the declaration.
func xmlToUTF8(body []byte, contentType string) []byte {
	if contentType == "" {
		return body
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return body
	}
	label := strings.ToLower(strings.TrimSpace(params["charset"]))
	switch label {
	case "", "utf-8", "utf8", "us-ascii":
		return body
	}
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return body
	}
	if declaresEncoding(body) {
		return body
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" {
		return body
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

func declaresEncoding(body []byte) bool {
	b := trimLeading(body)
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return false
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return false
	}
	return bytes.Contains(b[:end], []byte("encoding"))
}

// fromGofeed maps gofeed's universal item: description/summary is the
// Summary, content (content:encoded, atom content, content_html) the Body.
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
	return ri
}
