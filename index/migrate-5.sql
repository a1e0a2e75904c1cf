-- Migration to schema version 5: how far each IMAP folder has been fetched
-- (imap/sync.c). Messages up to last_uid are in the local store; a changed
-- uidvalidity means the server renumbered the folder and it is fetched again
-- (dedupe by Message-ID keeps the index free of doubles).
CREATE TABLE imap_folders (
	source TEXT NOT NULL,              -- [source NAME]
	folder TEXT NOT NULL,              -- the server's mailbox name
	uidvalidity INTEGER NOT NULL,
	last_uid INTEGER NOT NULL,         -- highest UID stored
	PRIMARY KEY (source, folder)
) WITHOUT ROWID;

-- The first message an ingest run added whose thread filings (rule
-- "thread", index/writer.c) are not done yet: set with that message, in
-- its transaction; cleared by the run's last transaction, which gives the
-- threads of the messages from there on their filings. A killed run's
-- stays, for the next run.
CREATE TABLE inherit_pending (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	since INTEGER NOT NULL             -- messages.id
);
