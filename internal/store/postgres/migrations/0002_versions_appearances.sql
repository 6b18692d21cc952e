-- Version history, appearances with their relation to the story, and the fingerprint
-- table that closes the race between enrich workers.

-- Every version ever stored, out-of-order older ones included; stories keeps the latest.
CREATE TABLE story_versions (
	uri            text COLLATE "C" NOT NULL,
	version        bigint      NOT NULL,
	verdict        text        NOT NULL DEFAULT '',
	versioncreated timestamptz NOT NULL,
	headline       text        NOT NULL DEFAULT '',
	change         text        NOT NULL DEFAULT '',
	stored_at      timestamptz NOT NULL,
	PRIMARY KEY (uri, version)
);

INSERT INTO story_versions (uri, version, verdict, versioncreated, headline, change, stored_at)
SELECT uri, version, coalesce(doc ->> 'verdict', ''), versioncreated, headline,
	coalesce(doc ->> 'change', ''), stored_at
FROM stories;

-- Appearances gain their relation to the story, and lose the foreign key: an
-- appearance may arrive before its story (another partition, another worker) and is
-- kept until the story shows up.
ALTER TABLE story_sources DROP CONSTRAINT story_sources_uri_fkey;
ALTER TABLE story_sources
	ADD COLUMN relation text NOT NULL DEFAULT 'original'
		CHECK (relation IN ('original', 'duplicate', 'near_duplicate')),
	ADD COLUMN similarity double precision NOT NULL DEFAULT 0;

-- Which stored story each normalised-text fingerprint belongs to. A new uri whose
-- fingerprint is already here is stored as an appearance of that story: two enrich
-- workers that both decided "new" for copies of one text at the same instant end up
-- with one story, whichever sink transaction commits first (the primary key makes the
-- second wait for the first).
CREATE TABLE fingerprints (
	fingerprint text COLLATE "C" NOT NULL PRIMARY KEY,
	uri         text COLLATE "C" NOT NULL
);

INSERT INTO fingerprints (fingerprint, uri)
SELECT DISTINCT ON (fingerprint) fingerprint, uri FROM stories
WHERE fingerprint <> ''
ORDER BY fingerprint, stored_at, uri;

-- A uri that was turned into an appearance of another story: its later appearances and
-- versions go to that story.
CREATE TABLE story_aliases (
	uri       text COLLATE "C" NOT NULL PRIMARY KEY,
	canonical text COLLATE "C" NOT NULL
);
