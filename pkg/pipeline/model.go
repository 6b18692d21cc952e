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
	Published  *time.Time `json:"published,omitempty"`
	Updated    *time.Time `json:"updated,omitempty"`
	Fetched    time.Time  `json:"fetched"`
	// ContentHash identifies the item's content as ingest saw it; a change of hash
	// under the same GUID is a changed item.
	ContentHash string `json:"content_hash"`
	Changed     bool   `json:"changed,omitempty"` // an item already emitted whose content changed
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
	Provider       string     `json:"provider,omitempty"`
	Sources        []Source   `json:"sources"`
	Dedupe         *Dedupe    `json:"dedupe,omitempty"`
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
}

// Dedupe is the story's duplicate-detection data.
type Dedupe struct {
	Fingerprint string `json:"fingerprint"`
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
