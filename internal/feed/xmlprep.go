package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// maxXMLDepth bounds element nesting. Real feeds stay under 50 levels even with
// XHTML bodies; a document nesting thousands of elements is an attack on the
// parser's memory, refused before any parser builds anything.
const maxXMLDepth = 1000

// ErrTooDeep: the document nests elements deeper than any feed does.
var ErrTooDeep = errors.New("elements nested too deeply")

// xmlToUTF8 returns the XML document in UTF-8, declared as such, so that every
// XML parser downstream (gofeed, the NewsML-G2 reader, recovery) sees the same
// bytes and offsets. The encoding comes from, in order: a byte order mark, the
// XML declaration, the HTTP charset. Without any of these, bytes that are not
// valid UTF-8 are read as Windows-1252 when the document holds no UTF-8 at all
// (a Latin-1 feed that forgot to say so), else replaced with U+FFFD.
func xmlToUTF8(body []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		body = body[3:]
	case bytes.HasPrefix(body, []byte("\xfe\xff")), bytes.HasPrefix(body, []byte("\xff\xfe")):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
		if err != nil {
			return body
		}
		return setUTF8Declaration(out)
	}
	if label := declaredEncoding(body); label != "" {
		return transcode(body, label)
	}
	if label := httpCharset(contentType); label != "" {
		return transcode(body, label)
	}
	return validUTF8(body)
}

// transcode decodes body from the named encoding into UTF-8 and rewrites its
// declaration. An unknown label leaves the document as it is: the XML parser
// then reports the encoding it cannot read.
func transcode(body []byte, label string) []byte {
	enc, name := charset.Lookup(label)
	if enc == nil {
		return body
	}
	if name == "utf-8" {
		return validUTF8(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return setUTF8Declaration(out)
}

func validUTF8(body []byte) []byte {
	if utf8.Valid(body) {
		return body
	}
	if !hasMultibyteUTF8(body) {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(body); err == nil {
			return out
		}
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}

// hasMultibyteUTF8 reports whether b holds at least one valid multi-byte UTF-8
// sequence: then the document is UTF-8 with a few bad bytes, not Latin-1.
func hasMultibyteUTF8(b []byte) bool {
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		b = b[i:]
		if len(b) == 0 {
			return false
		}
		r, size := utf8.DecodeRune(b)
		if r != utf8.RuneError && size > 1 {
			return true
		}
		b = b[1:]
	}
	return false
}

func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(params["charset"]))
}

// xmlDecl returns the XML declaration "<?xml ... ?>" at the start of b, or nil.
func xmlDecl(b []byte) []byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return nil
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 || end > 512 {
		return nil
	}
	return b[:end]
}

// encodingValue locates the value of the encoding pseudo-attribute in decl.
func encodingValue(decl []byte) (start, end int, ok bool) {
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return 0, 0, false
	}
	j := i + len("encoding")
	for j < len(decl) && (decl[j] == ' ' || decl[j] == '=' || decl[j] == '\t') {
		j++
	}
	if j >= len(decl) || decl[j] != '"' && decl[j] != '\'' {
		return 0, 0, false
	}
	q := decl[j]
	k := bytes.IndexByte(decl[j+1:], q)
	if k < 0 {
		return 0, 0, false
	}
	return j + 1, j + 1 + k, true
}

// declaredEncoding is the encoding named by the XML declaration, lower-cased, or "".
func declaredEncoding(b []byte) string {
	decl := xmlDecl(b)
	start, end, ok := encodingValue(decl)
	if !ok {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(string(decl[start:end])))
}

// setUTF8Declaration makes the XML declaration, if any, say UTF-8.
func setUTF8Declaration(b []byte) []byte {
	decl := xmlDecl(b)
	start, end, ok := encodingValue(decl)
	if !ok {
		return b
	}
	off := len(b) - len(bytes.TrimLeft(b, " \t\r\n"))
	out := make([]byte, 0, len(b)+8)
	out = append(out, b[:off+start]...)
	out = append(out, "UTF-8"...)
	return append(out, b[off+end:]...)
}

// htmlVoid are HTML elements written without an end tag; feeds that embed HTML
// unescaped use them, so they must not count as nesting.
var htmlVoid = map[string]bool{
	"br": true, "hr": true, "img": true, "input": true, "meta": true, "link": true,
	"area": true, "base": true, "col": true, "embed": true, "param": true, "source": true,
	"track": true, "wbr": true,
}

// checkXMLDepth refuses a document whose elements nest deeper than max. It scans
// bytes instead of tokenizing, so it costs a small fraction of a parse: it skips
// comments, CDATA, processing instructions, declarations and quoted attribute
// values, and counts start tags against end tags.
func checkXMLDepth(b []byte, max int) error {
	depth := 0
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 || i+1 >= len(b) {
			return nil
		}
		b = b[i+1:]
		switch c := b[0]; {
		case c == '/':
			depth--
			b = skipPast(b, ">")
		case c == '?':
			b = skipPast(b, "?>")
		case c == '!':
			switch {
			case bytes.HasPrefix(b, []byte("!--")):
				b = skipPast(b[3:], "-->")
			case bytes.HasPrefix(b, []byte("![CDATA[")):
				b = skipPast(b[8:], "]]>")
			default:
				b = skipPast(b, ">")
			}
		default:
			end, selfClosing := tagEnd(b)
			name := b[:tagNameLen(b[:end])]
			b = b[end:]
			if selfClosing || isHTMLVoid(name) {
				continue
			}
			depth++
			if depth > max {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, max)
			}
		}
	}
}

func isHTMLVoid(name []byte) bool {
	if len(name) < 2 || len(name) > 6 {
		return false
	}
	var lower [6]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return htmlVoid[string(lower[:len(name)])] // no allocation: the compiler reads the map in place
}

func skipPast(b []byte, marker string) []byte {
	i := bytes.Index(b, []byte(marker))
	if i < 0 {
		return nil
	}
	return b[i+len(marker):]
}

// tagEnd finds the '>' closing the start tag at the head of b (quotes respected)
// and whether the tag closes itself.
func tagEnd(b []byte) (end int, selfClosing bool) {
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1, i > 0 && b[i-1] == '/'
		}
	}
	return len(b), false
}

func tagNameLen(b []byte) int {
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>' {
			return i
		}
	}
	return len(b)
}

// recoverXML is for a document the parser rejected: it finds where the XML
// breaks (truncation, a syntax error) and returns the document cut after the
// last complete element named itemName before that point, with the elements
// still open there closed, so the items before the break can be parsed. ok is
// false when the document does not break or no item completes before it.
// Items after the break are lost: past a syntax error the structure is unknown.
func recoverXML(body []byte, itemName string) (fixed []byte, broken error, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var (
		stack    []xml.Name
		cut      int64 = -1
		cutStack []xml.Name
	)
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if len(stack) == 0 {
					return nil, nil, false
				}
				err = fmt.Errorf("document ends inside <%s>", qualified(stack[len(stack)-1]))
			}
			broken = err
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
			if len(stack) > maxXMLDepth {
				return nil, nil, false
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if t.Name.Local == itemName {
				cut = d.InputOffset()
				cutStack = append(cutStack[:0], stack...)
			}
		}
	}
	if cut < 0 {
		return nil, broken, false
	}
	var b bytes.Buffer
	b.Grow(int(cut) + 64)
	b.Write(body[:cut])
	for i := len(cutStack) - 1; i >= 0; i-- {
		b.WriteString("</" + qualified(cutStack[i]) + ">")
	}
	return b.Bytes(), broken, true
}
