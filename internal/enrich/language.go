package enrich

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Language is the enricher that decides the story's language from its text, with the
// language the feed declared (what the stage put in Language) as the prior.
type Language struct{ detector *languageDetector }

// NewLanguage returns the language enricher.
func NewLanguage() Language { return Language{detector: newLanguageDetector()} }

func (Language) Name() string    { return "language" }
func (Language) Version() string { return "2" }

func (l Language) Enrich(_ context.Context, s *pipeline.Story) error {
	s.Language = l.detector.detect(s.Headline()+"\n\n"+s.Text(), s.Language)
	return nil
}

// Stop words per language: very common function words, chosen by us. A word may
// belong to several languages; only the difference between scores decides.
const (
	stopEN = "the of and to in is was that for on with as by at from it its he she they his her " +
		"their this these those which who been have has had were are be will would said an not " +
		"but or after than also about into there more over we you"
	stopFR = "le la les des du un une et est dans pour que qui sur pas au aux avec ce cette ces " +
		"il elle ils elles sont ont été par mais ou leur leurs nous vous plus se son sa ses selon " +
		"après était avait entre comme aussi lors sans être où à en de"
	stopES = "el la los las de del y en que un una unos por para con es está son fue ha han se su " +
		"sus al lo como más pero sin sobre este esta estos entre también hasta desde cuando muy ya " +
		"hay porque según dijo tras ante aunque"
	stopDE = "der die das den dem des ein eine einen einem einer und ist nicht mit von zu im auf " +
		"für sich auch es sie er wir bei nach aus am an als wie dass noch hat haben wird wurde " +
		"werden sind war oder aber nur um über vor zum zur sagte bis durch seine ihre in"
	stopIT = "il lo la i gli le di del della dei delle degli da dal dalla in nel nella con su sul " +
		"per tra fra un una uno e è che non si ha hanno sono era anche come più ma al alla ai " +
		"questo questa dopo secondo loro suo sua ed"
	stopPT = "o os a as de do da dos das e em no na nos nas um uma que para com por pelo pela se " +
		"não ao aos à é foi são está mais mas como seu sua seus suas ou ele ela eles também já " +
		"disse entre após sobre quando isso este esta"
	stopNL = "de het een en van in is op dat die te met voor niet zijn aan er om ook als bij door " +
		"naar uit maar nog wordt werd worden heeft hebben was of dan zo over tot hij zij ze we wij " +
		"dit deze geen al kan zal na volgens zei tegen onder"
)

// Thresholds of the vote by script share and by stop words.
const (
	minTokens      = 3        // fewer words than this is too short to tell
	minHits        = 2        // the winner needs at least this many stop words
	minHitShare    = 0.12     // ...making up at least this share of the words
	closeMargin    = 2        // a lead of fewer stop words than this is too close to call
	closeRatio     = 1.25     // so is a winner with less than this multiple of the runner-up
	maxTokens      = 300      // words looked at; the start of a story is enough
	maxText        = 64 << 10 // bytes of text looked at, for the same reason
	maxLetters     = 3000     // letters counted for the script share
	minLetters     = 2        // fewer letters than this tells nothing
	kanaForJA      = 0.1      // share of kana among CJK letters that makes CJK text Japanese
	scriptMajority = 0.5
)

type script int

const (
	scriptUnknown script = iota
	scriptLatin
	scriptCyrillic
	scriptArabic
	scriptCJK
	scriptHangul
	scriptOther
)

// languageDetector tells the language of a story's text as an ISO 639-1 code.
// Latin-script languages it knows (en, fr, es, de, it, pt, nl) are told by stop words;
// Russian, Arabic, Chinese, Japanese and Korean by their script. The feed's declared
// language is the prior: it answers when the text is too short or too close to call,
// and when the script fits but the text's language is not one the detector knows.
type languageDetector struct {
	langs []string
	// words maps a stop word, its UTF-8 bytes packed into an integer (see packWord),
	// to the bit set of indexes into langs of the languages it belongs to.
	words map[uint64]uint8
}

// maxStopWord is the longest stop word in bytes: packWord fits it in a uint64.
const maxStopWord = 8

// packWord packs a word of at most maxStopWord bytes into an integer, which hashes
// faster than a string; the length goes into no bit, since no byte of UTF-8 is zero.
func packWord(w []byte) uint64 {
	var k uint64
	for _, c := range w {
		k = k<<8 | uint64(c)
	}
	return k
}

func newLanguageDetector() *languageDetector {
	d := &languageDetector{words: make(map[uint64]uint8)}
	for i, l := range []struct{ code, words string }{
		{"en", stopEN}, {"fr", stopFR}, {"es", stopES}, {"de", stopDE},
		{"it", stopIT}, {"pt", stopPT}, {"nl", stopNL},
	} {
		d.langs = append(d.langs, l.code)
		for _, w := range strings.Fields(l.words) {
			if len(w) > maxStopWord {
				panic("language: stop word " + w + " is longer than maxStopWord")
			}
			d.words[packWord([]byte(w))] |= 1 << i
		}
	}
	return d
}

// detect returns the language of text, the declared language when the text cannot
// tell and does not contradict it, or "".
func (d *languageDetector) detect(text, declared string) string {
	prior := primaryLanguage(declared)
	if len(text) > maxText {
		text = text[:maxText] // a rune cut in two is not a letter and is skipped
	}
	var latin, cyrillic, arabic, han, kana, hangul, other int
	n := 0
	for _, r := range text {
		if n >= maxLetters {
			break
		}
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				n++
				latin++
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		n++
		switch {
		case r < 0x250 || unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		default:
			other++
		}
	}
	if n < minLetters {
		return prior
	}
	major := func(c int) bool { return float64(c) > scriptMajority*float64(n) }
	switch {
	case major(latin):
		return d.byStopWords(text, prior)
	case major(cyrillic):
		return byScript(prior, scriptCyrillic, "ru")
	case major(arabic):
		return byScript(prior, scriptArabic, "ar")
	case major(han + kana):
		if float64(kana) >= kanaForJA*float64(han+kana) {
			return "ja"
		}
		return byScript(prior, scriptCJK, "zh")
	case major(hangul):
		return "ko"
	}
	// Another script, or a mix: only a prior the text does not contradict.
	if s := scriptOf(prior); s == scriptUnknown || s == scriptOther {
		return prior
	}
	return ""
}

// byStopWords votes among the Latin-script languages by stop-word counts.
func (d *languageDetector) byStopWords(text, prior string) string {
	fallback := ""
	if s := scriptOf(prior); s == scriptLatin || s == scriptUnknown {
		fallback = prior
	}
	scores := make([]int, len(d.langs))
	tokens := 0
	// One pass, lower-casing each word into a reused buffer.
	buf := make([]byte, 0, 32)
	count := func() {
		if len(buf) == 0 {
			return
		}
		tokens++
		if len(buf) > maxStopWord {
			buf = buf[:0]
			return // longer than every stop word: no lookup
		}
		set := d.words[packWord(buf)]
		for i := range scores {
			if set&(1<<i) != 0 {
				scores[i]++
			}
		}
		buf = buf[:0]
	}
	for _, r := range text {
		if tokens >= maxTokens {
			break
		}
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z'):
			buf = append(buf, byte(r))
		case r < utf8.RuneSelf && ('A' <= r && r <= 'Z'):
			buf = append(buf, byte(r+'a'-'A'))
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r)):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			count()
		}
	}
	if tokens < maxTokens {
		count()
	}
	best, second := 0, -1
	for i := 1; i < len(scores); i++ {
		if scores[i] > scores[best] {
			best, second = i, best
		} else if second < 0 || scores[i] > scores[second] {
			second = i
		}
	}
	if tokens < minTokens || scores[best] < minHits || float64(scores[best]) < minHitShare*float64(tokens) {
		return fallback
	}
	tooClose := func(a, b int) bool { return a-b < closeMargin || float64(a) < closeRatio*float64(b) }
	if !tooClose(scores[best], scores[second]) {
		return d.langs[best]
	}
	// Too close to call: the prior decides if it is one of the contenders, or a
	// Latin-script language the detector does not model.
	for i, l := range d.langs {
		if l == prior {
			if tooClose(scores[best], scores[i]) {
				return prior
			}
			return ""
		}
	}
	return fallback
}

// byScript answers for text written in script s: the declared language when it is
// written in s (Ukrainian in Cyrillic, Persian in Arabic script), else def.
func byScript(prior string, s script, def string) string {
	if prior != "" && scriptOf(prior) == s {
		return prior
	}
	return def
}

// primaryLanguage returns the primary subtag of a language tag, lower-cased
// ("en-GB" → "en", "pt_BR" → "pt"), mapping common three-letter codes to their
// two-letter form; "" when it is not a language code.
func primaryLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	switch tag {
	case "eng":
		return "en"
	case "fra", "fre":
		return "fr"
	case "spa":
		return "es"
	case "deu", "ger":
		return "de"
	case "ita":
		return "it"
	case "por":
		return "pt"
	case "nld", "dut":
		return "nl"
	case "rus":
		return "ru"
	case "ara":
		return "ar"
	case "zho", "chi":
		return "zh"
	case "jpn":
		return "ja"
	case "kor":
		return "ko"
	}
	if len(tag) < 2 || len(tag) > 3 || strings.Trim(tag, "abcdefghijklmnopqrstuvwxyz") != "" {
		return ""
	}
	return tag
}

// scriptOf returns the script a language is usually written in, for the languages
// the detector can contradict or confirm; scriptUnknown for the rest.
func scriptOf(lang string) script {
	switch lang {
	case "en", "fr", "es", "de", "it", "pt", "nl", "ca", "da", "fi", "ga", "hr", "hu", "id",
		"is", "lt", "lv", "ms", "mt", "nb", "nn", "no", "pl", "ro", "sk", "sl", "sq", "sv",
		"sw", "tr", "vi", "cs", "et", "eu", "gl", "af", "cy":
		return scriptLatin
	case "ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn":
		return scriptCyrillic
	case "ar", "fa", "ur", "ps", "sd", "ug":
		return scriptArabic
	case "zh", "ja", "yue":
		return scriptCJK
	case "ko":
		return scriptHangul
	case "el", "he", "yi", "hi", "mr", "ne", "bn", "ta", "te", "th", "am", "ka", "hy":
		return scriptOther
	}
	return scriptUnknown
}
