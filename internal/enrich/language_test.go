package enrich

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		name, text, declared, want string
	}{
		// Latin-script languages, told by stop words.
		{"english", "The minister said on Tuesday that the talks with the unions would continue after the holiday.", "", "en"},
		{"french", "Le ministre a déclaré mardi que les négociations avec les syndicats se poursuivront après les fêtes.", "", "fr"},
		{"spanish", "El ministro dijo el martes que las negociaciones con los sindicatos seguirán después de las fiestas.", "", "es"},
		{"german", "Der Minister sagte am Dienstag, dass die Gespräche mit den Gewerkschaften nach den Feiertagen weitergehen.", "", "de"},
		{"italian", "Il ministro ha detto martedì che i negoziati con i sindacati continueranno dopo le feste.", "", "it"},
		{"portuguese", "O ministro disse na terça-feira que as negociações com os sindicatos vão continuar após as festas.", "", "pt"},
		{"dutch", "De minister zei dinsdag dat de gesprekken met de vakbonden na de feestdagen worden voortgezet.", "", "nl"},
		{"spanish headline and body", "Un nuevo puente une las dos orillas del río\n\nLa obra, que costó diez millones, fue inaugurada por el alcalde.", "", "es"},
		{"portuguese headline and body", "Nova ponte liga as duas margens do rio\n\nA obra, que custou dez milhões, foi inaugurada pelo prefeito.", "", "pt"},

		// Other scripts, told by script share.
		{"russian", "Министр заявил во вторник, что переговоры с профсоюзами продолжатся.", "", "ru"},
		{"arabic", "قال الوزير يوم الثلاثاء إن المفاوضات مع النقابات ستستمر بعد العطلة.", "", "ar"},
		{"chinese", "部长星期二表示，与工会的谈判将在假期后继续。", "", "zh"},
		{"japanese", "大臣は火曜日、労働組合との交渉は休暇の後も続くと述べた。", "", "ja"},
		{"korean", "장관은 화요일 노조와의 협상이 휴가 후에도 계속될 것이라고 말했다.", "", "ko"},
		{"cyrillic declared ukrainian", "Міністр заявив у вівторок, що переговори триватимуть.", "uk", "uk"},
		{"arabic script declared persian", "وزیر روز سه شنبه گفت که مذاکرات ادامه خواهد یافت.", "fa-IR", "fa"},

		// The declared language as a prior.
		{"too short, declared", "Brexit", "en-GB", "en"},
		{"too short, declared three-letter code", "Macron", "fra", "fr"},
		{"too short, nothing declared", "Brexit", "", ""},
		{"no letters, declared", "2024 — 3:1", "de_AT", "de"},
		{"unmodelled latin language, declared", "Minister powiedział we wtorek, że rozmowy ze związkami będą kontynuowane.", "pl", "pl"},
		{"unmodelled latin language, nothing declared", "Minister powiedział we wtorek, że rozmowy ze związkami będą kontynuowane.", "", ""},
		{"close call, declared contender wins", "de la casa", "es", "es"},
		{"close call, declared french", "de la maison", "fr", "fr"},

		// The text decides when it clearly disagrees with the feed.
		{"french text in an english feed", "Le gouvernement a annoncé une nouvelle loi sur le logement pour les jeunes.", "en", "fr"},
		{"english text in a german feed", "The company said its profits were higher than in the previous year.", "de-DE", "en"},
		{"russian text in an english feed", "Правительство объявило о новых мерах поддержки.", "en-US", "ru"},
		{"latin text is not the declared russian", "The company said its profits were higher than in the previous year.", "ru", "en"},
		{"short latin text does not take a cyrillic prior", "Brexit", "ru", ""},
		{"close call, declared language clearly beaten", "de la casa de la playa", "de", ""},
		{"close call, nothing declared", "de la casa de la playa", "", ""},
	}
	d := newLanguageDetector()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.detect(tt.text, tt.declared); got != tt.want {
				t.Errorf("detect(%q, %q) = %q, want %q", tt.text, tt.declared, got, tt.want)
			}
		})
	}
}

func TestPrimaryLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en-GB", "en"}, {"EN", "en"}, {"pt_BR", "pt"}, {" fr ", "fr"}, {"deu", "de"},
		{"zh-Hant-TW", "zh"}, {"", ""}, {"english", ""}, {"e", ""}, {"x1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := primaryLanguage(tt.in); got != tt.want {
				t.Errorf("primaryLanguage(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDetectLanguage(f *testing.F) {
	f.Add("The talks will continue.", "en-GB")
	f.Add("Переговоры продолжатся.", "")
	f.Add("\xff", "zz-ZZ")
	d := newLanguageDetector()
	f.Fuzz(func(t *testing.T, text, declared string) {
		got := d.detect(text, declared)
		if got != "" && got != primaryLanguage(declared) && scriptOf(got) == scriptUnknown {
			t.Fatalf("detect(%q, %q) = %q: neither declared nor a language the detector knows", text, declared, got)
		}
	})
}
