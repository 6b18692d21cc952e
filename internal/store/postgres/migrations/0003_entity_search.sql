-- Search finds a story by the names of its people, organisations and places too
-- (record.EntityNames), not only by its words.

ALTER TABLE stories ADD COLUMN entities text NOT NULL DEFAULT '';

DROP INDEX stories_search;
ALTER TABLE stories DROP COLUMN search;
ALTER TABLE stories ADD COLUMN search tsvector GENERATED ALWAYS AS (
	to_tsvector('simple'::regconfig, left(headline, 2000) || ' ' || left(body, 200000) || ' ' || entities)
) STORED;
CREATE INDEX stories_search ON stories USING gin (search);
