-- Migration to schema version 10: every file mailclerk saved from an
-- attachment (index/saved-files.c), so that a message filed under another
-- project later has its file moved rather than copied, and only while the
-- file is still the bytes mailclerk wrote. One row per message part a file
-- serves: a part whose bytes were already in the folder in a file recorded
-- here gets a row for that file too (a file the user put there gets none).
CREATE TABLE saved_files (
	path TEXT NOT NULL,                -- absolute path of the file
	message INTEGER NOT NULL,          -- messages.id (kept when the message leaves: the file stays)
	part TEXT NOT NULL,                -- attachments.part
	sha256 TEXT NOT NULL,              -- hex SHA-256 of the bytes written
	size INTEGER NOT NULL,             -- their length
	by_project INTEGER NOT NULL,       -- 1: a filing's folder (--by-project, save_attachments),
	                                   -- kept in step with filing; 0: --to DIR, never moved
	client TEXT NOT NULL,              -- the folder's client, '' for _unfiled (and --to)
	project TEXT NOT NULL,             -- the folder's project key, '' for _unsorted (and --to)
	saved INTEGER NOT NULL,            -- when it was written, UTC seconds
	moving_from TEXT,                  -- while a move is under way: the path it is moved from
	PRIMARY KEY (path, message, part)
) WITHOUT ROWID;
CREATE INDEX saved_files_message ON saved_files(message, part);
CREATE INDEX saved_files_moving ON saved_files(moving_from) WHERE moving_from IS NOT NULL;
