package entity

import "github.com/wirehose/wirehose/internal/enrich/textkit"

// scratch holds the buffers of a run that outlive it: a pooled run starts with the
// memory the previous story grew, so that a story of usual size allocates little.
type scratch struct {
	words []string // backing of the folded words of mentions
	key   []byte   // a joined key being looked up
	fold  []byte   // folded forms being compared

	accs []*acc // accumulators; the first nacc are in use
	nacc int

	lists  [][]*acc // candidate lists of surnames and first names; the first nlist are in use
	nlist  int
	people []*acc
	full   []*acc // the people found by full name, for choosing among them by surname
	places []*acc
	orgs   []*acc

	orgMents, placeMents, loose, acronyms []*mention
	ctx                                   []string

	byName, singles, byKey, acrDef map[string]*acc
	surname, firstName             map[string]int // index into lists
	byEntry                        map[int]*acc
	lone, orgShort                 map[string]bool
	sortMents                      byWordCount
	pmemo                          []placeMemo
	pslots                         []int32 // hash table over pmemo: 1 + index, 0 when empty
}

// placeMemo returns what the gazetteer says of the surface form s, asking it once per
// form: a story names the same places and tries the same words again and again.
func (r *run) placeMemo(s string) *placeMemo {
	h := fnvString(s)
	mask := uint64(len(r.pslots) - 1)
	for i := h & mask; len(r.pslots) > 0; i = (i + 1) & mask {
		k := r.pslots[i]
		if k == 0 {
			break
		}
		if pm := &r.pmemo[k-1]; pm.s == s {
			return pm
		}
	}
	n, best := r.x.places.lookup(s)
	r.pmemo = append(r.pmemo, placeMemo{s: s, hash: h, n: n, best: best})
	if 2*len(r.pmemo) > len(r.pslots) {
		r.rehash()
	} else {
		r.insertSlot(len(r.pmemo) - 1)
	}
	return &r.pmemo[len(r.pmemo)-1]
}

func (s *scratch) rehash() {
	n := 64
	for n < 4*len(s.pmemo) {
		n *= 2 // a power of two, for masking
	}
	s.pslots = make([]int32, n)
	for i := range s.pmemo {
		s.insertSlot(i)
	}
}

func (s *scratch) insertSlot(k int) {
	mask := uint64(len(s.pslots) - 1)
	for i := s.pmemo[k].hash & mask; ; i = (i + 1) & mask {
		if s.pslots[i] == 0 {
			s.pslots[i] = int32(k + 1)
			return
		}
	}
}

// placeMemo is what the gazetteer said of one surface form.
type placeMemo struct {
	s        string
	hash     uint64
	n        int // lookup
	best     placeCand
	resolved bool // res and ok hold resolvePlace in the story's context
	res      placeCand
	ok       bool
}

func (s *scratch) reset() {
	clear(s.words)
	s.words = s.words[:0]
	s.nacc, s.nlist = 0, 0
	s.people = emptied(s.people)
	s.full = emptied(s.full)
	s.places = emptied(s.places)
	s.orgs = emptied(s.orgs)
	s.orgMents = emptied(s.orgMents)
	s.placeMents = emptied(s.placeMents)
	s.loose = emptied(s.loose)
	s.acronyms = emptied(s.acronyms)
	s.ctx = emptied(s.ctx)
	s.pmemo = emptied(s.pmemo)
	clear(s.pslots)
	for _, m := range []map[string]*acc{s.byName, s.singles, s.byKey, s.acrDef} {
		clear(m)
	}
	clear(s.surname)
	clear(s.firstName)
	clear(s.byEntry)
	clear(s.lone)
	clear(s.orgShort)
	if s.byName == nil {
		s.byName, s.singles, s.byKey, s.acrDef = map[string]*acc{}, map[string]*acc{}, map[string]*acc{}, map[string]*acc{}
		s.surname, s.firstName = map[string]int{}, map[string]int{}
		s.byEntry = map[int]*acc{}
		s.lone, s.orgShort = map[string]bool{}, map[string]bool{}
	}
}

// emptied returns s empty, its elements zeroed so that they hold on to nothing.
func emptied[T any](s []T) []T {
	clear(s)
	return s[:0]
}

// newWords returns an empty slice with room for n words, carved from the run's
// buffer. Its capacity is exactly n, so that an append copies it rather than writing
// over the words of another mention.
func (s *scratch) newWords(n int) []string {
	if len(s.words)+n > cap(s.words) {
		// the old buffer stays with the mentions that hold it
		s.words = make([]string, 0, max(2*cap(s.words), n, 256))
	}
	k := len(s.words)
	s.words = s.words[:k+n]
	return s.words[k : k : k+n]
}

// newAcc returns an accumulator for an entity first named name, reusing one from an
// earlier story when it can.
func (s *scratch) newAcc(name string, words []string, order int) *acc {
	if s.nacc == len(s.accs) {
		s.accs = append(s.accs, &acc{})
	}
	a := s.accs[s.nacc]
	s.nacc++
	forms := emptied(a.forms)
	*a = acc{name: name, words: words, order: order, last: order, entry: -1, forms: forms}
	a.addForm(name)
	a.mentions = 1
	return a
}

// list returns the index of a new empty candidate list.
func (s *scratch) list() int {
	if s.nlist == len(s.lists) {
		s.lists = append(s.lists, nil)
	}
	s.lists[s.nlist] = emptied(s.lists[s.nlist])
	s.nlist++
	return s.nlist - 1
}

// addTo appends a to the candidate list of key k in m.
func (s *scratch) addTo(m map[string]int, k string, a *acc) {
	i, ok := m[k]
	if !ok {
		i = s.list()
		m[k] = i
	}
	s.lists[i] = append(s.lists[i], a)
}

// joinKey returns the words joined by spaces, as strings.Join would, in a buffer
// valid until the next call: for map lookups that need no string.
func (s *scratch) joinKey(words []string) []byte {
	b := s.key[:0]
	for i, w := range words {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
	}
	s.key = b
	return b
}

// folded returns Fold(x) in a buffer valid until the next call.
func (s *scratch) folded(x string) []byte {
	s.fold = textkit.AppendFold(s.fold[:0], x)
	return s.fold
}

// byWordCount orders mentions of several words before mentions of one.
type byWordCount []*mention

func (b byWordCount) Len() int           { return len(b) }
func (b byWordCount) Less(i, j int) bool { return len(b[i].words) > 1 && len(b[j].words) == 1 }
func (b byWordCount) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// foldSet is a small set of folded strings kept in one buffer: the few agencies and
// acronyms of a story need neither a map nor a string each.
type foldSet struct {
	buf  []byte
	ends []int
}

func (f foldSet) reset() foldSet { return foldSet{buf: f.buf[:0], ends: f.ends[:0]} }

// add adds an already folded string.
func (f *foldSet) add(folded string) {
	f.buf = append(f.buf, folded...)
	f.ends = append(f.ends, len(f.buf))
}

// addFold adds Fold(s).
func (f *foldSet) addFold(s string) {
	f.buf = textkit.AppendFold(f.buf, s)
	f.ends = append(f.ends, len(f.buf))
}

// hasKey reports whether the folded key k is in the set.
func (f *foldSet) hasKey(k []byte) bool {
	start := 0
	for _, e := range f.ends {
		if string(f.buf[start:e]) == string(k) {
			return true
		}
		start = e
	}
	return false
}

// has reports whether the folded string k is in the set.
func (f *foldSet) has(k string) bool {
	start := 0
	for _, e := range f.ends {
		if string(f.buf[start:e]) == k {
			return true
		}
		start = e
	}
	return false
}
