package feed

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// maxTTL bounds what an RSS <ttl> may ask for: the scheduler takes it as a
// lower bound on the interval, and a typo must not silence a feed for a year.
const maxTTL = 24 * time.Hour

// parseRSS reads RSS 0.9x/2.0 and RSS 1.0 (RDF). A document that breaks part
// way (cut off, bad XML) gives the items before the break.
func parseRSS(body []byte) (document, error) {
	doc, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		fixed, broken, ok := recoverXML(body, "item")
		if !ok {
			return document{}, err
		}
		if doc, err = (&rss.Parser{}).Parse(bytes.NewReader(fixed)); err != nil {
			return document{}, broken
		}
		out, terr := translateRSS(doc)
		out.broken = broken
		return out, terr
	}
	return translateRSS(doc)
}

func translateRSS(doc *rss.Feed) (document, error) {
	// The image scan parses every item's HTML; wirehose does not use images.
	tr := &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	f, err := tr.Translate(doc)
	if err != nil {
		return document{}, fmt.Errorf("translate: %w", err)
	}
	out := document{items: make([]pipeline.RawItem, 0, len(f.Items)), ttl: rssTTL(doc.TTL), language: f.Language}
	for i, it := range f.Items {
		ri := fromGofeed(it, f.Language, nil)
		if dc := it.DublinCoreExt; dc != nil {
			// The translator keeps one author; wire items often credit several.
			ri.Authors = append(ri.Authors, dc.Creator...)
			if lang := firstNonEmpty(dc.Language); lang != "" {
				ri.Language = lang
			}
		}
		// The translator keeps items in document order, one for one.
		if i < len(doc.Items) && doc.Items[i] != nil {
			ri.Enclosures = append(ri.Enclosures, mediaContent(doc.Items[i].Extensions)...)
		}
		out.items = append(out.items, ri)
	}
	return out, nil
}

// rssTTL reads <ttl> (minutes); junk and non-positive values are no TTL.
func rssTTL(s string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Minute, maxTTL)
}

// mediaContent reads Media RSS <media:content>, alone or in <media:group>, which
// agencies use instead of <enclosure> for pictures and video.
func mediaContent(exts ext.Extensions) []pipeline.Enclosure {
	media := exts["media"]
	if media == nil {
		return nil
	}
	var out []pipeline.Enclosure
	add := func(contents []ext.Extension) {
		for _, c := range contents {
			if u := c.Attrs["url"]; u != "" {
				typ := c.Attrs["type"]
				if typ == "" {
					typ = c.Attrs["medium"]
				}
				out = append(out, pipeline.Enclosure{URL: u, Type: typ, Length: parseLength(c.Attrs["fileSize"])})
			}
		}
	}
	add(media["content"])
	for _, g := range media["group"] {
		add(g.Children["content"])
	}
	return out
}

func firstNonEmpty(ss []string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
