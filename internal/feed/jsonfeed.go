package feed

import (
	"bytes"
	"fmt"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/json"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseJSONFeed reads JSON Feed 1.0 and 1.1.
func parseJSONFeed(body []byte) ([]pipeline.RawItem, error) {
	doc, err := (&json.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	f, err := (&gofeed.DefaultJSONTranslator{}).Translate(doc)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	out := make([]pipeline.RawItem, 0, len(f.Items))
	for i, it := range f.Items {
		// An item without authors has the feed's (JSON Feed 1.1).
		ri := fromGofeed(it, f.Language, f.Authors)
		// The translator drops the item language of JSON Feed 1.1; items are 1:1.
		if i < len(doc.Items) && doc.Items[i] != nil && doc.Items[i].Language != "" {
			ri.Language = doc.Items[i].Language
		}
		out = append(out, ri)
	}
	return out, nil
}
