package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"only whitespace", " \n\t \n", ""},
		{"plain single line", "  Markets  rally\tafter  vote ", "Markets rally after vote"},
		{"plain lines become paragraphs", "Headline\nStandfirst.\n\n\nBody one.\r\nBody two.\rAFP", "Headline\n\nStandfirst.\n\nBody one.\n\nBody two.\n\nAFP"},
		{"plain entities decoded", "Tom &amp; Jerry &#8212; caf&eacute;", "Tom & Jerry — café"},
		{"plain angle brackets kept", "Shares < 5% of float; growth > 2", "Shares < 5% of float; growth > 2"},
		{"plain unknown tag kept", "Filed by <Reuters> desk", "Filed by <Reuters> desk"},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"div and headings", "<div><h2>Title</h2><div>Text</div></div>", "Title\n\nText"},
		{"br ends a paragraph", "PARIS<br>Text<br/>More<BR />", "PARIS\n\nText\n\nMore"},
		{"list items", "<ul><li>first</li><li>second</li></ul>", "first\n\nsecond"},
		{"blockquote section article", "<article><section>a</section><blockquote>b</blockquote></article>", "a\n\nb"},
		{"table rows and cells", "<table><tr><td>Team</td><td>Points</td></tr><tr><td>Red</td><td>3</td></tr></table>", "Team Points\n\nRed 3"},
		{"inline elements join", "<p>un<b>believ</b>able <i>news</i>!</p>", "unbelievable news!"},
		{"inline whitespace collapsed", "<p>  a \n\t b&nbsp;&nbsp;c  </p>", "a b c"},
		{"empty paragraphs dropped", "<p>a</p><p> </p><p>&nbsp;</p><div></div><p>b</p>", "a\n\nb"},
		{"named and numeric entities", "<p>&ldquo;Oui&rdquo; &#8212; &#x2019; &amp; &eacute;t&eacute; &euro;5</p>", "“Oui” — ’ & été €5"},
		{"script style noscript dropped", "<p>a</p><script>var x = '<p>no</p>';</script><style>p{}</style><noscript>no</noscript><p>b</p>", "a\n\nb"},
		{"self-closing script still dropped", "<p>a</p><script/>alert(1)</script><p>b</p>", "a\n\nb"},
		{"comments dropped", "<p>a<!-- hidden --> b</p>", "a b"},
		{"blank line in html text ends a paragraph", "First para.\n\nSecond <b>para</b>.", "First para.\n\nSecond para."},
		{"single newline in html text is a space", "<p>one\ntwo</p>", "one two"},
		{"unknown tags dropped in html", "<p>a <foo>b</foo> c</p>", "a b c"},
		{"nfc", "<p>Ine\u0300s</p>", "In\u00e8s"},
		{"nfc from numeric entity", "<p>Ine&#x300;s</p>", "In\u00e8s"},
		{"invisible characters removed", "<p>a\u00adb\u200bc\ufeff\x00d</p>", "abcd"},
		{"invalid utf-8 replaced", "<p>a\xffb</p>", "a\ufffdb"},
		{"unclosed tags", "<p>a<p>b<div>c", "a\n\nb\n\nc"},
		{"broken markup", "<p class=\"x>a</p>b", ""},
		{"cut off inside a tag", "<p>First.</p><p>Second <a href=\"https://exa", "First.\n\nSecond"},
		{"tag name with digits", "Headline<h2>Sub</h2>", "Headline\n\nSub"},
		{"text that reads as a known tag is markup", "a <b and c> d", "a d"},
		{"full document", "<!DOCTYPE html><html><head><title>Site</title></head><body><p>a</p></body></html>", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLToTextWireArticle(t *testing.T) {
	want := readFixture(t, "wire_article.want.txt")
	for _, name := range []string{"wire_article.html", "wire_article.txt"} {
		t.Run(name, func(t *testing.T) {
			got := htmlToText(readFixture(t, name))
			if got != want {
				t.Errorf("htmlToText(%s)\n got %q\nwant %q", name, got, want)
			}
			paras := strings.Split(got, "\n\n")
			if len(paras) != 7 {
				t.Errorf("got %d paragraphs, want 7 (headline, standfirst, 4 body, credit)", len(paras))
			}
			if last := paras[len(paras)-1]; last != "AFP" {
				t.Errorf("last paragraph = %q, want the agency credit %q", last, "AFP")
			}
		})
	}
}

func TestTextLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"entities", "Oil &amp; gas prices rise", "Oil & gas prices rise"},
		{"markup", "<b>UPDATE 1</b>-Rates <br>held", "UPDATE 1-Rates held"},
		{"lines joined", "Two\nlines", "Two lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textLine(tt.in); got != tt.want {
				t.Errorf("textLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzHTMLToText(f *testing.F) {
	f.Add("<p>a</p><p>b</p>")
	f.Add("plain\nlines\n\nAFP")
	f.Add("<script>x</script><p>&amp;&#0;&#xD800;&#99999999;</p>")
	f.Add("<table><tr><td>a<td>b</table><br/><svg><p>x</svg>")
	f.Add("\xff\xfe<p\x00>\u0301a")
	f.Fuzz(func(t *testing.T, in string) {
		out := htmlToText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		if !norm.NFC.IsNormalString(out) {
			t.Fatalf("not NFC: %q", out)
		}
		if strings.Contains(out, "\n\n\n") || strings.TrimSpace(out) != out {
			t.Fatalf("bad paragraph spacing: %q", out)
		}
		for _, p := range strings.Split(out, "\n\n") {
			if out != "" && p == "" {
				t.Fatalf("empty paragraph in %q", out)
			}
			for _, r := range p {
				if r != ' ' && unicode.IsSpace(r) {
					t.Fatalf("whitespace %U inside paragraph %q", r, p)
				}
			}
		}
	})
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
