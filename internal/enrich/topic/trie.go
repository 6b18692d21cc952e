package topic

// The lexicon is held in byte tries over the folded alphabet so that one walk
// per word finds its exact, stem (prefix) and, through a reversed trie, its
// compound-head (suffix) cues without allocating.

const (
	maxNodes = 1<<16 - 1
	alphabet = 37 // a-z, 0-9, space (joins the words of a phrase)
	spaceSym = 36
)

func sym(b byte) int {
	switch {
	case b >= 'a' && b <= 'z':
		return int(b - 'a')
	case b >= '0' && b <= '9':
		return int(b-'0') + 26
	case b == ' ':
		return spaceSym
	}
	return -1
}

// cue is one topic signal carried by a lexicon term.
type cue struct {
	topic  uint8 // index into topics
	weight float32
}

// Node indices are 16 bits so that a node (82 bytes) and the whole trie stay
// small enough for the CPU caches; New fails if a lexicon outgrows them.
type node struct {
	next   [alphabet]uint16 // 0 means no child: the root is never a child
	exact  int32            // 1 + index into trie.cues; 0 when none
	prefix int32            // cues of a stem ending here
}

type trie struct {
	nodes []node
	cues  [][]cue
}

func newTrie() *trie { return &trie{nodes: make([]node, 1, 1024)} }

// insert adds a folded term; prefix marks a stem that matches any longer word.
// A term listed twice for the same topic keeps its highest weight.
func (t *trie) insert(term []byte, prefix bool, c cue) bool {
	n := int32(0)
	for _, b := range term {
		s := sym(b)
		if s < 0 {
			return false
		}
		nx := int32(t.nodes[n].next[s])
		if nx == 0 {
			if len(t.nodes) > maxNodes {
				return false
			}
			t.nodes = append(t.nodes, node{})
			nx = int32(len(t.nodes) - 1)
			t.nodes[n].next[s] = uint16(nx)
		}
		n = nx
	}
	slot := &t.nodes[n].exact
	if prefix {
		slot = &t.nodes[n].prefix
	}
	if *slot == 0 {
		t.cues = append(t.cues, nil)
		*slot = int32(len(t.cues))
	}
	list := t.cues[*slot-1]
	for i := range list {
		if list[i].topic == c.topic {
			if c.weight > list[i].weight {
				list[i].weight = c.weight
			}
			return true
		}
	}
	t.cues[*slot-1] = append(list, c)
	return true
}

// walkReverse matches suffix entries (stored reversed as stems) against a word
// given as trie symbols.
func (t *trie) walkReverse(word []uint8) (cues int32, depth int) {
	n := int32(0)
	for i := len(word) - 1; i >= 0; i-- {
		n = int32(t.nodes[n].next[word[i]])
		if n == 0 {
			return cues, depth
		}
		if p := t.nodes[n].prefix; p != 0 {
			cues, depth = p, len(word)-i
		}
	}
	return cues, depth
}

// compact renumbers the nodes breadth first, so that the shallow nodes every
// word passes through sit together in memory and stay in the CPU cache.
func (t *trie) compact() {
	order := make([]int32, 0, len(t.nodes))
	newID := make([]int32, len(t.nodes))
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		for _, c := range t.nodes[order[i]].next {
			if c != 0 {
				newID[c] = int32(len(order))
				order = append(order, int32(c))
			}
		}
	}
	nodes := make([]node, len(order))
	for i, old := range order {
		nd := t.nodes[old]
		for s, c := range nd.next {
			if c != 0 {
				nd.next[s] = uint16(newID[c])
			}
		}
		nodes[i] = nd
	}
	t.nodes = nodes
}
