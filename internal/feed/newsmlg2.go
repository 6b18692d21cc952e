package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// IPTC NewsML-G2 as agencies deliver it: a newsMessage wrapping items in an
// itemSet, or a single newsItem or packageItem. Elements are matched by local
// name within their parent, so the NAR namespace, a prefix for it, or no
// namespace at all (TT) read the same. Codes are kept as written: a qcode
// ("stat:canceled") or, when the provider uses them, a URI.
//
// The decoder streams: each item is built as a small tree when its end tag
// arrives and the tree is dropped once read, so a message that breaks part way
// still gives the items that completed before the break. XML entities beyond
// the five predefined ones are never expanded (a DTD is ignored), and nesting
// is bounded by maxXMLDepth.

// g2Node is an element of one item, or a run of text (name.Local == "").
type g2Node struct {
	name xml.Name
	attr []xml.Attr
	kids []*g2Node
	text strings.Builder // a builder: a run split into many CDATA sections must not copy itself each time
}

func (n *g2Node) get(local string) string {
	for _, a := range n.attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// lang is the element's xml:lang.
func (n *g2Node) lang() string {
	for _, a := range n.attr {
		if a.Name.Local == "lang" && (a.Name.Space == "http://www.w3.org/XML/1998/namespace" || a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

func (n *g2Node) child(local string) *g2Node {
	for _, k := range n.kids {
		if k.name.Local == local {
			return k
		}
	}
	return nil
}

func (n *g2Node) children(local string) []*g2Node {
	var out []*g2Node
	for _, k := range n.kids {
		if k.name.Local == local {
			out = append(out, k)
		}
	}
	return out
}

// textContent is the text of the element and its descendants.
func (n *g2Node) textContent() string {
	if n == nil {
		return ""
	}
	if n.name.Local == "" {
		return n.text.String()
	}
	var b strings.Builder
	n.writeText(&b)
	return b.String()
}

func (n *g2Node) writeText(b *strings.Builder) {
	for _, k := range n.kids {
		if k.name.Local == "" {
			b.WriteString(k.text.String())
		} else {
			k.writeText(b)
		}
	}
}

// code is the concept the element points to: its qcode, else its uri, else its literal.
func (n *g2Node) code() string {
	if n == nil {
		return ""
	}
	for _, a := range []string{"qcode", "uri", "literal"} {
		if v := strings.TrimSpace(n.get(a)); v != "" {
			return v
		}
	}
	return ""
}

// g2ItemRoots are the item elements of NewsML-G2; only newsItem can be a story.
var g2ItemRoots = map[string]bool{
	"newsItem": true, "packageItem": true, "conceptItem": true, "knowledgeItem": true,
	"planningItem": true, "catalogItem": true,
}

// parseNewsMLG2 reads a newsMessage, newsItem or packageItem document.
func parseNewsMLG2(body []byte) (document, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false // unescaped '&' and stray end tags are common; they cost nothing here
	d.CharsetReader = charset.NewReaderLabel

	var (
		items  []*g2Node
		stack  []*g2Node
		depth  int
		broken error
	)
	for {
		tok, err := d.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				broken = err
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxXMLDepth {
				return document{}, fmt.Errorf("line %d: %w: more than %d levels", lineOf(d), ErrTooDeep, maxXMLDepth)
			}
			if len(stack) == 0 && !g2ItemRoots[t.Name.Local] {
				continue // newsMessage, header, itemSet: the way to the items
			}
			n := &g2Node{name: t.Name, attr: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			depth--
			if len(stack) == 0 {
				continue
			}
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				items = append(items, n)
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			p := stack[len(stack)-1]
			var last *g2Node
			if k := len(p.kids); k > 0 && p.kids[k-1].name.Local == "" {
				last = p.kids[k-1]
			} else {
				last = &g2Node{}
				p.kids = append(p.kids, last)
			}
			last.text.Write(t)
		}
	}
	if broken != nil {
		if _, ok := errors.AsType[*xml.SyntaxError](broken); !ok {
			broken = fmt.Errorf("line %d: %w", lineOf(d), broken)
		}
		if len(items) == 0 {
			return document{}, broken
		}
	}
	out := readG2Items(items)
	out.broken = broken
	return out, nil
}

func lineOf(d *xml.Decoder) int {
	line, _ := d.InputPos()
	return line
}

// readG2Items turns the items of one document into raw items: news items of
// text become items, in document order; packages are followed to the items they
// reference in the same document (never fetched); everything else is skipped
// with its reason.
func readG2Items(nodes []*g2Node) document {
	var out document
	byGUID := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if g := strings.TrimSpace(n.get("guid")); g != "" {
			byGUID[g] = true
		}
	}
	for i, n := range nodes {
		id := strings.TrimSpace(n.get("guid"))
		if id == "" {
			id = fmt.Sprintf("item %d", i+1)
		}
		switch n.name.Local {
		case "newsItem":
			it, reason := readNewsItem(n)
			if reason != "" {
				out.skipped = append(out.skipped, Skipped{ID: id, Reason: reason})
				continue
			}
			out.items = append(out.items, it)
		case "packageItem":
			// A package is a list of items, not a story: its members are stories
			// when they are in the document, and are emitted where they stand.
			for _, ref := range packageRefs(n) {
				if !byGUID[ref] {
					out.skipped = append(out.skipped, Skipped{ID: ref, Reason: "referenced by package " + id + " but not in this document"})
				}
			}
		default:
			out.skipped = append(out.skipped, Skipped{ID: id, Reason: n.name.Local + " holds no story"})
		}
	}
	return out
}

// packageRefs lists the residrefs of a package's itemRefs, in group order.
func packageRefs(pkg *g2Node) []string {
	var refs []string
	var walk func(n *g2Node, depth int)
	walk = func(n *g2Node, depth int) {
		if depth > 8 {
			return
		}
		for _, k := range n.kids {
			switch k.name.Local {
			case "groupSet", "group":
				walk(k, depth+1)
			case "itemRef":
				if r := strings.TrimSpace(k.get("residref")); r != "" {
					refs = append(refs, r)
				}
			}
		}
	}
	walk(pkg, 0)
	return refs
}

// textClasses are the item classes whose items are stories.
var textClasses = map[string]bool{"text": true, "composite": true}

// readNewsItem reads one newsItem, or says why it is not a story.
func readNewsItem(n *g2Node) (pipeline.RawItem, string) {
	meta := n.child("itemMeta")
	content := n.child("contentMeta")
	if meta == nil {
		meta = &g2Node{}
	}
	if content == nil {
		content = &g2Node{}
	}
	class := lastSegment(meta.child("itemClass").code())
	contentSet := n.child("contentSet")
	if class == "" && contentSet != nil && contentSet.child("inlineXML") == nil && contentSet.child("inlineData") == nil {
		class = "media" // remote content only: a picture or video without a class
	}
	if class != "" && !textClasses[class] {
		return pipeline.RawItem{}, class + " item, not text"
	}

	guid := strings.TrimSpace(n.get("guid"))
	it := pipeline.RawItem{
		GUID:      guid,
		URI:       guid,
		Version:   1, // NewsML-G2's default when the attribute is absent
		ItemClass: class,
		Language:  n.lang(),
	}
	if v := strings.TrimSpace(n.get("version")); v != "" {
		it.Version, _ = strconv.Atoi(v)
	}

	it.PubStatus = g2PubStatus(meta.child("pubStatus").code())
	it.Updated = parseDate(meta.child("versionCreated").textContent())
	it.Published = parseDate(meta.child("firstCreated").textContent())
	if it.Published == nil && it.Version <= 1 {
		it.Published = it.Updated // the first version was created when this one was
	}
	it.Embargoed = parseDate(meta.child("embargoed").textContent())
	if p := meta.child("provider"); p != nil {
		it.Provider = p.child("name").textContent()
		if it.Provider == "" {
			it.Provider = lastSegment(p.code())
		}
	}
	for _, s := range meta.children("signal") {
		if c := s.code(); c != "" {
			it.Signals = append(it.Signals, c)
		}
	}
	for _, l := range meta.children("link") {
		if rel := lastSegment(l.get("rel")); rel == "previousVersion" || rel == "prevVersion" {
			it.PreviousVersion = firstNonEmpty([]string{l.get("residref"), l.get("href")})
		}
	}

	if u := strings.TrimSpace(content.child("urgency").textContent()); u != "" {
		it.Urgency, _ = strconv.Atoi(u)
	}
	if l := content.child("language"); l != nil && l.get("tag") != "" {
		it.Language = l.get("tag")
	}
	it.Title = g2Headline(content.children("headline"))
	it.Slugline = content.child("slugline").textContent()
	it.Dateline = content.child("dateline").textContent()
	it.Creditline = content.child("creditline").textContent()
	var bys []string
	for _, b := range content.children("by") {
		bys = append(bys, strings.TrimSpace(b.textContent()))
	}
	it.By = strings.Join(bys, ", ")
	for _, c := range content.children("creator") {
		if name := g2Name(c, it.Language); name != "" {
			it.Authors = append(it.Authors, name)
		}
	}
	if l := content.child("located"); l != nil {
		it.Located = g2Name(l, it.Language)
	}
	it.Summary = g2Description(content.children("description"))
	for _, k := range content.children("keyword") {
		it.Categories = append(it.Categories, k.textContent())
	}
	asserted := g2Asserts(n, it.Language)
	for _, s := range content.children("subject") {
		sub := pipeline.Subject{Code: s.code(), Name: g2Name(s, it.Language), Type: s.get("type")}
		if sub.Name == "" {
			sub.Name = asserted[sub.Code]
		}
		it.Subjects = append(it.Subjects, sub)
	}

	var nitfBy string
	it.Body, nitfBy = g2Body(contentSet)
	if it.By == "" {
		it.By = nitfBy
	}
	return it, ""
}

// g2PubStatus maps stat:usable / withheld / canceled (qcode or URI) to the
// pipeline's values; absent is usable, and any other status (even
// "stat:cancelled") is kept as written: enrich withholds what it does not know.
func g2PubStatus(code string) string {
	switch s := lastSegment(code); s {
	case "":
		return ""
	case "usable", "withheld", "canceled":
		return s
	default:
		return code
	}
}

// lastSegment is the code's value without its scheme: "ninat:text" and
// "http://cv.iptc.org/newscodes/ninature/text" are both "text".
func lastSegment(code string) string {
	code = strings.TrimRight(strings.TrimSpace(code), "/")
	if i := strings.LastIndexAny(code, ":/#"); i >= 0 {
		return code[i+1:]
	}
	return code
}

// g2Headline picks the main headline: one with no role or a main role, lowest
// rank first; else the first one.
func g2Headline(hs []*g2Node) string {
	best, bestRank := "", 1<<30
	for _, h := range hs {
		text := strings.TrimSpace(h.textContent())
		if text == "" {
			continue
		}
		if role := lastSegment(h.get("role")); role != "" && role != "main" {
			continue
		}
		rank := 1 << 29
		if r, err := strconv.Atoi(strings.TrimSpace(h.get("rank"))); err == nil {
			rank = r
		}
		if rank < bestRank {
			best, bestRank = text, rank
		}
	}
	if best == "" && len(hs) > 0 {
		best = strings.TrimSpace(hs[0].textContent())
	}
	return best
}

// g2Description prefers a summary, teaser or abstract; else the first description.
func g2Description(ds []*g2Node) string {
	for _, d := range ds {
		switch lastSegment(d.get("role")) {
		case "summary", "teaser", "abstract":
			if t := strings.TrimSpace(d.textContent()); t != "" {
				return t
			}
		}
	}
	for _, d := range ds {
		if t := strings.TrimSpace(d.textContent()); t != "" {
			return t
		}
	}
	return ""
}

// g2Name is a concept's name: the one in the item's language when there are
// several, else the first; a concept with no name element may be named by its
// text (older documents write <located>Berlin</located>).
func g2Name(n *g2Node, lang string) string {
	names := n.children("name")
	if len(names) == 0 {
		if len(n.kids) == 1 && n.kids[0].name.Local == "" {
			return strings.TrimSpace(n.kids[0].text.String())
		}
		return ""
	}
	want := primaryTag(lang)
	for _, nm := range names {
		if want != "" && primaryTag(nm.lang()) == want {
			return strings.TrimSpace(nm.textContent())
		}
	}
	return strings.TrimSpace(names[0].textContent())
}

func primaryTag(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}

// g2Asserts maps the codes the item's assert blocks describe to their names, so
// machine-tagged subjects without names get one.
func g2Asserts(n *g2Node, lang string) map[string]string {
	m := make(map[string]string)
	for _, a := range n.children("assert") {
		if c := a.code(); c != "" {
			if name := g2Name(a, lang); name != "" {
				m[c] = name
			}
		}
	}
	return m
}

// g2Body returns the item's text from its contentSet: inline XML as HTML for
// enrich to clean (XHTML's <body>, NITF's <body.content>), or inline data as
// published. A NITF byline is returned too, for items without <by>. Remote
// content is never fetched.
func g2Body(cs *g2Node) (body, nitfBy string) {
	if cs == nil {
		return "", ""
	}
	for _, k := range cs.kids {
		switch k.name.Local {
		case "inlineXML":
			body, nitfBy = inlineXMLBody(k)
		case "inlineData":
			if ct := strings.ToLower(k.get("contenttype")); ct == "" || strings.HasPrefix(ct, "text/") {
				body = k.textContent()
			}
		}
		if strings.TrimSpace(body) != "" {
			return body, nitfBy
		}
	}
	return "", ""
}

func inlineXMLBody(n *g2Node) (body, nitfBy string) {
	root := firstElement(n)
	if root == nil {
		return strings.TrimSpace(n.textContent()), ""
	}
	var b strings.Builder
	switch root.name.Local {
	case "html":
		// The page's <head> and the <header> above the article (dateline,
		// slugline lists, the headline again) are not story text.
		content := root
		if body := root.child("body"); body != nil {
			content = body
		}
		for _, k := range content.kids {
			if k.name.Local != "head" && k.name.Local != "header" {
				writeHTML(&b, k, 0)
			}
		}
	case "nitf":
		body := root.child("body")
		if body == nil {
			break
		}
		if head := body.child("body.head"); head != nil {
			if by := head.child("byline"); by != nil {
				nitfBy = strings.Join(strings.Fields(by.textContent()), " ")
			}
		}
		if c := body.child("body.content"); c != nil {
			for _, k := range c.kids {
				writeHTML(&b, k, 0)
			}
		}
	default:
		for _, k := range n.kids {
			writeHTML(&b, k, 0)
		}
	}
	return b.String(), nitfBy
}

func firstElement(n *g2Node) *g2Node {
	for _, k := range n.kids {
		if k.name.Local != "" {
			return k
		}
	}
	return nil
}

// writeHTML serialises an inline XML element as HTML: local names, escaped text,
// explicit end tags (an XHTML <p/> must not open a paragraph that never ends).
func writeHTML(b *strings.Builder, n *g2Node, depth int) {
	if n.name.Local == "" {
		b.WriteString(html.EscapeString(n.text.String()))
		return
	}
	if depth > maxXMLDepth {
		return
	}
	name := n.name.Local
	b.WriteByte('<')
	b.WriteString(name)
	for _, a := range n.attr {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(a.Name.Local)
		b.WriteString(`="`)
		b.WriteString(html.EscapeString(a.Value))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if htmlVoid[name] {
		return
	}
	for _, k := range n.kids {
		writeHTML(b, k, depth+1)
	}
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}
