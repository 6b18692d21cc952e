package wire

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// maxBoilerplate is the longest paragraph that may be dropped as boilerplate: a cue
// inside a longer paragraph is part of the story ("the newsletter, which...").
const maxBoilerplate = 160

// boilerStarts open a paragraph that is site furniture, not story (folded).
var boilerStarts = []string{
	// read more
	"read more", "read also", "also read", "read next", "more:", "see also", "related:", "related stories", "related articles",
	"related coverage", "lire aussi", "a lire aussi", "lire la suite", "voir aussi", "a voir aussi", "sur le meme sujet",
	"leer mas", "lea tambien", "lee tambien", "le puede interesar", "te puede interesar", "ver tambien", "mas informacion",
	"mehr dazu", "mehr zum thema", "weiterlesen", "lesen sie auch", "lesen sie mehr", "auch interessant", "das konnte sie auch interessieren",
	"leggi anche", "leia tambem", "leia mais",
	// share
	"share this", "share on", "share:", "share via", "partager sur", "partagez", "compartir en", "comparte", "compartelo", "teilen sie", "jetzt teilen",
	"tweet this", "email this",
	// subscribe
	"subscribe", "sign up", "get our newsletter", "get the newsletter", "newsletter:", "abonnez-vous", "inscrivez-vous", "abonnez vous",
	"suscribete", "suscribase", "registrate", "abonnieren", "jetzt abonnieren", "melden sie sich", "iscriviti", "assine",
	// rights
	"©", "(c) 1", "(c) 2", "copyright", "all rights reserved", "tous droits reserves", "todos los derechos reservados",
	"alle rechte vorbehalten", "tutti i diritti riservati", "todos os direitos reservados",
	// calls to action
	"click here", "cliquez ici", "haga clic", "pulse aqui", "pinche aqui", "hier klicken", "klicken sie hier",
	"follow us", "suivez-nous", "suivez nous", "siguenos", "folgen sie uns", "seguici",
	// origin notes
	"this article was originally published", "this story was originally published", "this article originally appeared",
	"this story originally appeared", "originally published", "cet article a ete publie", "cet article a initialement ete publie",
	"este articulo fue publicado originalmente", "dieser artikel erschien zuerst", "dieser artikel ist zuerst erschienen",
}

// boilerContains mark a short paragraph wherever they appear.
var boilerContains = []string{
	"all rights reserved", "tous droits reserves", "todos los derechos reservados", "alle rechte vorbehalten",
	"tutti i diritti riservati", "todos os direitos reservados", "originally published on", "click here",
	"sign up for our", "subscribe to our", "abonnez-vous a notre", "suscribete a nuestro", "abonnieren sie unseren",
	"inscrivez-vous a notre", "share on facebook", "share on twitter", "follow us on",
}

// boilerWhole are paragraphs that are boilerplate when they are the whole paragraph.
func isBoilerWhole(f string) bool {
	f = strings.Trim(f, " .:-—|*[]()")
	switch f {
	case "advertisement", "advertising", "sponsored", "sponsored content", "publicite", "publicidad", "anzeige", "werbung",
		"pubblicita", "publicidade", "ad", "share", "partager", "compartir", "teilen", "related", "newsletter", "facebook", "twitter", "x",
		"facebook twitter", "whatsapp", "email", "print", "imprimer", "drucken":
		return true
	}
	return false
}

// IsBoilerplate reports whether one paragraph is boilerplate.
func IsBoilerplate(para string) bool {
	p := strings.TrimSpace(para)
	if p == "" || len(p) > maxBoilerplate {
		return false
	}
	f := textkit.Fold(p)
	if isBoilerWhole(f) {
		return true
	}
	f = strings.TrimLeft(f, " >»•*-—–|[(")
	for _, cue := range boilerStarts {
		if strings.HasPrefix(f, cue) && cueEnds(f, cue) {
			return true
		}
	}
	for _, cue := range boilerContains {
		if strings.Contains(f, cue) {
			return true
		}
	}
	return false
}

// StripBoilerplate drops the paragraphs that are boilerplate — read more, share,
// subscribe, copyright, "All rights reserved", "Advertisement", "originally published
// on" — and keeps the others byte for byte, joined by a blank line.
func StripBoilerplate(body string) string {
	drop := false
	for rest := body; ; {
		k := strings.Index(rest, "\n\n")
		para := rest
		if k >= 0 {
			para = rest[:k]
		}
		if IsBoilerplate(para) {
			drop = true
			break
		}
		if k < 0 {
			break
		}
		rest = rest[k+2:]
	}
	if !drop {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for rest := body; ; {
		k := strings.Index(rest, "\n\n")
		para := rest
		if k >= 0 {
			para = rest[:k]
		}
		if !IsBoilerplate(para) {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(para)
		}
		if k < 0 {
			break
		}
		rest = rest[k+2:]
	}
	return b.String()
}

// cueEnds checks that a cue matched at the start of f ends a word ("subscribe" but
// not "subscribers"), and that "copyright" opens a notice, not a sentence about it.
func cueEnds(f, cue string) bool {
	rest := f[len(cue):]
	if rest != "" {
		c := cue[len(cue)-1]
		if ('a' <= c && c <= 'z') && ('a' <= rest[0] && rest[0] <= 'z' || rest[0] >= 0x80) {
			return false
		}
	}
	if cue == "copyright" {
		if len(rest) > 12 {
			rest = rest[:12]
		}
		return strings.ContainsAny(rest, "0123456789©") || strings.Contains(rest, "(c)")
	}
	return true
}
