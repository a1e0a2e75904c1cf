-- mailclerk index schema, version 1. db.c applies this file (compiled in
-- through schema.h) to a new database, then its migrations (version 2: the
-- filings table of client and project rules).

-- One row per distinct message (dedupe key: message_id).
CREATE TABLE messages (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- stable id shown to users, never reused; also the fts rowid
	message_id TEXT NOT NULL UNIQUE,   -- bare Message-ID, or "sha256:<hex>" when missing
	content_hash BLOB NOT NULL,        -- XXH3-128 (16 bytes; SHA-256, 32, before) of the first copy's content
	date INTEGER NOT NULL,             -- UTC seconds
	from_name TEXT NOT NULL DEFAULT '',
	from_addr TEXT NOT NULL DEFAULT '',-- lower-cased
	subject TEXT NOT NULL DEFAULT '',
	direction INTEGER NOT NULL DEFAULT 0, -- 0 inbound, 1 outbound (From is a `me` address)
	size INTEGER NOT NULL DEFAULT 0,
	thread_id INTEGER NOT NULL,
	has_attachments INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_date ON messages(date);
CREATE INDEX messages_thread ON messages(thread_id);
-- Covers "these ids, newest first": a search sorts its hits without reading
-- the (much larger) message rows.
CREATE INDEX messages_id_date ON messages(id, date);

-- The date of every message id, DATES_CHUNK ids a row, 8 bytes an id
-- (index/dates.c): full-text hits are sorted by date from these arrays.
CREATE TABLE message_dates (
	chunk INTEGER PRIMARY KEY,         -- id / 4096
	dates BLOB NOT NULL                -- 4096 little-endian int64 UTC seconds (messages.date)
);

-- Message-IDs that messages name (References, In-Reply-To) but the index
-- does not hold: "ghosts", as notmuch calls them, with the thread they are
-- part of, so that a message arriving later joins it. A message that leaves
-- the index becomes a ghost for the same reason.
CREATE TABLE thread_ghosts (
	message_id TEXT PRIMARY KEY,
	thread_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_ghosts_thread ON thread_ghosts(thread_id);

-- Where mail lives: maildir folders, mbox files and single message files,
-- each with its state as of its last complete scan, so that an unchanged one
-- is skipped without reading its files.
CREATE TABLE containers (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,         -- absolute: maildir folder directory, mbox file, message file
	kind TEXT NOT NULL,                -- maildir | mbox | file
	source TEXT NOT NULL DEFAULT '',   -- [source NAME] from the config; '' from the command line
	folder TEXT NOT NULL DEFAULT '',   -- as users see it: "INBOX", "Archive/2023", "takeout.mbox"
	mtime_ns INTEGER NOT NULL DEFAULT -1, -- newest of cur/ and new/ (maildir) or the file's; -1: never scanned whole
	size INTEGER NOT NULL DEFAULT 0    -- mbox and message files: the file's size
);
CREATE INDEX containers_folder ON containers(folder); -- COLLATE NOCASE since version 6
CREATE INDEX containers_source ON containers(source);

-- Every copy of a message. A maildir copy's path is container/sub/name+info;
-- an mbox or single-file copy's is the container's path.
CREATE TABLE locations (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: removals are applied by id at the end of a run
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	container INTEGER NOT NULL REFERENCES containers(id),
	name TEXT NOT NULL,                -- identity in the container that survives renames: the
	                                   -- maildir unique name, the mbox offset; '' for a single file
	sub TEXT NOT NULL DEFAULT '',      -- maildir: "cur" or "new"
	info TEXT NOT NULL DEFAULT '',     -- maildir: what follows the unique name, e.g. ":2,RS"
	offset INTEGER NOT NULL DEFAULT 0, -- mbox: byte offset of the message (after the From_ line)
	length INTEGER NOT NULL DEFAULT 0, -- mbox: byte length of the message
	fingerprint INTEGER NOT NULL DEFAULT 0, -- mbox: 64 bits of the SHA-256 of its raw bytes, so a
	                                   -- message that slid onto another's offset is noticed
	UNIQUE (container, name)
);

-- Messages that lost a copy during a run. The run's last transaction
-- removes those left with none; a killed run's are swept by the next. (A
-- copy that moves within a run, e.g. in a rewritten mbox, must not cost the
-- message its id in between.)
CREATE TABLE orphan_check (
	message INTEGER PRIMARY KEY
);
CREATE INDEX locations_message ON locations(message);

CREATE TABLE addresses (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	role INTEGER NOT NULL,             -- 0 from, 1 to, 2 cc, 3 bcc, 4 reply-to
	name TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL,             -- lower-cased
	domain TEXT NOT NULL               -- lower-cased
);
CREATE INDEX addresses_message ON addresses(message);
-- Covering: from:/to:/address: read the index alone, not a table row a hit.
CREATE INDEX addresses_address ON addresses(address, role, message);
CREATE INDEX addresses_domain ON addresses(domain, role, message);

CREATE TABLE attachments (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	part TEXT NOT NULL,
	filename TEXT NOT NULL DEFAULT '',
	mime_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	is_inline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_message ON attachments(message);

-- The text the full-text index was built from. The body, most of it, is
-- zstd-compressed (index/text.c): this table is a third of what FTS5's own
-- copy would be. FTS5 reads it back through fts_source for snippet(),
-- highlight() and deletes; mc_unzstd() is registered by db.c.
CREATE TABLE message_text (
	id INTEGER PRIMARY KEY,            -- messages.id
	sender TEXT NOT NULL,              -- names and address of From
	recipients TEXT NOT NULL,          -- names and addresses of To, Cc, Bcc
	body BLOB NOT NULL,                -- zstd-compressed UTF-8 body text
	attachments TEXT NOT NULL          -- attachment file names, one a line
);
CREATE VIEW fts_source AS
	SELECT t.id AS id, m.subject AS subject, t.sender AS sender,
	       t.recipients AS recipients, mc_unzstd(t.body) AS body,
	       t.attachments AS attachments
	FROM message_text t JOIN messages m ON m.id = t.id;

-- Full text, rowid = messages.id. The 'mailclerk' tokenizer (tokenizer.c) is
-- unicode61 plus bigrams for CJK runs. migrate-13.sql recreates it (and
-- fts_source, messages_delete_fts) with a sixth column, alt.
CREATE VIRTUAL TABLE fts USING fts5(
	subject, sender, recipients, body, attachments,
	tokenize = 'mailclerk', content = 'fts_source', content_rowid = 'id'
);

-- An external-content index forgets a row only when told its exact text;
-- BEFORE, so that fts_source can still join the message row.
CREATE TRIGGER messages_delete_ghost AFTER DELETE ON messages BEGIN
	INSERT OR REPLACE INTO thread_ghosts (message_id, thread_id)
		VALUES (old.message_id, old.thread_id);
END;

CREATE TRIGGER messages_delete_fts BEFORE DELETE ON messages BEGIN
	INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments)
		SELECT 'delete', id, subject, sender, recipients, body, attachments
		FROM fts_source WHERE id = old.id;
	DELETE FROM message_text WHERE id = old.id;
END;
