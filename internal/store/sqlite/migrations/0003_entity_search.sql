-- Search finds a story by the names of its people, organisations and places too
-- (record.EntityNames), not only by its words. The contentless index cannot gain a
-- column, so it is rebuilt with three.

ALTER TABLE stories ADD COLUMN entities TEXT NOT NULL DEFAULT '';

DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_update;
DROP TRIGGER stories_fts_delete;
DROP TABLE stories_fts;

CREATE VIRTUAL TABLE stories_fts USING fts5 (
	headline,
	body,
	entities,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO stories_fts (rowid, headline, body, entities)
SELECT seq, substr(headline, 1, 2000), substr(body, 1, 200000), entities FROM stories;

CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
	INSERT INTO stories_fts (rowid, headline, body, entities)
	VALUES (new.seq, substr(new.headline, 1, 2000), substr(new.body, 1, 200000), new.entities);
END;

CREATE TRIGGER stories_fts_update AFTER UPDATE OF headline, body, entities ON stories
WHEN old.headline IS NOT new.headline OR old.body IS NOT new.body OR old.entities IS NOT new.entities BEGIN
	DELETE FROM stories_fts WHERE rowid = old.seq;
	INSERT INTO stories_fts (rowid, headline, body, entities)
	VALUES (new.seq, substr(new.headline, 1, 2000), substr(new.body, 1, 200000), new.entities);
END;

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
	DELETE FROM stories_fts WHERE rowid = old.seq;
END;
