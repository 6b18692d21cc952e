package feed

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mmcdole/gofeed"
	gofeedjson "github.com/mmcdole/gofeed/json"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseJSONFeed reads JSON Feed 1.0 and 1.1. gofeed decodes the whole document
// at once, so one item with a wrong type, or a document cut off part way, fails
// all of it; then the items are read one by one and only the bad ones (or those
// after the cut) are lost.
func parseJSONFeed(body []byte) (document, error) {
	doc, err := (&gofeedjson.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		return jsonFeedItemByItem(body, err)
	}
	return translateJSONFeed(doc)
}

func translateJSONFeed(doc *gofeedjson.Feed) (document, error) {
	items := doc.Items[:0:0]
	for _, it := range doc.Items {
		if it != nil { // "items": [null]
			items = append(items, it)
		}
	}
	doc.Items = items
	f, err := (&gofeed.DefaultJSONTranslator{}).Translate(doc)
	if err != nil {
		return document{}, fmt.Errorf("translate: %w", err)
	}
	out := document{items: make([]pipeline.RawItem, 0, len(f.Items)), language: f.Language}
	for i, it := range f.Items {
		// An item without authors has the feed's (JSON Feed 1.1).
		ri := fromGofeed(it, f.Language, f.Authors)
		// The translator drops the item language of JSON Feed 1.1; items are 1:1.
		if i < len(doc.Items) && doc.Items[i].Language != "" {
			ri.Language = doc.Items[i].Language
		}
		out.items = append(out.items, ri)
	}
	return out, nil
}

// jsonFeedItemByItem parses each item of a JSON Feed gofeed rejected as a feed
// of its own, under the feed's version and language.
func jsonFeedItemByItem(body []byte, whole error) (document, error) {
	top, raws, broken, err := jsonList(body, "items")
	if err != nil || top == nil {
		return document{}, whole
	}
	shell := map[string]json.RawMessage{"version": top["version"]}
	var language string
	if json.Unmarshal(top["language"], &language) == nil && language != "" {
		shell["language"] = top["language"]
	}
	var feedAuthors []*gofeed.Person
	var authors []gofeedjson.Author
	if json.Unmarshal(top["authors"], &authors) == nil {
		for _, a := range authors {
			feedAuthors = append(feedAuthors, &gofeed.Person{Name: a.Name})
		}
	}
	out := document{language: language, broken: broken}
	for i, raw := range raws {
		shell["items"] = json.RawMessage(append(append([]byte("["), raw...), ']'))
		one, err := json.Marshal(shell)
		if err != nil {
			out.skipped = append(out.skipped, Skipped{ID: fmt.Sprintf("item %d", i+1), Reason: err.Error()})
			continue
		}
		doc, err := (&gofeedjson.Parser{}).Parse(bytes.NewReader(one))
		if err != nil {
			out.skipped = append(out.skipped, Skipped{ID: fmt.Sprintf("item %d", i+1), Reason: err.Error()})
			continue
		}
		d, err := translateJSONFeed(doc)
		if err != nil {
			out.skipped = append(out.skipped, Skipped{ID: fmt.Sprintf("item %d", i+1), Reason: err.Error()})
			continue
		}
		for _, it := range d.items {
			if len(it.Authors) == 0 {
				for _, p := range feedAuthors {
					it.Authors = append(it.Authors, p.Name)
				}
			}
			out.items = append(out.items, it)
		}
	}
	if len(out.items) == 0 {
		// Nothing readable: the document's own error says the most.
		return document{}, whole
	}
	if broken == nil && len(out.skipped) > 0 {
		out.broken = fmt.Errorf("%d of %d items unreadable, first: %s", len(out.skipped), len(raws), out.skipped[0].Reason)
	}
	return out, nil
}
