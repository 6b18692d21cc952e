package feed

import (
	"bytes"
	"fmt"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseAtom reads Atom 1.0 (and 0.3).
func parseAtom(body []byte) ([]pipeline.RawItem, error) {
	doc, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	f, err := (&gofeed.DefaultAtomTranslator{}).Translate(doc)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	out := make([]pipeline.RawItem, 0, len(f.Items))
	for _, it := range f.Items {
		// An entry without its own author has the feed's (RFC 4287 §4.2.1).
		out = append(out, fromGofeed(it, f.Language, f.Authors))
	}
	return out, nil
}
