package feed

import (
	"bytes"
	"fmt"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseRSS reads RSS 0.9x/2.0 and RSS 1.0 (RDF).
func parseRSS(body []byte) ([]pipeline.RawItem, error) {
	doc, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// The image scan parses every item's HTML; wirehose does not use images.
	tr := &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	f, err := tr.Translate(doc)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	out := make([]pipeline.RawItem, 0, len(f.Items))
	for _, it := range f.Items {
		ri := fromGofeed(it, f.Language, nil)
		if dc := it.DublinCoreExt; dc != nil {
			// The translator keeps one author; wire items often credit several.
			ri.Authors = append(ri.Authors, dc.Creator...)
			if lang := firstNonEmpty(dc.Language); lang != "" {
				ri.Language = lang
			}
		}
		out = append(out, ri)
	}
	return out, nil
}

func firstNonEmpty(ss []string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
