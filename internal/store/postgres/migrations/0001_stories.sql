-- Stories, their appearances in feeds, and a full-text index on headline and body.
-- Keys and the columns List orders by use the "C" collation: byte order, the same as
-- SQLite, whatever the database's default collation.

CREATE TABLE stories (
	uri            text COLLATE "C" NOT NULL PRIMARY KEY,
	version        bigint      NOT NULL,
	pubstatus      text        NOT NULL DEFAULT '',
	language       text        NOT NULL DEFAULT '',
	firstcreated   timestamptz,
	versioncreated timestamptz NOT NULL,
	headline       text        NOT NULL DEFAULT '',
	body           text        NOT NULL DEFAULT '',
	byline         text        NOT NULL DEFAULT '',
	located        text        NOT NULL DEFAULT '',
	provider       text        NOT NULL DEFAULT '',
	fingerprint    text        NOT NULL DEFAULT '',
	doc            jsonb       NOT NULL,
	stored_at      timestamptz NOT NULL,
	updated_at     timestamptz NOT NULL,
	-- The indexed text is cut at the same lengths as on SQLite
	-- (record.SearchHeadlineChars, record.SearchBodyChars); a tsvector over 1 MB is an error.
	search         tsvector GENERATED ALWAYS AS (
		to_tsvector('simple'::regconfig, left(headline, 2000) || ' ' || left(body, 200000))
	) STORED
);

CREATE INDEX stories_newest ON stories (versioncreated DESC, uri);
CREATE INDEX stories_search ON stories USING gin (search);

CREATE TABLE story_sources (
	uri  text COLLATE "C" NOT NULL REFERENCES stories (uri) ON DELETE CASCADE,
	feed text COLLATE "C" NOT NULL,
	guid text COLLATE "C" NOT NULL DEFAULT '',
	url  text        NOT NULL DEFAULT '',
	seen timestamptz NOT NULL,
	PRIMARY KEY (uri, feed, guid)
);
