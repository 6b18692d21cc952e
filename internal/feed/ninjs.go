package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// IPTC ninjs 1.x (headline, body_text/body_html, byline, subject, person, ...)
// and 2.x (headlines[], bodies[], by, subjects[], people[], ...), one item per
// document, a list of items, or an object whose "items" member is the list.
//
// Items are read one by one: an item with a property of the wrong JSON type, or
// a value the schema forbids (pubstatus "cancelled"), is skipped with the reason
// and makes the document partial; the other items still flow. Lenient where the
// feeds in the wild disagree with the schema but not with its meaning: a version
// or urgency given as a number or a numeric string, dates that are not RFC 3339.

// ErrInvalidItem: an item breaks the ninjs schema in a way that changes its
// meaning, so it is not guessed at.
var ErrInvalidItem = errors.New("invalid item")

// ninjsMediaTypes are the ninjs types that are not stories.
var ninjsMediaTypes = map[string]bool{"picture": true, "graphic": true, "video": true, "audio": true}

func parseNinjs(body []byte) (document, error) {
	top, raws, broken, err := jsonList(body, "items")
	if err != nil {
		return document{}, err
	}
	// An element that is not an object is an invalid item, reported as one.
	type entry struct {
		f   ninjsFields
		err error
	}
	var entries []entry
	if _, single := top["uri"]; single && raws == nil {
		if broken != nil {
			return document{}, broken // one item, cut off: nothing whole to keep
		}
		entries = append(entries, entry{f: ninjsFields(top)})
	} else {
		if _, ok := top["items"]; top != nil && !ok && raws == nil && broken == nil {
			return document{}, errors.New("object is neither a ninjs item (no uri) nor a list of items")
		}
		for i, raw := range raws {
			var f ninjsFields
			if err := json.Unmarshal(raw, &f); err != nil || f == nil {
				entries = append(entries, entry{err: fmt.Errorf("item %d is a JSON %s, not an object", i+1, rawKind(raw))})
				continue
			}
			entries = append(entries, entry{f: f})
		}
	}

	out := document{broken: broken}
	var invalid []Skipped
	for i, e := range entries {
		id := ninjsID(e.f, i)
		it, skip, err := pipeline.RawItem{}, "", e.err
		if err == nil {
			it, skip, err = readNinjs(e.f)
		}
		switch {
		case err != nil:
			invalid = append(invalid, Skipped{ID: id, Reason: err.Error()})
		case skip != "":
			out.skipped = append(out.skipped, Skipped{ID: id, Reason: skip})
		default:
			out.items = append(out.items, it)
		}
	}
	out.skipped = append(out.skipped, invalid...)
	if len(invalid) > 0 {
		err := fmt.Errorf("%s: %s: %w", invalid[0].ID, invalid[0].Reason, ErrInvalidItem)
		if len(invalid) > 1 {
			err = fmt.Errorf("%d of %d items invalid, first %w", len(invalid), len(entries), err)
		}
		if len(out.items) == 0 && out.broken == nil {
			return document{}, err
		}
		if out.broken == nil {
			out.broken = err
		}
	}
	return out, nil
}

func ninjsID(f ninjsFields, i int) string {
	if uri, err := f.str("uri"); err == nil && strings.TrimSpace(uri) != "" {
		return strings.TrimSpace(uri)
	}
	return fmt.Sprintf("item %d", i+1)
}

// ninjsText is a 2.x headline, body or description.
type ninjsText struct {
	Value       string `json:"value"`
	Role        string `json:"role"`
	ContentType string `json:"contenttype"`
}

// ninjsConcept is a subject, person, organisation, place, event or object.
type ninjsConcept struct {
	Name    string `json:"name"`
	URI     string `json:"uri"`
	Literal string `json:"literal"`
	Scheme  string `json:"scheme"` // 1.x
	Code    string `json:"code"`   // 1.x
}

// ninjsConceptKinds maps the concept arrays of ninjs 2.x and 1.x to the
// NewsML-G2 concept type they stand for; subjects have none.
var ninjsConceptKinds = []struct{ key, typ string }{
	{"subjects", ""}, {"subject", ""},
	{"people", "cpnat:person"}, {"person", "cpnat:person"},
	{"organisations", "cpnat:organisation"}, {"organisation", "cpnat:organisation"},
	{"places", "cpnat:geoArea"}, {"place", "cpnat:geoArea"},
	{"events", "cpnat:event"}, {"event", "cpnat:event"},
	{"objects", "cpnat:object"}, {"object", "cpnat:object"},
}

// readNinjs reads one item; skip says why a valid item is not a story.
func readNinjs(f ninjsFields) (it pipeline.RawItem, skip string, err error) {
	uri, err := f.str("uri")
	if err != nil {
		return it, "", err
	}
	typ, err := f.str("type")
	if err != nil {
		return it, "", err
	}
	if ninjsMediaTypes[typ] {
		return it, typ + " item, not text", nil
	}
	status, err := f.str("pubstatus")
	if err != nil {
		return it, "", err
	}
	switch status {
	case "", pipeline.PubStatusUsable, pipeline.PubStatusWithheld, pipeline.PubStatusCanceled:
	default:
		return it, "", fmt.Errorf("pubstatus %q is not one of usable, withheld, canceled", status)
	}
	it = pipeline.RawItem{URI: uri, GUID: uri, PubStatus: status, ItemClass: typ}

	if it.Version, err = f.number("version"); err != nil {
		return it, "", err
	}
	if it.Urgency, err = f.number("urgency"); err != nil {
		return it, "", err
	}
	it.Updated = f.date("versioncreated")
	it.Published = f.date("firstcreated")
	if it.Published == nil && it.Version <= 1 {
		it.Published = it.Updated
	}
	it.Embargoed = f.date("embargoed")

	for _, s := range []struct {
		key string
		dst *string
	}{{"language", &it.Language}, {"located", &it.Located}, {"slugline", &it.Slugline}} {
		if *s.dst, err = f.str(s.key); err != nil {
			return it, "", err
		}
	}
	if it.By, err = f.firstStr("by", "byline"); err != nil {
		return it, "", err
	}

	if it.Title, err = ninjsHeadline(f); err != nil {
		return it, "", err
	}
	if it.Body, err = ninjsBody(f); err != nil {
		return it, "", err
	}
	if it.Summary, it.Creditline, err = ninjsDescription(f); err != nil {
		return it, "", err
	}
	for _, kind := range ninjsConceptKinds {
		var cs []ninjsConcept
		if err := f.decode(kind.key, &cs, "a list of objects"); err != nil {
			return it, "", err
		}
		for _, c := range cs {
			s := pipeline.Subject{Name: c.Name, Type: kind.typ}
			switch {
			case c.URI != "":
				s.Code = c.URI
			case c.Code != "":
				s.Code, s.Scheme = c.Code, c.Scheme
			default:
				s.Code = c.Literal
			}
			it.Subjects = append(it.Subjects, s)
		}
	}
	return it, "", nil
}

// ninjsHeadline: the main (or first) of 2.x headlines, else 1.x headline, else
// a 1.x headline_* property (headline_main first).
func ninjsHeadline(f ninjsFields) (string, error) {
	var hs []ninjsText
	if err := f.decode("headlines", &hs, "a list of objects"); err != nil {
		return "", err
	}
	if t := pickText(hs, func(h ninjsText) bool { return h.Role == "" || h.Role == "main" }); t != "" {
		return t, nil
	}
	if t := pickText(hs, func(ninjsText) bool { return true }); t != "" {
		return t, nil
	}
	return f.firstStr(append([]string{"headline", "headline_main"}, f.patternKeys("headline_")...)...)
}

// ninjsBody: a 2.x body with markup (enrich makes text of it) or plain text;
// else the 1.x body_html, body_xhtml, body_text or another body_* property.
// Bodies in other formats (agency XML) are not story text.
func ninjsBody(f ninjsFields) (string, error) {
	var bs []ninjsText
	if err := f.decode("bodies", &bs, "a list of objects"); err != nil {
		return "", err
	}
	if t := pickText(bs, func(b ninjsText) bool { return isHTMLType(b.ContentType) }); t != "" {
		return t, nil
	}
	if t := pickText(bs, func(b ninjsText) bool { return b.ContentType == "" || strings.HasPrefix(b.ContentType, "text/plain") }); t != "" {
		return t, nil
	}
	return f.firstStr(append([]string{"body_html", "body_xhtml", "body_text"}, f.patternKeys("body_")...)...)
}

// ninjsDescription returns the item's summary and its credit line, which ninjs
// carries as a description with the role (2.x) or suffix (1.x) creditline.
func ninjsDescription(f ninjsFields) (summary, credit string, err error) {
	var ds []ninjsText
	if err := f.decode("descriptions", &ds, "a list of objects"); err != nil {
		return "", "", err
	}
	credit = pickText(ds, func(d ninjsText) bool { return d.Role == "creditline" })
	summary = pickText(ds, func(d ninjsText) bool { return d.Role != "creditline" })
	if credit == "" {
		if credit, err = f.str("description_creditline"); err != nil {
			return "", "", err
		}
	}
	if summary == "" {
		var keys []string
		for _, k := range append([]string{"description_text", "description_html", "description_xhtml"}, f.patternKeys("description_")...) {
			if k != "description_creditline" {
				keys = append(keys, k)
			}
		}
		if summary, err = f.firstStr(keys...); err != nil {
			return "", "", err
		}
	}
	return summary, credit, nil
}

func isHTMLType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml+xml")
}

func pickText(ts []ninjsText, ok func(ninjsText) bool) string {
	for _, t := range ts {
		if ok(t) && strings.TrimSpace(t.Value) != "" {
			return t.Value
		}
	}
	return ""
}

// ninjsFields is one item's properties, decoded one at a time so that a wrong
// type is reported by name.
type ninjsFields map[string]json.RawMessage

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func (f ninjsFields) str(key string) (string, error) {
	raw, ok := f[key]
	if !ok || isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is a JSON %s, want a string", key, rawKind(raw))
	}
	return s, nil
}

// firstStr is the first of the keys holding a non-blank string.
func (f ninjsFields) firstStr(keys ...string) (string, error) {
	for _, k := range keys {
		s, err := f.str(k)
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(s) != "" {
			return s, nil
		}
	}
	return "", nil
}

// patternKeys lists the item's keys with the prefix, sorted (1.x pattern properties).
func (f ninjsFields) patternKeys(prefix string) []string {
	var keys []string
	for k := range f {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// number reads an integer given as a JSON number or a numeric string ("2").
// Other strings are no number (0); other types are an error.
func (f ninjsFields) number(key string) (int, error) {
	raw, ok := f[key]
	if !ok || isNull(raw) {
		return 0, nil
	}
	var n float64
	if err := json.Unmarshal(raw, &n); err == nil {
		if n < 0 || n > math.MaxInt32 || n != math.Trunc(n) {
			return 0, nil
		}
		return int(n), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%s is a JSON %s, want a number", key, rawKind(raw))
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 0 {
		return 0, nil
	}
	return v, nil
}

// date reads a timestamp; one that cannot be read, or is not a string, is absent.
func (f ninjsFields) date(key string) *time.Time {
	s, err := f.str(key)
	if err != nil {
		return nil
	}
	return parseDate(s)
}

func (f ninjsFields) decode(key string, v any, want string) error {
	raw, ok := f[key]
	if !ok || isNull(raw) {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fmt.Errorf("%s: %s is a JSON %s, want %s", key, te.Field, te.Value, te.Type)
		}
		return fmt.Errorf("%s is a JSON %s, want %s", key, rawKind(raw), want)
	}
	return nil
}
