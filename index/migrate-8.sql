-- Migration to schema version 8: automated mail (mailing lists, bulk mail,
-- auto-replies, delivery reports, machine senders). Parsing finds the
-- signal (ingest/headers.c); the writer stores it with the mark the
-- configuration's `automated` and `people` lists make of it.
ALTER TABLE messages ADD COLUMN automated INTEGER NOT NULL DEFAULT 0; -- 1: automated
ALTER TABLE messages ADD COLUMN automated_why TEXT NOT NULL DEFAULT ''; -- the signal parsing found, '' none
-- is:automated: a partial index by date holding automated mail only serves
-- counts (covering) and newest-first pages, and costs ingest one small
-- insert per automated message. reclassify marks again after the user
-- changed `automated` or `people`.
CREATE INDEX messages_automated ON messages(date) WHERE automated = 1;
-- Set while the index holds messages parsed by a mailclerk that did not
-- know something parsing gives now; `reindex` learns it from the stored
-- copies and clears the row.
CREATE TABLE reindex_needed (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	why TEXT NOT NULL                  -- what the messages lack, for the hint
);
INSERT INTO reindex_needed SELECT 1, 'the automated mark'
	WHERE EXISTS (SELECT 1 FROM messages);
-- How far a reindex got (index/reindex.c), written with each batch it
-- commits, so that the same reindex started again after a kill goes on
-- after the last message done; gone when it finishes.
CREATE TABLE reindex_progress (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	query TEXT NOT NULL,               -- the reindex's query, '' for every message
	done INTEGER NOT NULL              -- every message of it up to this id is done
);
