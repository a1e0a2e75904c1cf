-- mailclerk index schema, version 1. db.c applies this file (compiled in
-- through schema.h) to a new database; later versions add migrations there.

-- One row per distinct message (dedupe key: message_id).
CREATE TABLE messages (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- stable id shown to users, never reused; also the fts rowid
	message_id TEXT NOT NULL UNIQUE,   -- bare Message-ID, or "sha256:<hex>" when missing
	content_hash TEXT NOT NULL,        -- hex SHA-256 of the first copy's raw bytes
	date INTEGER NOT NULL,             -- UTC seconds
	from_name TEXT NOT NULL DEFAULT '',
	from_addr TEXT NOT NULL DEFAULT '',-- lower-cased
	subject TEXT NOT NULL DEFAULT '',
	direction INTEGER NOT NULL DEFAULT 0, -- 0 inbound, 1 outbound (From is a `me` address)
	size INTEGER NOT NULL DEFAULT 0,
	thread_id INTEGER NOT NULL,
	has_attachments INTEGER NOT NULL DEFAULT 0,
	in_reply_to TEXT
);
CREATE INDEX messages_date ON messages(date);
CREATE INDEX messages_thread ON messages(thread_id);
-- Covers "these ids, newest first": a search sorts its hits without reading
-- the (much larger) message rows.
CREATE INDEX messages_id_date ON messages(id, date);

-- Every Message-ID seen or referenced, with its thread: references to mail we
-- have not seen yet ("ghosts", as notmuch calls them) still join threads.
CREATE TABLE thread_ids (
	message_id TEXT PRIMARY KEY,
	thread_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_ids_thread ON thread_ids(thread_id);

-- Every copy of a message on disk (or, later, on a server).
CREATE TABLE locations (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: removals are applied by id at the end of a run
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	source TEXT NOT NULL DEFAULT '',   -- [source NAME] from the config; '' from the command line
	kind TEXT NOT NULL,                -- maildir | mbox | file
	container TEXT NOT NULL,           -- maildir folder directory or mbox file (absolute)
	folder TEXT NOT NULL DEFAULT '',   -- folder name as users see it: "INBOX", "Archive/2023", "work.mbox"
	key TEXT NOT NULL UNIQUE,          -- identity that survives flag renames (container + unique name, or mbox offset)
	path TEXT NOT NULL,                -- absolute path of the file holding it
	offset INTEGER NOT NULL DEFAULT 0, -- mbox: byte offset of the message (after the From_ line)
	length INTEGER NOT NULL DEFAULT 0, -- mbox: byte length of the message
	flags TEXT NOT NULL DEFAULT ''     -- maildir flags, e.g. "FS"
);
CREATE INDEX locations_message ON locations(message);
CREATE INDEX locations_container ON locations(container);
CREATE INDEX locations_folder ON locations(folder);
CREATE INDEX locations_source ON locations(source);

CREATE TABLE addresses (
	message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	role INTEGER NOT NULL,             -- 0 from, 1 to, 2 cc, 3 bcc, 4 reply-to
	name TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL,             -- lower-cased
	domain TEXT NOT NULL               -- lower-cased
);
CREATE INDEX addresses_message ON addresses(message);
CREATE INDEX addresses_address ON addresses(address);
CREATE INDEX addresses_domain ON addresses(domain);

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

-- Maildir folders and mbox files as last scanned: an unchanged one is skipped
-- without reading its files.
CREATE TABLE containers (
	path TEXT PRIMARY KEY,
	mtime_ns INTEGER NOT NULL,         -- newest of cur/ and new/ mtimes (maildir) or file mtime (mbox)
	size INTEGER NOT NULL DEFAULT 0    -- mbox file size
) WITHOUT ROWID;

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
-- unicode61 plus bigrams for CJK runs.
CREATE VIRTUAL TABLE fts USING fts5(
	subject, sender, recipients, body, attachments,
	tokenize = 'mailclerk', content = 'fts_source', content_rowid = 'id'
);

-- An external-content index forgets a row only when told its exact text;
-- BEFORE, so that fts_source can still join the message row.
CREATE TRIGGER messages_delete_fts BEFORE DELETE ON messages BEGIN
	INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments)
		SELECT 'delete', id, subject, sender, recipients, body, attachments
		FROM fts_source WHERE id = old.id;
	DELETE FROM message_text WHERE id = old.id;
END;
