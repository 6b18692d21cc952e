-- Version history, appearances with their relation to the story, and the fingerprint
-- table that closes the race between enrich workers.

-- Every version ever stored, out-of-order older ones included; stories keeps the latest.
CREATE TABLE story_versions (
	uri            TEXT    NOT NULL,
	version        INTEGER NOT NULL,
	verdict        TEXT    NOT NULL DEFAULT '',
	versioncreated TEXT    NOT NULL,
	headline       TEXT    NOT NULL DEFAULT '',
	change         TEXT    NOT NULL DEFAULT '',
	stored_at      TEXT    NOT NULL,
	PRIMARY KEY (uri, version)
);

INSERT INTO story_versions (uri, version, verdict, versioncreated, headline, change, stored_at)
SELECT uri, version, coalesce(json_extract(doc, '$.verdict'), ''), versioncreated, headline,
	coalesce(json_extract(doc, '$.change'), ''), stored_at
FROM stories;

-- Appearances gain their relation to the story. The table is rebuilt without the
-- foreign key: an appearance may arrive before its story (another partition, another
-- worker) and is kept until the story shows up.
CREATE TABLE story_sources_v2 (
	uri        TEXT NOT NULL,
	feed       TEXT NOT NULL,
	guid       TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	seen       TEXT NOT NULL,
	relation   TEXT NOT NULL DEFAULT 'original'
		CHECK (relation IN ('original', 'duplicate', 'near_duplicate')),
	similarity REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (uri, feed, guid)
);

INSERT INTO story_sources_v2 (uri, feed, guid, url, seen)
SELECT uri, feed, guid, url, seen FROM story_sources;

DROP TABLE story_sources;

ALTER TABLE story_sources_v2 RENAME TO story_sources;

-- Which stored story each normalised-text fingerprint belongs to. A new uri whose
-- fingerprint is already here is stored as an appearance of that story: two enrich
-- workers that both decided "new" for copies of one text at the same instant end up
-- with one story, whichever the sink stores first.
CREATE TABLE fingerprints (
	fingerprint TEXT NOT NULL PRIMARY KEY,
	uri         TEXT NOT NULL
);

INSERT OR IGNORE INTO fingerprints (fingerprint, uri)
SELECT fingerprint, uri FROM stories WHERE fingerprint <> '' ORDER BY seq;

-- A uri that was turned into an appearance of another story: its later appearances and
-- versions go to that story.
CREATE TABLE story_aliases (
	uri       TEXT NOT NULL PRIMARY KEY,
	canonical TEXT NOT NULL
);
