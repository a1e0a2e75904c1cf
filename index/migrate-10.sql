-- Migration to schema version 10: every file mailclerk saved from an
-- attachment (ingest/save.c), so that a message filed under another
-- project later has its file moved rather than copied, and only while the
-- file is still the bytes mailclerk wrote.
CREATE TABLE saved_files (
	path TEXT PRIMARY KEY,             -- absolute path of the file written
	sha256 TEXT NOT NULL,              -- hex SHA-256 of the bytes written
	message INTEGER NOT NULL,          -- messages.id (kept when the message leaves: the file stays)
	part TEXT NOT NULL,                -- attachments.part
	client TEXT NOT NULL,              -- the folder's client, '' for _unfiled
	project TEXT NOT NULL,             -- the folder's project key, '' for _unsorted
	saved INTEGER NOT NULL             -- when, UTC seconds
) WITHOUT ROWID;
CREATE INDEX saved_files_message ON saved_files(message, part);
