package pipeline

import "time"

// RawItem is one item as ingest read it from a feed, before any enrichment.
// It is the value on the raw topic.
type RawItem struct {
	Feed       string     `json:"feed"`               // feed id from the feeds file
	Format     string     `json:"format"`             // rss, atom, jsonfeed, newsmlg2, ninjs
	Provider   string     `json:"provider,omitempty"` // agency or outlet, from the feeds file or the item
	FeedURL    string     `json:"feed_url"`
	GUID       string     `json:"guid,omitempty"` // the item's own identifier (guid, id, newsml guid)
	URI        string     `json:"uri,omitempty"`  // an agency-assigned stable uri when the format has one
	Version    int        `json:"version,omitempty"`
	Link       string     `json:"link,omitempty"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary,omitempty"`
	Body       string     `json:"body,omitempty"` // as published: may be HTML
	Authors    []string   `json:"authors,omitempty"`
	Language   string     `json:"language,omitempty"` // declared by the feed or item
	Categories []string   `json:"categories,omitempty"`
	Published  *time.Time `json:"published,omitempty"` // first created (NewsML-G2 firstCreated, ninjs firstcreated)
	Updated    *time.Time `json:"updated,omitempty"`   // this version's time (versionCreated)
	Fetched    time.Time  `json:"fetched"`

	// What agency formats (NewsML-G2, ninjs) say about the item, and the media
	// RSS, Atom and JSON Feed attach to it. Empty when the format has no such field.
	PubStatus       string      `json:"pubstatus,omitempty"`  // usable, withheld or canceled; empty means usable
	Urgency         int         `json:"urgency,omitempty"`    // 1 (flash) to 9; 0 when not given
	Embargoed       *time.Time  `json:"embargoed,omitempty"`  // not to be published before this time
	ItemClass       string      `json:"item_class,omitempty"` // text, picture, video, composite... (ninjs type)
	By              string      `json:"by,omitempty"`         // the byline as published; Authors lists the creators
	Slugline        string      `json:"slugline,omitempty"`
	Dateline        string      `json:"dateline,omitempty"` // as written: "Berlin (dpa) - "
	Located         string      `json:"located,omitempty"`  // where the story originates
	Creditline      string      `json:"creditline,omitempty"`
	Subjects        []Subject   `json:"subjects,omitempty"`
	PreviousVersion string      `json:"previous_version,omitempty"` // id of the version this one replaces
	Signals         []string    `json:"signals,omitempty"`          // sig:update, sig:correction, ...
	Enclosures      []Enclosure `json:"enclosures,omitempty"`
	// ContentHash identifies the item's content as ingest saw it; a change of hash
	// under the same GUID is a changed item.
	ContentHash string `json:"content_hash"`
	Changed     bool   `json:"changed,omitempty"` // an item already emitted whose content changed
}

// Subject is a concept the item is about, as the agency coded it: a NewsML-G2
// qcode ("medtop:20000523", "dpasubject:185") or a ninjs uri/literal, with its
// name when the document gives one. Type says what kind of concept it is when
// known ("cpnat:person", "cpnat:geoArea", ...); topics have none or "cpnat:abstract".
//
// On a story, subjects the enricher assigned carry the concept's URI and a Confidence in
// (0, 1]; subjects that arrived with the item keep what the agency sent and no confidence.
type Subject struct {
	Code       string  `json:"code,omitempty"`
	Name       string  `json:"name,omitempty"`
	Scheme     string  `json:"scheme,omitempty"` // ninjs 1.x scheme uri when the code is relative to it
	Type       string  `json:"type,omitempty"`
	URI        string  `json:"uri,omitempty"`        // e.g. http://cv.iptc.org/newscodes/mediatopic/04000000
	Confidence float64 `json:"confidence,omitempty"` // set by the enricher; 0 for the agency's own codes
}

// Enclosure is a media file attached to an item (RSS enclosure, Media RSS
// content, Atom enclosure link, JSON Feed attachment).
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"` // bytes; 0 when unknown
}

// PubStatus values as in IPTC ninjs.
const (
	PubStatusUsable   = "usable"
	PubStatusWithheld = "withheld"
	PubStatusCanceled = "canceled"
)

// Story is the enriched story. Field names follow IPTC ninjs where ninjs has the
// field; the rest is the pipeline's own data. It is the value on the stories topic
// and what `wirehose stories --json` prints.
type Story struct {
	URI            string     `json:"uri"`
	Version        int        `json:"version"`
	PubStatus      string     `json:"pubstatus"`
	Language       string     `json:"language,omitempty"`
	FirstCreated   time.Time  `json:"firstcreated"`
	VersionCreated time.Time  `json:"versioncreated"`
	Headlines      []Headline `json:"headlines"`
	Bodies         []Body     `json:"bodies"`
	By             string     `json:"by,omitempty"`
	Located        string     `json:"located,omitempty"`
	Urgency        int        `json:"urgency,omitempty"`
	Subjects       []Subject  `json:"subjects,omitempty"`
	Provider       string     `json:"provider,omitempty"`
	// Location is the dateline's place resolved against the gazetteer; Located keeps
	// the name as the dateline or the agency gave it.
	Location      *Place   `json:"location,omitempty"`
	People        []Entity `json:"people,omitempty"`
	Organisations []Entity `json:"organisations,omitempty"`
	Places        []Place  `json:"places,omitempty"`
	Keywords      []string `json:"keywords,omitempty"` // key phrases, best first
	Quotes        []Quote  `json:"quotes,omitempty"`
	Tone          *Tone    `json:"tone,omitempty"`
	WordCount     int      `json:"wordcount,omitempty"` // words of the body
	// Enrichment says which enrichers made this version and whether any failed.
	Enrichment *Enrichment `json:"enrichment,omitempty"`
	Sources    []Source    `json:"sources"`
	Dedupe     *Dedupe     `json:"dedupe,omitempty"`
	// Verdict says what this version is: new, update, correction or kill.
	Verdict string `json:"verdict,omitempty"`
	// Change is a short human summary of what this version changed ("headline changed", ...).
	Change string `json:"change,omitempty"`
	// Versions is how many versions storage holds of this story (filled when read back).
	Versions int `json:"versions,omitempty"`
	// History lists every stored version, oldest first (filled when one story is read back).
	History []VersionInfo `json:"history,omitempty"`
}

// Entity is a person or an organisation the story names. Name is the canonical form
// (the fullest the story uses, or the expansion of an acronym); Aliases are the other
// forms it uses for the same one ("Scholz", "Mr Scholz", "NATO").
type Entity struct {
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases,omitempty"`
	Mentions int      `json:"mentions,omitempty"`
}

// Place is a place the story names, resolved against the gazetteer wirehose ships.
type Place struct {
	Name      string   `json:"name"`              // the gazetteer's name
	Kind      string   `json:"kind,omitempty"`    // continent, country, region or city
	Country   string   `json:"country,omitempty"` // ISO 3166-1 alpha-2; empty for a continent
	Lat       float64  `json:"lat"`
	Lon       float64  `json:"lon"`
	GeoNameID int      `json:"geonameid,omitempty"` // GeoNames id when the place has one
	Aliases   []string `json:"aliases,omitempty"`   // other forms the story uses ("Kiev", "Londres")
	Mentions  int      `json:"mentions,omitempty"`
}

// Quote is a direct quotation and who said it.
type Quote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker,omitempty"` // canonical name of a person or organisation; empty when unattributed
}

// Tone is the story's sentiment: Score in [-1, 1] (negative to positive), and the share
// of the body's words that carry positive and negative sentiment.
type Tone struct {
	Score    float64 `json:"score"`
	Positive float64 `json:"positive"`
	Negative float64 `json:"negative"`
}

// Enrichment records the enricher chain that made a story version, so a reprocessed
// story shows which versions of which enrichers produced it.
type Enrichment struct {
	Enrichers []EnricherRun `json:"enrichers"`
	// Partial is set when an enricher failed: the story flowed on without its data.
	Partial bool `json:"partial,omitempty"`
}

// EnricherRun is one enricher of the chain, with its version and, when it failed, why.
type EnricherRun struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Error   string `json:"error,omitempty"`
}

// Verdicts of a story version.
const (
	VerdictNew        = "new"
	VerdictUpdate     = "update"
	VerdictCorrection = "correction"
	VerdictKill       = "kill"
)

// VersionInfo is one entry of a story's version history.
type VersionInfo struct {
	Version        int       `json:"version"`
	Verdict        string    `json:"verdict"`
	VersionCreated time.Time `json:"versioncreated"`
	Headline       string    `json:"headline"`
	Change         string    `json:"change,omitempty"`
}

// Headline is a ninjs headline.
type Headline struct {
	Value string `json:"value"`
	Role  string `json:"role,omitempty"`
}

// Body is a ninjs body; wirehose stores plain text with paragraphs separated by a blank line.
type Body struct {
	Value       string `json:"value"`
	ContentType string `json:"contenttype"`
}

// Source is one appearance of a story in a feed.
type Source struct {
	Feed string    `json:"feed"`
	GUID string    `json:"guid,omitempty"`
	URL  string    `json:"url,omitempty"`
	Seen time.Time `json:"seen"`
	// Relation says how this appearance relates to the story: the original, an exact
	// duplicate (same normalised text), or a near duplicate (with its Similarity in [0,1]).
	Relation   string  `json:"relation,omitempty"`
	Similarity float64 `json:"similarity,omitempty"`
}

// Relations of an appearance to its story.
const (
	RelationOriginal      = "original"
	RelationDuplicate     = "duplicate"
	RelationNearDuplicate = "near_duplicate"
)

// Appearance is a copy of a known story seen in another feed or under another identity.
// It travels on the stories topic keyed by the canonical story's uri, so the sink attaches
// it to that story instead of storing a new one.
type Appearance struct {
	URI         string `json:"uri"` // the canonical story
	Source      Source `json:"source"`
	Fingerprint string `json:"fingerprint,omitempty"` // of the copy's text
}

// Dedupe is the story's duplicate-detection data.
type Dedupe struct {
	Fingerprint string `json:"fingerprint"`
	// Cluster is the uri of the canonical story this one's copies are attached to; for a
	// canonical story it is its own uri.
	Cluster string `json:"cluster,omitempty"`
}

// Headline returns the first headline's text, or "".
func (s Story) Headline() string {
	if len(s.Headlines) == 0 {
		return ""
	}
	return s.Headlines[0].Value
}

// Text returns the first body's text, or "".
func (s Story) Text() string {
	if len(s.Bodies) == 0 {
		return ""
	}
	return s.Bodies[0].Value
}
