package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"
)

// sniffLimit bounds how far sniffing reads into an XML document before giving
// up on finding the root element (a feed opens with it within a few KB).
const sniffLimit = 64 << 10

// sniffed is what the document's content says it is.
type sniffed struct {
	format string // one of the Format constants except auto; "" when unrecognised
	what   string // the root element or JSON shape, for error messages
	// emptyList: an empty JSON list ("[]", {"items": []}), which could be an
	// empty ninjs feed; it has no items whatever the format.
	emptyList bool
}

// errEmptyList: the document is an empty list of items (see sniffed.emptyList).
var errEmptyList = errors.New("empty item list")

// sniffFormat decides the format from the content, never the URL: the XML root
// element, or the markers of a JSON document.
func sniffFormat(body []byte) sniffed {
	if bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		body = xmlToUTF8(body, "") // UTF-16 with its byte order mark
	}
	b := trimLeading(body)
	if len(b) == 0 {
		return sniffed{what: "an empty document"}
	}
	switch b[0] {
	case '<':
		return sniffXML(b)
	case '{', '[':
		return sniffJSON(b)
	}
	return sniffed{what: "neither XML nor JSON"}
}

// looksLikeXML reports whether body is XML, or may be: it opens with '<' or a
// UTF-16 byte order mark.
func looksLikeXML(body []byte) bool {
	if bytes.HasPrefix(body, []byte("\xfe\xff")) || bytes.HasPrefix(body, []byte("\xff\xfe")) {
		return true
	}
	b := trimLeading(body)
	return len(b) > 0 && b[0] == '<'
}

// trimLeading drops a byte order mark and leading whitespace.
func trimLeading(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(b, " \t\r\n")
}

func sniffXML(b []byte) sniffed {
	if len(b) > sniffLimit {
		b = b[:sniffLimit]
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return sniffed{what: "XML without a root element"}
		}
		if err != nil {
			return sniffed{what: "unreadable XML (" + err.Error() + ")"}
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue // prolog, comments, doctype
		}
		root := "<" + qualified(se.Name) + ">"
		switch se.Name.Local {
		case "rss", "RDF":
			return sniffed{format: FormatRSS, what: root}
		case "feed":
			return sniffed{format: FormatAtom, what: root}
		case "newsMessage", "newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem":
			// The last three hold no stories; the parser skips them with a reason.
			return sniffed{format: FormatNewsMLG2, what: root}
		}
		return sniffed{what: "XML with root element " + root}
	}
}

func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// sniffJSON reads only the top-level keys it needs (and the first element of an
// array), skipping every other value without building it.
func sniffJSON(b []byte) sniffed {
	d := json.NewDecoder(bytes.NewReader(b))
	tok, err := d.Token()
	if err != nil {
		return sniffed{what: "invalid JSON"}
	}
	if tok == json.Delim('[') {
		if !d.More() {
			if t, err := d.Token(); err != nil || t != json.Delim(']') {
				return sniffed{what: "invalid JSON"}
			}
			return sniffed{what: "an empty JSON array", emptyList: true}
		}
		if isNinjsObject(d) {
			return sniffed{format: FormatNinjs, what: "a JSON array of ninjs items"}
		}
		return sniffed{what: "a JSON array"}
	}
	// A document cut off part way is still sniffed from what precedes the cut,
	// so the parser can keep the items before it.
	keys, err := topLevel(d, b, "version", "items")
	var version string
	if raw, ok := keys.values["version"]; ok {
		_ = json.Unmarshal(raw, &version)
	}
	if strings.HasPrefix(version, "https://jsonfeed.org/") || strings.HasPrefix(version, "http://jsonfeed.org/") {
		return sniffed{format: FormatJSONFeed, what: "a JSON Feed"}
	}
	if keys.ninjs() {
		return sniffed{format: FormatNinjs, what: "a ninjs item"}
	}
	if raw, ok := keys.values["items"]; ok {
		id := json.NewDecoder(bytes.NewReader(raw))
		t, terr := id.Token()
		switch {
		case terr == nil && t == nil && err == nil:
			return sniffed{what: "a JSON object with a null items list", emptyList: true}
		case terr == nil && t == json.Delim('['):
			if !id.More() && err == nil {
				return sniffed{what: "a JSON object with an empty items list", emptyList: true}
			}
			if isNinjsObject(id) {
				return sniffed{format: FormatNinjs, what: "a JSON object with ninjs items"}
			}
		}
	}
	if err != nil {
		return sniffed{what: "invalid JSON"}
	}
	return sniffed{what: "a JSON document without feed markers"}
}

// isNinjsObject reads the next value of d and reports whether it is an object
// with ninjs markers.
func isNinjsObject(d *json.Decoder) bool {
	tok, err := d.Token()
	if err != nil || tok != json.Delim('{') {
		return false
	}
	keys, err := topLevel(d, nil)
	return err == nil && keys.ninjs()
}

type jsonKeys struct {
	present map[string]bool
	values  map[string]json.RawMessage
}

// ninjsMarkers are properties only ninjs gives this meaning; with the required
// uri, one of them makes an object a ninjs item (ninjs 1.x and 2.x names).
var ninjsMarkers = []string{
	"headline", "headlines", "versioncreated", "firstcreated", "pubstatus", "embargoed",
	"urgency", "bodies", "body_text", "body_html", "body_xhtml", "byline", "by", "located",
	"slugline", "subject", "subjects", "descriptions", "description_text", "renditions",
	"associations", "standard", "version",
}

// ninjs items carry a uri (the one required property) plus a ninjs property.
func (k jsonKeys) ninjs() bool {
	if !k.present["uri"] {
		return false
	}
	for _, m := range ninjsMarkers {
		if k.present[m] {
			return true
		}
	}
	// ninjs 1.x pattern properties: headline_main, body_nitf, description_caption...
	for key := range k.present {
		if strings.HasPrefix(key, "headline_") || strings.HasPrefix(key, "body_") || strings.HasPrefix(key, "description_") {
			return true
		}
	}
	return false
}

// topLevel walks the object whose '{' was just read from doc and records its
// keys, keeping the raw value only of the keys asked for. When a kept value is
// cut off or broken, what remains of doc from that value on is kept instead.
func topLevel(d *json.Decoder, doc []byte, keep ...string) (jsonKeys, error) {
	k := jsonKeys{present: map[string]bool{}, values: map[string]json.RawMessage{}}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return k, err
		}
		name, ok := t.(string)
		if !ok {
			return k, errors.New("object key is not a string")
		}
		k.present[name] = true
		off := d.InputOffset()
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			if slices.Contains(keep, name) && off < int64(len(doc)) {
				k.values[name] = bytes.TrimLeft(doc[off:], " \t\r\n:")
			}
			return k, err
		}
		if slices.Contains(keep, name) {
			k.values[name] = raw
		}
	}
	if _, err := d.Token(); err != nil && !errors.Is(err, io.EOF) {
		return k, err
	}
	return k, nil
}

// formatName is a format's name as people write it, for messages.
func formatName(f string) string {
	switch f {
	case FormatRSS:
		return "rss"
	case FormatAtom:
		return "atom"
	case FormatJSONFeed:
		return "json feed"
	case FormatNewsMLG2:
		return "newsml-g2"
	case FormatNinjs:
		return "ninjs"
	}
	return f
}

// resolveFormat returns the format to parse body with: the sniffed one under
// auto, the declared one when the content agrees, an error otherwise.
func resolveFormat(feed Feed, body []byte) (string, error) {
	s := sniffFormat(body)
	declared := feed.Format
	if declared == "" {
		declared = FormatAuto
	}
	if s.emptyList && (declared == FormatAuto || declared == FormatNinjs) {
		return "", errEmptyList
	}
	if s.format == "" {
		if declared == FormatAuto {
			return "", fmt.Errorf("feed %s: %w: content is %s", feed.ID, ErrUnknownFormat, s.what)
		}
		return "", fmt.Errorf("feed %s: format %s declared but content is %s: %w", feed.ID, declared, s.what, ErrFormatMismatch)
	}
	if declared != FormatAuto && declared != s.format {
		return "", fmt.Errorf("feed %s: format %s declared but content is %s (%s): %w", feed.ID, declared, s.format, s.what, ErrFormatMismatch)
	}
	return s.format, nil
}
