// Package wire reads what wire copy says about itself: the dateline that opens a
// story, the credit line that closes it, a byline, and the boilerplate that web
// copies carry around the text.
package wire

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// agencyNames lists news agencies by the short name each uses itself, with the other
// forms it is written in: full names, older names, common abbreviations. Keys are
// compared after folding case and diacritics and collapsing punctuation to spaces.
var agencyNames = [][]string{
	{"AFP", "Agence France-Presse", "Agence France Presse", "France-Presse", "France Presse"},
	{"Reuters", "Thomson Reuters", "Reuters News"},
	{"AP", "Associated Press", "The Associated Press", "The AP"},
	{"dpa", "Deutsche Presse-Agentur", "Deutsche Presse Agentur", "dpa-AFX"},
	{"EFE", "Agencia EFE", "Agencia Efe"},
	{"ANSA", "Agenzia Nazionale Stampa Associata"},
	{"Bloomberg", "Bloomberg News"},
	{"Xinhua", "Xinhua News Agency", "New China News Agency"},
	{"Kyodo", "Kyodo News"},
	{"UPI", "United Press International"},
	{"PA Media", "PA", "Press Association", "PA Media Group"},
	{"Belga", "Agence Belga"},
	{"Keystone-ATS", "ATS", "Keystone-SDA", "SDA", "SDA-ATS", "Keystone ATS", "Keystone SDA", "ATS-SDA"},
	{"APA", "Austria Presse Agentur", "APA-Austria Presse Agentur"},
	{"Europa Press"},
	{"Lusa", "Agência Lusa", "Lusa News Agency"},
	{"TASS", "ITAR-TASS"},
	{"RIA Novosti", "RIA"},
	{"Interfax"},
	{"Anadolu", "Anadolu Agency", "Anadolu Ajansı", "AA"},
	{"Yonhap", "Yonhap News Agency"},
	{"PTI", "Press Trust of India"},
	{"IANS", "Indo-Asian News Service"},
	{"ANP", "Algemeen Nederlands Persbureau"},
	{"TT", "Tidningarnas Telegrambyrå"},
	{"NTB", "Norsk Telegrambyrå"},
	{"Ritzau", "Ritzaus Bureau"},
	{"STT", "STT-FNB", "Suomen Tietotoimisto"},
	{"ČTK", "CTK", "Česká tisková kancelář"},
	{"PAP", "Polska Agencja Prasowa", "Polish Press Agency"},
	{"MTI", "Magyar Távirati Iroda"},
	{"Agerpres"},
	{"Tanjug"},
	{"HINA", "Hrvatska izvještajna novinska agencija"},
	{"ANA-MPA", "ANA", "Athens News Agency", "Athens-Macedonian News Agency"},
	{"KUNA", "Kuwait News Agency"},
	{"WAM", "Emirates News Agency"},
	{"SPA", "Saudi Press Agency"},
	{"MENA", "Middle East News Agency"},
	{"IRNA", "Islamic Republic News Agency"},
	{"AAP", "Australian Associated Press"},
	{"Jiji", "Jiji Press"},
	{"The Canadian Press", "CP", "Canadian Press", "La Presse Canadienne"},
	{"Notimex"},
	{"Télam", "Telam"},
	{"Prensa Latina"},
	{"EPA", "European Pressphoto Agency", "EPA-EFE"},
	{"AGI", "Agenzia Giornalistica Italia"},
	{"Adnkronos"},
	{"Ukrinform"},
	{"Bernama"},
	{"Antara"},
	{"KCNA", "Korean Central News Agency"},
	{"SANA", "Syrian Arab News Agency"},
	{"MAP", "Maghreb Arabe Presse"},
	{"APS", "Algérie Presse Service"},
	{"TAP", "Tunis Afrique Presse"},
	{"CNA", "Central News Agency"},
	{"Sputnik"},
	{"NZPA"},
	{"PR Newswire", "PRNewswire", "PR Newswire-FirstCall"},
	{"Business Wire", "BusinessWire"},
	{"GlobeNewswire", "Globe Newswire"},
}

// agencies maps a folded form to its canonical name. It is built once and only read.
var agencies = func() map[string]string {
	m := make(map[string]string, 200)
	for _, forms := range agencyNames {
		for _, f := range forms {
			m[agencyKey(f)] = forms[0]
		}
	}
	return m
}()

// agencyKey folds a name for lookup: lower case without diacritics, hyphens, dots and
// slashes as spaces, runs of spaces collapsed.
func agencyKey(s string) string {
	s = textkit.Fold(strings.TrimSpace(s))
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '.' || c == '/' || c == '_' || (c == ' ' && (i == 0 || s[i-1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '-', '/', '_', ' ':
			if !space {
				b = append(b, ' ')
				space = true
			}
		case '.':
		default:
			b = append(b, c)
			space = false
		}
	}
	return strings.TrimRight(string(b), " ")
}

// Agency returns the canonical short name of a news agency written in any of its
// usual forms ("Agence France-Presse" → "AFP", "Associated Press" → "AP",
// "Deutsche Presse-Agentur" → "dpa"), and false for anything else.
func Agency(name string) (canonical string, ok bool) {
	if len(name) == 0 || len(name) > 60 {
		return "", false
	}
	c, ok := agencies[agencyKey(name)]
	return c, ok
}
