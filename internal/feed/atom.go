package feed

import (
	"bytes"
	"fmt"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseAtom reads Atom 1.0 (and 0.3). A document that breaks part way (cut
// off, bad XML) gives the entries before the break.
func parseAtom(body []byte) (document, error) {
	doc, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		fixed, broken, ok := recoverXML(body, "entry")
		if !ok {
			return document{}, err
		}
		if doc, err = (&atom.Parser{}).Parse(bytes.NewReader(fixed)); err != nil {
			return document{}, broken
		}
		out, terr := translateAtom(doc)
		out.broken = broken
		return out, terr
	}
	return translateAtom(doc)
}

func translateAtom(doc *atom.Feed) (document, error) {
	f, err := (&gofeed.DefaultAtomTranslator{}).Translate(doc)
	if err != nil {
		return document{}, fmt.Errorf("translate: %w", err)
	}
	out := document{items: make([]pipeline.RawItem, 0, len(f.Items)), language: f.Language}
	for _, it := range f.Items {
		// An entry without its own author has the feed's (RFC 4287 §4.2.1).
		ri := fromGofeed(it, f.Language, f.Authors)
		if ri.Published == nil && ri.Updated != nil {
			ri.Published = ri.Updated // the translator does this only for dates it could read
		}
		out.items = append(out.items, ri)
	}
	return out, nil
}
