-- Migration to schema version 6: files and mbox messages ingest skipped
-- because of what they are (not mail, refused by a parse guard, or a file
-- whose parsing crashed mailclerk), so that later runs do not parse and
-- report them again until they change (another size or time).
CREATE TABLE skipped (
	container TEXT NOT NULL,           -- as locations: folder directory, mbox, file
	name TEXT NOT NULL,                -- maildir unique name, mbox offset, "" for a file
	size INTEGER NOT NULL,             -- bytes of the message when it was skipped
	mtime INTEGER NOT NULL,            -- its file time (seconds) then
	reason TEXT NOT NULL,
	PRIMARY KEY (container, name)
) WITHOUT ROWID;
