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
