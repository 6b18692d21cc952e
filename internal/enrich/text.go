package enrich

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// htmlToText turns a body as published — HTML or plain text — into wirehose's plain
// text: paragraphs separated by exactly one blank line, whitespace inside a paragraph
// collapsed to single spaces, entities decoded, scripts and styles dropped, and the
// result in Unicode NFC so equal text compares equal.
//
// Input without markup keeps its line structure: every non-empty line is a paragraph.
// In HTML, block elements and <br> end a paragraph, and so does a blank line in the
// text itself, because feeds often mix markup with plain paragraphs.
func htmlToText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var paras []string
	if looksLikeHTML(s) {
		paras = htmlParagraphs(s)
	} else {
		paras = plainParagraphs(s)
	}
	return norm.NFC.String(strings.Join(paras, "\n\n"))
}

// textLine is htmlToText for one-line fields (headlines, bylines): paragraphs are
// joined by a space.
func textLine(s string) string {
	return strings.ReplaceAll(htmlToText(s), "\n\n", " ")
}

// looksLikeHTML reports whether s holds at least one tag of a real HTML element, a
// comment or a doctype. It scans rather than tokenizes so that a body cut off inside
// a tag still counts, and unknown names ("<Reuters>") do not, so plain text that
// merely contains angle brackets keeps them.
func looksLikeHTML(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		if strings.HasPrefix(s, "!--") || len(s) >= 8 && strings.EqualFold(s[:8], "!doctype") {
			return true
		}
		name := strings.TrimPrefix(s, "/")
		n := 0
		for n < len(name) && (isASCIILetter(name[n]) || n > 0 && '0' <= name[n] && name[n] <= '9') {
			n++
		}
		if n == 0 {
			continue
		}
		if n < len(name) && !strings.ContainsRune(" \t\n\f/>", rune(name[n])) {
			continue
		}
		if atom.Lookup([]byte(strings.ToLower(name[:n]))) != 0 {
			return true
		}
	}
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func htmlParagraphs(s string) []string {
	z := html.NewTokenizer(strings.NewReader(s))
	p := paragraphs{blankLineEnds: true}
	skip := 0 // depth inside elements whose content is not text (script, style, ...)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF, or a tokenizer error on broken input: keep what was read.
			p.end()
			return p.out
		case html.TextToken:
			if skip == 0 {
				p.text(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case isSkipped(a):
				// The tokenizer reads a raw-text element's content as text even after
				// a self-closing "<script/>", as browsers do, so that opens one too.
				if tt == html.StartTagToken || (tt == html.SelfClosingTagToken && isRawText(a)) {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case skip > 0:
			case isBlock(a):
				p.end()
			case a == atom.Td || a == atom.Th:
				p.space()
			}
		}
	}
}

func plainParagraphs(s string) []string {
	var p paragraphs
	for _, line := range strings.FieldsFunc(s, isLineBreak) {
		p.text(html.UnescapeString(line))
		p.end()
	}
	return p.out
}

// paragraphs collects text into paragraphs, collapsing whitespace as it goes.
type paragraphs struct {
	out           []string
	cur           strings.Builder
	pendingSpace  bool // whitespace seen since the last rune written
	newlines      int  // newlines in the current run of whitespace
	blankLineEnds bool // a blank line in the text ends the paragraph
}

func (p *paragraphs) text(s string) {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			p.pendingSpace = true
			if r == '\n' {
				p.newlines++
				if p.blankLineEnds && p.newlines >= 2 {
					p.end()
				}
			}
		case isInvisible(r):
		default:
			if p.pendingSpace && p.cur.Len() > 0 {
				p.cur.WriteByte(' ')
			}
			p.pendingSpace = false
			p.newlines = 0
			p.cur.WriteRune(r)
		}
	}
}

// space separates what comes next from what came before (table cells).
func (p *paragraphs) space() { p.pendingSpace = true }

func (p *paragraphs) end() {
	if p.cur.Len() > 0 {
		p.out = append(p.out, p.cur.String())
		p.cur.Reset()
	}
	p.pendingSpace = false
	p.newlines = 0
}

// isInvisible reports runes that carry no text: control characters (NUL breaks
// PostgreSQL text columns), soft hyphens, zero-width spaces and byte-order marks.
// Whitespace is handled before this is asked.
func isInvisible(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsControl(r)
}

func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// isBlock reports elements that end a paragraph where they open or close.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Tr, atom.Section, atom.Article,
		atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Table, atom.Caption, atom.Pre, atom.Hr,
		atom.Header, atom.Footer, atom.Aside, atom.Figure, atom.Figcaption, atom.Main, atom.Nav,
		atom.Address, atom.Body, atom.Html:
		return true
	}
	return false
}

// isRawText reports skipped elements whose content the tokenizer reads as raw text
// up to the matching end tag.
func isRawText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Noembed, atom.Noframes, atom.Title:
		return true
	}
	return false
}

// isSkipped reports elements whose content is never story text.
func isSkipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Noembed,
		atom.Noframes, atom.Title, atom.Svg, atom.Math, atom.Object:
		return true
	}
	return false
}
