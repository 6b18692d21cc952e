-- Stories, their appearances in feeds, and a full-text index on headline and body.
-- Times are TEXT in UTC with a fixed-width microsecond format
-- (2006-01-02T15:04:05.000000Z), so text order is time order.

CREATE TABLE stories (
	uri            TEXT    NOT NULL PRIMARY KEY,
	-- Stable row number for the search index: the implicit rowid of a table keyed by
	-- text may change on VACUUM, this column does not.
	seq            INTEGER NOT NULL UNIQUE,
	version        INTEGER NOT NULL,
	pubstatus      TEXT    NOT NULL DEFAULT '',
	language       TEXT    NOT NULL DEFAULT '',
	firstcreated   TEXT,
	versioncreated TEXT    NOT NULL,
	headline       TEXT    NOT NULL DEFAULT '',
	body           TEXT    NOT NULL DEFAULT '',
	byline         TEXT    NOT NULL DEFAULT '',
	located        TEXT    NOT NULL DEFAULT '',
	provider       TEXT    NOT NULL DEFAULT '',
	fingerprint    TEXT    NOT NULL DEFAULT '',
	doc            TEXT    NOT NULL,
	stored_at      TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);

CREATE INDEX stories_newest ON stories (versioncreated DESC, uri);

CREATE TABLE story_sources (
	uri  TEXT NOT NULL REFERENCES stories (uri) ON DELETE CASCADE,
	feed TEXT NOT NULL,
	guid TEXT NOT NULL DEFAULT '',
	url  TEXT NOT NULL DEFAULT '',
	seen TEXT NOT NULL,
	PRIMARY KEY (uri, feed, guid)
);

-- Contentless: the text lives in stories; rows are deleted by rowid (= stories.seq).
-- Diacritics are kept, as PostgreSQL's 'simple' configuration keeps them.
CREATE VIRTUAL TABLE stories_fts USING fts5 (
	headline,
	body,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

-- The indexed text is cut at the same lengths as on PostgreSQL
-- (record.SearchHeadlineChars, record.SearchBodyChars).
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
	INSERT INTO stories_fts (rowid, headline, body)
	VALUES (new.seq, substr(new.headline, 1, 2000), substr(new.body, 1, 200000));
END;

CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, body ON stories
WHEN old.headline IS NOT new.headline OR old.body IS NOT new.body BEGIN
	DELETE FROM stories_fts WHERE rowid = old.seq;
	INSERT INTO stories_fts (rowid, headline, body)
	VALUES (new.seq, substr(new.headline, 1, 2000), substr(new.body, 1, 200000));
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
	DELETE FROM stories_fts WHERE rowid = old.seq;
END;
